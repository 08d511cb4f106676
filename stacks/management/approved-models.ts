import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { ManagementConfig } from '../../config/model';
import type { ScpExemptions } from './scp-exemptions';
import { approvedModelScps } from '../../policies/approved-model-policies';
import { ORG_POLICY_MAX_CHARS } from '../../policies/organization-policies';

/** Terraform name of the approved-model SCP of organizationPolicies.approvedModels[i] (attachments `<name>_<target>`): the review rule reads it. */
export const APPROVED_MODELS_POLICY = 'approved_models';
/** The first SCP of an entry keeps `approved_models_<i>`; a list split by provider adds `_part<k>`. */
export const approvedModelsPolicyName = (i: number, k = 0) => `${APPROVED_MODELS_POLICY}_${i}${k ? `_part${k}` : ''}`;

/**
 * organizationPolicies.approvedModels: one SCP per entry, denying every model outside its list
 * (policies/approved-model-policies.ts), attached to the entry's targets.
 */
export interface ApprovedModelPoliciesProps extends ScpExemptions {
  /** organizationPolicies.approvedModels, resolved; unset: none. */
  readonly approvedModels?: ManagementConfig['approvedModels'];
}

export class ApprovedModelPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ApprovedModelPoliciesProps) {
    super(scope, id);
    (props.approvedModels ?? []).forEach((entry, i) => {
      const docs = approvedModelScps(
        {
          partition: props.partition,
          deployRoleName: props.deployRoleName,
          breakGlassRoleArns: props.breakGlassRoleArns,
          modelIds: entry.modelIds,
          mantleModelIds: entry.mantleModelIds,
        },
        ORG_POLICY_MAX_CHARS,
      );
      // A part still over the limit (one provider's models alone) is stopped at synth by ORG_POLICY_SIZE.
      docs.forEach((doc, k) => {
        const name = approvedModelsPolicyName(i, k);
        const scp = new OrganizationsPolicy(this, name, {
          name: `bedrock-approved-models-${i}${k ? `-part${k}` : ''}`,
          description: `Bedrock: only the approved models (${entry.aliases.join(', ')})`.slice(0, 512),
          type: 'SERVICE_CONTROL_POLICY',
          content: JSON.stringify(doc),
        });
        scp.overrideLogicalId(name);
        for (const targetId of entry.targetIds)
          new OrganizationsPolicyAttachment(this, `${name}-${targetId}`, { policyId: scp.id, targetId }).overrideLogicalId(
            `${name}_${targetId.replace(/-/g, '_')}`,
          );
      });
    });
  }
}
