/**
 * The approved-model SCPs (organizationPolicies.approvedModels; policies/approved-model-policies.ts):
 * removing one, detaching it from a target, or growing its list lets member accounts invoke
 * models nobody approved for them (docs/model-governance.md).
 */
import { approvedInScp } from '../../policies/approved-model-policies';
import type { PolicyDocument } from '../../policies/document';
import type { ScpStatement } from '../../policies/organization-policies';
import { APPROVED_MODELS_POLICY } from '../../stacks/management/approved-models';
import { PRIVATE_NETWORK_POLICY } from '../../stacks/management/private-network';
import { PolicyStatement, statementsOf } from '../terraform-json';
import { parseJson } from '../values';
import { DangerRule } from './types';

const NAME = new RegExp(`^${APPROVED_MODELS_POLICY}_\\d+(_part\\d+)?`);

/** How the head's approved-model SCP allows more than the base's. */
export function approvedModelsGrown(
  before: PolicyDocument<ScpStatement> | undefined,
  after: PolicyDocument<ScpStatement> | undefined,
): string[] {
  const b = approvedInScp(before);
  const a = approvedInScp(after);
  const out: string[] = [];
  const added = a.models.filter((m) => !b.models.includes(m));
  if (added.length) out.push(`approved models grown: ${added.join(', ')}`);
  if (b.mantle && !a.mantle) out.push('unapproved models no longer denied on bedrock-mantle');
  else if (b.mantle && a.mantle) {
    const more = a.mantle.filter((m) => !b.mantle!.includes(m));
    if (more.length) out.push(`approved bedrock-mantle models grown: ${more.join(', ')}`);
  }
  return out;
}

/** How the head's private-path SCP admits more than the base's: a VPC added (or the ViaAWSService exception widened). */
export function privatePathWidened(before: unknown, after: unknown): string[] {
  const vpcs = (doc: unknown): string[] => listOf(statementsOf(doc)[0]?.Condition?.StringNotEqualsIfExists?.['aws:SourceVpc']);
  const added = vpcs(after).filter((v) => !vpcs(before).includes(v));
  return added.length ? [`organizationPolicies.requirePrivateNetwork admits invocations from more VPCs: ${added.join(', ')}`] : [];
}

export const privatePathOpened: DangerRule = {
  cause: 'private-path-opened',
  title: 'Private-network requirement removed or widened (requirePrivateNetwork SCP)',
  when: 'the `organizationPolicies.requirePrivateNetwork` SCP is removed or detached from a target, or it admits another VPC (docs/model-governance.md)',
  check(i) {
    const name = i.address.split('.')[1] ?? '';
    if (!name.startsWith(PRIVATE_NETWORK_POLICY) || !['aws_organizations_policy', 'aws_organizations_policy_attachment'].includes(i.type))
      return [];
    if (i.action === 'delete')
      return i.type === 'aws_organizations_policy'
        ? ['organizationPolicies.requirePrivateNetwork SCP removed: its targets may invoke models from anywhere']
        : [
            `organizationPolicies.requirePrivateNetwork SCP detached from ${i.before?.target_id ?? name}: models may be invoked from anywhere there`,
          ];
    if (i.type !== 'aws_organizations_policy' || i.action !== 'update' || i.before === undefined || i.after === undefined) return [];
    return privatePathWidened(parseJson(i.before.content), parseJson(i.after.content));
  },
};

export const modelPerimeterWidened: DangerRule = {
  cause: 'model-perimeter-widened',
  title: 'Model perimeter widened (approved-model SCP)',
  when: 'a `organizationPolicies.approvedModels` SCP is removed or detached from a target, or its list of approved models (or bedrock-mantle models) grows (docs/model-governance.md)',
  check(i) {
    const name = i.address.split('.')[1] ?? '';
    if (!NAME.test(name) || !['aws_organizations_policy', 'aws_organizations_policy_attachment'].includes(i.type)) return [];
    if (i.action === 'delete')
      return i.type === 'aws_organizations_policy'
        ? [`organizationPolicies.approvedModels SCP ${name} removed: its targets may invoke any model`]
        : [`organizationPolicies.approvedModels SCP detached from ${i.before?.target_id ?? name}: any model may be invoked there`];
    if (i.type !== 'aws_organizations_policy' || i.action !== 'update' || i.before === undefined || i.after === undefined) return [];
    return approvedModelsGrown(
      parseJson<PolicyDocument<ScpStatement>>(i.before.content),
      parseJson<PolicyDocument<ScpStatement>>(i.after.content),
    );
  },
};

const listOf = (v: unknown): string[] => (v === undefined ? [] : ([] as string[]).concat(v as string | string[]));

/** How the head's endpoint policy admits more than the base's. A new tenant profile of the stack (a Terraform reference) is routine, not a widening. */
export function endpointPolicyWidened(before: unknown, after: unknown): string[] {
  const allows = (doc: unknown) => statementsOf(doc).filter((s) => s.Effect === 'Allow');
  const b = allows(before);
  const a = allows(after);
  const out: string[] = [];
  const orgs = (l: PolicyStatement[]) => new Set(l.flatMap((s) => listOf(s.Condition?.StringEquals?.['aws:PrincipalOrgID'])));
  if (a.some((s) => !s.Condition?.StringEquals?.['aws:PrincipalOrgID'])) {
    if (b.every((s) => s.Condition?.StringEquals?.['aws:PrincipalOrgID']))
      out.push('endpoint policy admits principals outside the organization (an Allow without aws:PrincipalOrgID)');
  } else {
    const added = [...orgs(a)].filter((o) => !orgs(b).has(o));
    if (added.length) out.push(`endpoint policy admits organization ${added.join(', ')}`);
  }
  const actions = (l: PolicyStatement[]) => new Set(l.flatMap((s) => listOf(s.Action)));
  const moreActions = [...actions(a)].filter((x) => !actions(b).has(x));
  if (moreActions.length) out.push(`endpoint policy admits actions ${moreActions.join(', ')}`);
  const resources = (l: PolicyStatement[]) => new Set(l.flatMap((s) => listOf(s.Resource)));
  const moreResources = [...resources(a)].filter((r) => !resources(b).has(r) && !r.startsWith('${aws_bedrock_inference_profile.'));
  if (moreResources.length) out.push(`endpoint policy admits resources ${moreResources.join(', ')}`);
  return out;
}

export const endpointPolicyWidenedRule: DangerRule = {
  cause: 'endpoint-policy-widened',
  title: 'Bedrock VPC endpoint policy widened',
  when: 'the policy of a Bedrock interface endpoint (`network`) admits principals outside the organization, another organization, more actions, or resources other than a new tenant profile of the stack (docs/model-governance.md)',
  check(i) {
    if (i.type !== 'aws_vpc_endpoint' || i.action !== 'update' || i.before === undefined || i.after === undefined) return [];
    return endpointPolicyWidened(parseJson(i.before.policy), parseJson(i.after.policy));
  },
};
