import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { ProfileConfig, TenantPolicyConfig } from '../../config/model';
import { enforceGuardrail } from '../../policies/guardrail-enforcement';
import { TENANT_GUARDRAILS_OUTPUT } from '../../config/naming';
import { tenantLogicalId } from '../../config/rules';
import { tenantInvokePolicy } from '../../policies/tenant-invoke-policy';
import { type ProfileResource, inferenceProfile } from '../../synth/profile-resource';
import type { TenantGuardrail, TenantGuardrails } from '../safety/guardrails';

/** Output key of a profile in the `inference_profile_arns` output and the routing table. */
export const routeKey = (tenant: string, model: string) => `${tenant}/${model}`;

export interface TenantInferenceProfilesProps {
  /** The region, named in the tenant policies' descriptions. */
  readonly region: string;
  /** The profiles of the tenants placed in the stack (StackConfig.profiles). */
  readonly profiles: ProfileConfig[];
  /** The tenants that get an invoke-only-your-profiles policy (StackConfig.tenantPolicies). */
  readonly tenantPolicies: TenantPolicyConfig[];
  /** The stack's Bedrock guardrails: a tenant policy that names one enforces it. */
  readonly guardrails?: TenantGuardrails;
}

/**
 * One application inference profile per tenant x model placed in this stack, with
 * cost-allocation tags, and per tenant an IAM policy to invoke only its own profiles
 * (through an accepted version of its Bedrock guardrail, if it has one). Outputs:
 * the profile ARNs, and what each tenant behind a guardrail must send (tenant_guardrails).
 * Only tags change in place; a new name, description or model replaces a profile
 * (and changes its ARN).
 *
 * The ARNs are plain Terraform references (synth/profile-resource.ts): a cdktf token
 * captures a stack trace when created, and at 20,000 profiles x 2 references that
 * alone costs seconds of synth time.
 */
export class TenantInferenceProfiles extends Construct {
  /** Each profile by "<tenant>/<model>". */
  readonly profiles = new Map<string, ProfileResource>();
  /** ARN reference per "<tenant>/<model>". */
  readonly arns = new Map<string, string>();
  /** ARN reference per profile logical ID (ProfileConfig.logicalId). */
  readonly arnsByLogicalId = new Map<string, string>();
  /** The profiles' configuration, in the order of `arns`. */
  readonly configs: readonly ProfileConfig[];

  constructor(scope: Construct, id: string, props: TenantInferenceProfilesProps) {
    super(scope, id);
    this.configs = props.profiles;
    for (const p of props.profiles) {
      const profile = inferenceProfile(this, p.logicalId, { name: p.name, description: p.description, copyFrom: p.copyFrom, tags: p.tags });
      profile.overrideLogicalId(p.logicalId);
      this.profiles.set(routeKey(p.tenant, p.model), profile);
      this.arns.set(routeKey(p.tenant, p.model), profile.arn);
      this.arnsByLogicalId.set(p.logicalId, profile.arn);
    }

    /** Tenants behind a Bedrock guardrail, and its guardrail: the tenant_guardrails output. */
    const guarded: [string, TenantGuardrail][] = [];
    for (const tp of props.tenantPolicies) {
      const own = props.profiles.filter((p) => p.tenant === tp.tenant);
      const profileArns = own.map((p) => this.arnsByLogicalId.get(p.logicalId)!);
      const base = tenantInvokePolicy({ profileArns, underlyingArns: own.flatMap((p) => p.underlyingArns) });
      // A tenant with a Bedrock guardrail may invoke its own profiles only through an accepted version (stacks/safety).
      const guardrail = tp.guardrail === undefined ? undefined : props.guardrails?.guardrails.get(tp.guardrail);
      if (tp.guardrail !== undefined && !guardrail)
        throw new Error(`tenant ${tp.tenant}: guardrail "${tp.guardrail}" is not among the stack's guardrails`);
      if (guardrail) guarded.push([tp.tenant, guardrail]);
      const policy = guardrail ? enforceGuardrail(base, guardrail.ref, profileArns) : base;
      new IamPolicy(this, `invoke-${tenantLogicalId(tp.tenant)}`, {
        name: tp.name,
        description: `Invoke only the Bedrock inference profiles of tenant ${tp.tenant} in ${props.region}`,
        policy: JSON.stringify(policy),
        // The tenant's cost-allocation tags, without the per-model one.
        tags: Object.fromEntries(Object.entries(own[0].tags).filter(([k]) => k !== 'bedrock-model')),
      }).overrideLogicalId(`invoke_${tenantLogicalId(tp.tenant)}`);
    }

    if (props.profiles.length)
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
              name: g.config.name,
              arn: g.arn,
              id: g.id,
              version: g.currentVersion,
              revision: g.config.revision,
              accepted_versions: g.versions,
            },
          ]),
        ),
      });
  }
}
