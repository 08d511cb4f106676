/**
 * Amazon Bedrock Guardrails weakened (stacks/safety/): a guardrail deleted; a
 * guardrail whose filters, PII actions, denied topics, word filters or grounding
 * thresholds got weaker; a tenant policy that no longer enforces a guardrail, or
 * that switches to a weaker one. Each finding names the old -> new value.
 * Strengthening (a higher strength, ANONYMIZE -> BLOCK, a new topic, a higher
 * threshold) is not dangerous.
 */
import { DangerRule, block, blocks } from './types';

const GUARDRAIL = 'aws_bedrock_guardrail';
const RANK: Record<string, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

const nameOf = (body: any, address: string) => body?.name ?? address.split('.')[1];

/** How `after` is weaker than `before` (two aws_bedrock_guardrail bodies), as "what: old -> new". */
export function guardrailWeakening(before: any, after: any): string[] {
  const out: string[] = [];
  const filters = (b: any) => new Map<string, any>(blocks(block(b?.content_policy_config)?.filters_config).map((f: any) => [f.type, f]));
  const fb = filters(before);
  const fa = filters(after);
  for (const [type, f] of fb)
    for (const side of ['input', 'output'] as const) {
      const old = f[`${side}_strength`] ?? 'NONE';
      const now = fa.get(type)?.[`${side}_strength`] ?? 'NONE';
      if ((RANK[now] ?? 0) < (RANK[old] ?? 0)) out.push(`content filter ${type} ${side} strength ${old} -> ${fa.has(type) ? now : 'removed (NONE)'}`);
    }
  const pii = (b: any) => new Map<string, string>(blocks(block(b?.sensitive_information_policy_config)?.pii_entities_config).map((p: any) => [p.type, p.action]));
  const pb = pii(before);
  const pa = pii(after);
  for (const [type, action] of pb) {
    const now = pa.get(type);
    if (now === undefined) out.push(`PII ${type} ${action} -> removed`);
    else if (action === 'BLOCK' && now === 'ANONYMIZE') out.push(`PII ${type} BLOCK -> ANONYMIZE`);
  }
  const topics = (b: any) => blocks(block(b?.topic_policy_config)?.topics_config).map((t: any) => t.name as string);
  const ta = topics(after);
  for (const t of topics(before)) if (!ta.includes(t)) out.push(`denied topic "${t}" -> removed`);
  const words = (b: any) => block(b?.word_policy_config);
  const managed = (b: any) => blocks(words(b)?.managed_word_lists_config).map((m: any) => m.type as string);
  for (const m of managed(before)) if (!managed(after).includes(m)) out.push(`managed word list ${m} -> removed`);
  const custom = (b: any) => blocks(words(b)?.words_config).map((w: any) => w.text as string);
  const gone = custom(before).filter((w) => !custom(after).includes(w));
  if (gone.length) out.push(`blocked words ${gone.map((w) => JSON.stringify(w)).join(', ')} -> removed`);
  const grounding = (b: any) => new Map<string, number>(blocks(block(b?.contextual_grounding_policy_config)?.filters_config).map((f: any) => [f.type, f.threshold]));
  const ga = grounding(after);
  for (const [type, threshold] of grounding(before)) {
    const now = ga.get(type);
    if (now === undefined) out.push(`contextual grounding ${type} threshold ${threshold} -> removed`);
    else if (now < threshold) out.push(`contextual grounding ${type} threshold ${threshold} -> ${now}`);
  }
  return out;
}

/** The guardrail (logical ID) a tenant invoke policy enforces, if any. */
export function enforcedGuardrail(policy: unknown): string | undefined {
  if (typeof policy !== 'string') return undefined;
  return /"bedrock:GuardrailIdentifier":\s*"\$\{aws_bedrock_guardrail\.([\w-]+)\.guardrail_arn\}/.exec(policy)?.[1];
}

export const guardrailWeakened: DangerRule = {
  cause: 'guardrail-weakened',
  title: 'Bedrock guardrail weakened, deleted or removed from a tenant',
  when: "a guardrail's filter, PII action, denied topic, word list or grounding is weakened, a guardrail deleted, or a tenant's policy drops or swaps its guardrail (docs/bedrock-guardrails.md)",
  check(i) {
    if (i.type === GUARDRAIL) {
      if (i.action === 'delete') return [`guardrail "${nameOf(i.before, i.address)}" deleted: its tenants' requests are no longer filtered by it`];
      if (i.action === 'update' || i.action === 'replace' || i.action === 'unclassified') {
        // One line per guardrail: the weakened settings as a short list.
        const weaker = guardrailWeakening(i.before, i.after);
        return weaker.length ? [`guardrail "${nameOf(i.after, i.address)}" weakened: ${weaker.join('; ')}`] : [];
      }
      return [];
    }
    if (i.type !== 'aws_iam_policy' || i.before === undefined) return [];
    const old = enforcedGuardrail(i.before.policy);
    if (!old) return [];
    const now = i.after === undefined ? undefined : enforcedGuardrail(i.after.policy);
    const oldName = nameOf(i.baseStack.get(`${GUARDRAIL}.${old}`), `${GUARDRAIL}.${old}`);
    if (i.after === undefined) return []; // the tenant left this stack: its profiles and policy go together
    if (!now) return [`tenant policy no longer enforces a guardrail: guardrail "${oldName}" -> none (the tenant may invoke without one)`];
    if (now === old) return [];
    const newName = nameOf(i.headStack.get(`${GUARDRAIL}.${now}`), `${GUARDRAIL}.${now}`);
    const weaker = guardrailWeakening(i.baseStack.get(`${GUARDRAIL}.${old}`), i.headStack.get(`${GUARDRAIL}.${now}`));
    return weaker.length ? [`tenant policy switches to a weaker guardrail: "${oldName}" -> "${newName}" (${weaker.join('; ')})`] : [];
  },
};
