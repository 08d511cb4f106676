/**
 * The SCPs that keep inference on the logged path (organizationPolicies.loggedInferenceOnly,
 * organizationPolicies.apiKeys; policies/inference-path-policies.ts): removing either, detaching it,
 * allowing long-term API keys, or widening allowMantle opens a path to a model that leaves
 * no invocation log and no tenant attribution.
 */
import { deniedKeyTypes } from '../../policies/inference-path-policies';
import { INFERENCE_PATH_POLICIES } from '../../stacks/management/inference-paths';
import type { PolicyDocument } from '../../policies/document';
import type { ScpStatement } from '../../policies/organization-policies';
import { statementsOf } from '../terraform-json';
import { parseJson } from '../values';
import { DangerRule } from './types';

const LOGGED = INFERENCE_PATH_POLICIES.loggedInferenceOnly;
const KEYS = INFERENCE_PATH_POLICIES.apiKeys;
const list = (v: unknown): string[] => (v === undefined ? [] : ([] as string[]).concat(v as string | string[]));

/** What a logged-inference-only SCP allows on bedrock-mantle: the principals the main Deny spares (undefined: no main Deny, everyone), and the models per restricted principal set. */
function mantleAllowed(doc: unknown): { principals?: Set<string>; models: Map<string, Set<string>> } {
  const st = statementsOf(doc);
  const main = st.find((s) => s.Sid === 'DenyUnloggedInference');
  const models = new Map<string, Set<string>>();
  for (const s of st.filter((x) => /^MantleModelsOnly\d+$/.test(x.Sid ?? ''))) {
    const key = JSON.stringify(list(s.Condition?.ArnLike?.['aws:PrincipalArn']).sort());
    models.set(key, new Set(list(s.Condition?.StringNotEquals?.['bedrock-mantle:Model'])));
  }
  return { principals: main && new Set(list(main.Condition?.ArnNotLike?.['aws:PrincipalArn'])), models };
}

/** How the head's allowMantle is wider than the base's. */
export function mantleWidening(before: unknown, after: unknown): string[] {
  const b = mantleAllowed(before);
  const a = mantleAllowed(after);
  const out: string[] = [];
  if (b.principals && !a.principals)
    out.push('bedrock-mantle inference allowed to every principal (the Deny of unlogged inference is gone)');
  else if (b.principals && a.principals) {
    const added = [...a.principals].filter((p) => !b.principals!.has(p));
    if (added.length) out.push(`bedrock-mantle (unlogged) inference allowed to ${added.join(', ')}`);
  }
  for (const [principals, models] of b.models) {
    const now = a.models.get(principals);
    // A restriction removed together with its principals' exemption (the entry removed) narrows instead.
    const stillAllowed = !a.principals || (JSON.parse(principals) as string[]).some((p) => a.principals!.has(p)) || principals === '[]';
    if (!now && stillAllowed) out.push(`the model restriction of ${principals} on bedrock-mantle removed: any model`);
    else if (now) {
      const added = [...now].filter((m) => !models.has(m));
      if (added.length) out.push(`bedrock-mantle models ${added.join(', ')} allowed to ${principals}`);
    }
  }
  return out;
}

export const inferencePathOpened: DangerRule = {
  cause: 'inference-path-opened',
  title: 'Unlogged path to a model opened (bedrock-mantle or API keys)',
  when: 'the `organizationPolicies.loggedInferenceOnly` or `organizationPolicies.apiKeys` SCP is removed or detached from a target, long-term (or short-term) Bedrock API keys are allowed again, or `allowMantle` is widened: a new principal, a model added, a model restriction removed (docs/model-access-paths.md)',
  check(i) {
    const name = i.address.split('.')[1] ?? '';
    const which =
      name === LOGGED || name.startsWith(`${LOGGED}_`)
        ? 'loggedInferenceOnly'
        : name === KEYS || name.startsWith(`${KEYS}_`)
          ? 'apiKeys'
          : undefined;
    if (!which || !['aws_organizations_policy', 'aws_organizations_policy_attachment'].includes(i.type)) return [];
    if (i.action === 'delete') {
      const what = which === 'loggedInferenceOnly' ? 'unlogged bedrock-mantle inference' : 'Bedrock API keys';
      return i.type === 'aws_organizations_policy'
        ? [`organizationPolicies.${which} SCP removed: ${what} no longer denied anywhere`]
        : [`organizationPolicies.${which} SCP detached from ${i.before?.target_id ?? name}: ${what} no longer denied there`];
    }
    if (i.type !== 'aws_organizations_policy' || i.action !== 'update' || i.before === undefined || i.after === undefined) return [];
    const before = parseJson<PolicyDocument<ScpStatement>>(i.before.content);
    const after = parseJson<PolicyDocument<ScpStatement>>(i.after.content);
    if (which === 'loggedInferenceOnly') return mantleWidening(before, after);
    const b = deniedKeyTypes(before);
    const a = deniedKeyTypes(after);
    const out: string[] = [];
    if (b.longTermCreation && !a.longTermCreation)
      out.push('long-term Bedrock API keys (IAM service-specific credentials) may be created again');
    for (const t of b.types.filter((x) => !a.types.includes(x)))
      out.push(`${t === 'LONG_TERM' ? 'long-term' : 'short-term'} Bedrock API keys allowed again (CallWithBearerToken)`);
    return out;
  },
};
