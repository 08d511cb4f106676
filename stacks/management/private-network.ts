import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { ManagementConfig } from '../../config/model';
import type { ScpExemptions } from './scp-exemptions';
import { requirePrivateNetworkScp } from '../../policies/private-network-policies';

/** Terraform name of the private-path SCP (attachments `<name>_<target>`): the review rule reads it. */
export const PRIVATE_NETWORK_POLICY = 'require_private_network';

/** organizationPolicies.requirePrivateNetwork: the SCP that admits invocations only through the matrix's VPCs, attached to its targets. */
export interface PrivateNetworkPolicyProps extends ScpExemptions {
  /** organizationPolicies.requirePrivateNetwork, resolved; unset: none. */
  readonly privateNetwork?: ManagementConfig['privateNetwork'];
}

export class PrivateNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PrivateNetworkPolicyProps) {
    super(scope, id);
    const p = props.privateNetwork;
    if (!p) return;
    const scp = new OrganizationsPolicy(this, PRIVATE_NETWORK_POLICY, {
      name: 'bedrock-require-private-network',
      description: `Bedrock: invoke models only through the landing zone's VPCs (${p.vpcIds.join(', ')})`.slice(0, 512),
      type: 'SERVICE_CONTROL_POLICY',
      content: JSON.stringify(
        requirePrivateNetworkScp({
          partition: props.partition,
          deployRoleName: props.deployRoleName,
          breakGlassRoleArns: props.breakGlassRoleArns,
          vpcIds: p.vpcIds,
        }),
      ),
    });
    scp.overrideLogicalId(PRIVATE_NETWORK_POLICY);
    for (const targetId of p.targetIds)
      new OrganizationsPolicyAttachment(this, `${PRIVATE_NETWORK_POLICY}-${targetId}`, { policyId: scp.id, targetId }).overrideLogicalId(
        `${PRIVATE_NETWORK_POLICY}_${targetId.replace(/-/g, '_')}`,
      );
  }
}
