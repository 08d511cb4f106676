/**
 * The approved-model SCPs (guardrails.approvedModels; policies/approved-model-policies.ts):
 * removing one, detaching it from a target, or growing its list lets member accounts invoke
 * models nobody approved for them (docs/model-governance.md).
 */
import { approvedInScp } from '../../policies/approved-model-policies';
import { APPROVED_MODELS_POLICY } from '../../stacks/management/approved-models';
import { DangerRule } from './types';

const parse = (text: unknown): any => {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};
const NAME = new RegExp(`^${APPROVED_MODELS_POLICY}_\\d+(_part\\d+)?`);

/** How the head's approved-model SCP allows more than the base's. */
export function approvedModelsGrown(before: any, after: any): string[] {
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

export const modelPerimeterWidened: DangerRule = {
  cause: 'model-perimeter-widened',
  title: 'Model perimeter widened (approved-model SCP)',
  when: 'a `guardrails.approvedModels` SCP is removed or detached from a target, or its list of approved models (or bedrock-mantle models) grows (docs/model-governance.md)',
  check(i) {
    const name = i.address.split('.')[1] ?? '';
    if (!NAME.test(name) || !['aws_organizations_policy', 'aws_organizations_policy_attachment'].includes(i.type)) return [];
    if (i.action === 'delete')
      return i.type === 'aws_organizations_policy'
        ? [`guardrails.approvedModels SCP ${name} removed: its targets may invoke any model`]
        : [`guardrails.approvedModels SCP detached from ${i.before?.target_id ?? name}: any model may be invoked there`];
    if (i.type !== 'aws_organizations_policy' || i.action !== 'update' || i.before === undefined || i.after === undefined) return [];
    return approvedModelsGrown(parse(i.before.content), parse(i.after.content));
  },
};
