import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { TerraformOutput, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { GuardrailConfig } from '../../config/bedrock-guardrails';
import type { StackConfig } from '../../config/model';
import { enforceGuardrail } from '../../policies/guardrail-enforcement';
import { TENANT_GUARDRAILS_OUTPUT } from '../../config/naming';
import { tenantLogicalId } from '../../config/rules';
import { tenantInvokePolicy } from '../../policies/tenant-invoke-policy';
import { inferenceProfile } from '../../synth/profile-resource';
import { currentVersion, guardrailArn, guardrailId, guardrailRef, guardrailVersion } from '../safety/guardrails';

/**
 * A plain Terraform reference to a profile's ARN. The profile's logical ID is fixed
 * (overrideLogicalId), so the reference is exact. A cdktf token (profile.arn) does
 * the same but captures a stack trace when created; at 20,000 profiles x 2
 * references that alone costs seconds of synth time.
 */
export const profileArn = (logicalId: string) => `\${aws_bedrock_inference_profile.${logicalId}.arn}`;

/** Output key of a profile in the `inference_profile_arns` output and the routing table. */
export const routeKey = (tenant: string, model: string) => `${tenant}/${model}`;

/**
 * One application inference profile per tenant x model placed in this stack, with
 * cost-allocation tags, and per tenant an IAM policy to invoke only its own profiles
 * (through an accepted version of its Bedrock guardrail, if it has one). Outputs:
 * the profile ARNs, and what each tenant behind a guardrail must send (tenant_guardrails).
 * Only tags change in place; a new name, description or model replaces a profile
 * (and changes its ARN).
 */
export class TenantInferenceProfiles extends Construct {
  readonly profiles = new Map<string, TerraformResource>();
  /** ARN reference per "<tenant>/<model>". */
  readonly arns = new Map<string, string>();

  constructor(scope: Construct, id: string, stack: StackConfig) {
    super(scope, id);
    for (const p of stack.profiles) {
      const profile = inferenceProfile(this, p.logicalId, { name: p.name, description: p.description, copyFrom: p.copyFrom, tags: p.tags });
      profile.overrideLogicalId(p.logicalId);
      this.profiles.set(routeKey(p.tenant, p.model), profile);
      this.arns.set(routeKey(p.tenant, p.model), profileArn(p.logicalId));
    }

    /** Tenants behind a Bedrock guardrail, and its guardrail: the tenant_guardrails output. */
    const guarded: [string, GuardrailConfig][] = [];
    for (const tp of stack.tenantPolicies) {
      const own = stack.profiles.filter((p) => p.tenant === tp.tenant);
      const profileArns = own.map((p) => profileArn(p.logicalId));
      const base = tenantInvokePolicy({ profileArns, underlyingArns: own.flatMap((p) => p.underlyingArns) });
      // A tenant with a Bedrock guardrail may invoke its own profiles only through an accepted version (stacks/safety).
      const guardrail = stack.bedrockGuardrails.find((g) => g.name === tp.guardrail);
      if (guardrail) guarded.push([tp.tenant, guardrail]);
      const policy = guardrail ? enforceGuardrail(base, guardrailRef(guardrail), profileArns) : base;
      new IamPolicy(this, `invoke-${tenantLogicalId(tp.tenant)}`, {
        name: tp.name,
        description: `Invoke only the Bedrock inference profiles of tenant ${tp.tenant} in ${stack.region}`,
        policy: JSON.stringify(policy),
        // The tenant's cost-allocation tags, without the per-model one.
        tags: Object.fromEntries(Object.entries(own[0].tags).filter(([k]) => k !== 'bedrock-model')),
      }).overrideLogicalId(`invoke_${tenantLogicalId(tp.tenant)}`);
    }

    if (stack.profiles.length)
      new TerraformOutput(scope, 'inference_profile_arns', {
        description: 'Application inference profile ARN per "<tenant>/<model>"',
        value: Object.fromEntries(this.arns),
      });

    // What each tenant's callers must send with every request (the guardrail identifier and version), and the versions still accepted.
    if (guarded.length)
      new TerraformOutput(scope, TENANT_GUARDRAILS_OUTPUT, {
        description:
          'Per tenant: the Bedrock guardrail its requests must name (arn, id) and the version to send (version, of revision); accepted_versions also lists the previous versions the overlap still accepts',
        value: Object.fromEntries(
          guarded.map(([tenant, g]) => [
            tenant,
            {
              name: g.name,
              arn: guardrailArn(g.logicalId),
              id: guardrailId(g.logicalId),
              version: currentVersion(g),
              revision: g.revision,
              accepted_versions: g.versions.map((v) => guardrailVersion(v.logicalId)),
            },
          ]),
        ),
      });
  }
}
