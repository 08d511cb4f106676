/**
 * Amazon Bedrock Guardrails in the plan review (stacks/safety/):
 *
 * - weakened (guardrailWeakened, dangerous): a guardrail deleted; a guardrail whose
 *   filters, PII actions, denied topics, word filters or grounding thresholds got
 *   weaker; a tenant policy that no longer enforces a guardrail, or that switches to
 *   a weaker one. Each finding names the old -> new value. Strengthening (a higher
 *   strength, ANONYMIZE -> BLOCK, a new topic, a higher threshold) is not dangerous.
 * - version changes (guardrailVersionChange): a tenant policy whose version to send
 *   changes says "callers must send version N" with N; it is dangerous when a version
 *   callers may still send stops being accepted (no overlap, or the overlap ends), a
 *   note while the previous version stays accepted. A guardrail changed under an
 *   unchanged revision is dangerous too: the version's postcondition refuses the plan.
 */
import { TENANT_GUARDRAILS_OUTPUT, TENANT_POLICY_PREFIX } from '../../config/naming';
import { asList } from '../../policies/document';
import { GUARDRAIL_KEY } from '../../policies/guardrail-enforcement';
import { Json, JsonObject, TerraformBody, asObject, at } from '../terraform-json';
import { DangerRule, Resources, block, blocks } from './types';

const GUARDRAIL = 'aws_bedrock_guardrail';
const VERSION = 'aws_bedrock_guardrail_version';
const RANK: Record<string, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

const nameOf = (body: TerraformBody | undefined, address: string) => body?.name ?? address.split('.')[1];

/** How `after` is weaker than `before` (two aws_bedrock_guardrail bodies), as "what: old -> new". */
export function guardrailWeakening(before: TerraformBody | undefined, after: TerraformBody | undefined): string[] {
  const out: string[] = [];
  const filters = (b: TerraformBody | undefined) =>
    new Map<Json, JsonObject>(blocks(block(b?.content_policy_config)?.filters_config).map((f) => [asObject(f).type, asObject(f)]));
  const fb = filters(before);
  const fa = filters(after);
  for (const [type, f] of fb)
    for (const side of ['input', 'output'] as const) {
      const old = f[`${side}_strength`] ?? 'NONE';
      const now = fa.get(type)?.[`${side}_strength`] ?? 'NONE';
      if ((RANK[String(now)] ?? 0) < (RANK[String(old)] ?? 0))
        out.push(`content filter ${type} ${side} strength ${old} -> ${fa.has(type) ? now : 'removed (NONE)'}`);
    }
  const pii = (b: TerraformBody | undefined) =>
    new Map<Json, Json>(
      blocks(block(b?.sensitive_information_policy_config)?.pii_entities_config).map((p) => [asObject(p).type, asObject(p).action]),
    );
  const pb = pii(before);
  const pa = pii(after);
  for (const [type, action] of pb) {
    const now = pa.get(type);
    if (now === undefined) out.push(`PII ${type} ${action} -> removed`);
    else if (action === 'BLOCK' && now === 'ANONYMIZE') out.push(`PII ${type} BLOCK -> ANONYMIZE`);
  }
  const topics = (b: TerraformBody | undefined) => blocks(block(b?.topic_policy_config)?.topics_config).map((t) => asObject(t).name);
  const ta = topics(after);
  for (const t of topics(before)) if (!ta.includes(t)) out.push(`denied topic "${t}" -> removed`);
  const words = (b: TerraformBody | undefined) => block(b?.word_policy_config);
  const managed = (b: TerraformBody | undefined) => blocks(words(b)?.managed_word_lists_config).map((m) => asObject(m).type);
  for (const m of managed(before)) if (!managed(after).includes(m)) out.push(`managed word list ${m} -> removed`);
  const custom = (b: TerraformBody | undefined) => blocks(words(b)?.words_config).map((w) => asObject(w).text);
  const gone = custom(before).filter((w) => !custom(after).includes(w));
  if (gone.length) out.push(`blocked words ${gone.map((w) => JSON.stringify(w)).join(', ')} -> removed`);
  const grounding = (b: TerraformBody | undefined) =>
    new Map<Json, Json>(
      blocks(block(b?.contextual_grounding_policy_config)?.filters_config).map((f) => [asObject(f).type, asObject(f).threshold]),
    );
  const ga = grounding(after);
  for (const [type, threshold] of grounding(before)) {
    const now = ga.get(type);
    if (now === undefined) out.push(`contextual grounding ${type} threshold ${threshold} -> removed`);
    else if (Number(now) < Number(threshold)) out.push(`contextual grounding ${type} threshold ${threshold} -> ${now}`);
  }
  return out;
}

/** One guardrail version a tenant policy accepts: the guardrail's logical ID, and the version as the policy holds it (a reference or a number). */
export interface AcceptedVersion {
  guardrail: string;
  version: string;
}

/**
 * The versions a tenant invoke policy accepts, in the policy's order (the version
 * to send first), from the StringEquals on bedrock:GuardrailIdentifier of its invoke
 * Allow; empty when it enforces no guardrail.
 */
export function acceptedVersions(policy: unknown): AcceptedVersion[] {
  let doc: unknown;
  try {
    doc = typeof policy === 'string' ? JSON.parse(policy) : policy;
  } catch {
    return [];
  }
  const allow = asList(at(doc, 'Statement')).find(
    (s) => at(s, 'Effect') === 'Allow' && at(s, 'Condition', 'StringEquals', GUARDRAIL_KEY) !== undefined,
  );
  return asList(at(allow, 'Condition', 'StringEquals', GUARDRAIL_KEY)).flatMap((v) => {
    const m = /^\$\{aws_bedrock_guardrail\.([\w-]+)\.guardrail_arn\}:(.+)$/.exec(String(v));
    return m ? [{ guardrail: m[1], version: m[2] }] : [];
  });
}

/** The guardrail (logical ID) a tenant invoke policy enforces, if any. */
export function enforcedGuardrail(policy: unknown): string | undefined {
  return acceptedVersions(policy)[0]?.guardrail;
}

const VERSION_REF = /^\$\{aws_bedrock_guardrail_version\.([\w-]+)\.version\}$/;
/** The revision a version resource publishes, from its description ("..., revision 3 (...)"); versions from before revisions existed are revision 1. */
const revisionOf = (body: TerraformBody | undefined): number => Number(/, revision (\d+) /.exec(String(body?.description ?? ''))?.[1] ?? 1);
/** The configuration hash a version resource's description names. */
const configurationOf = (body: TerraformBody | undefined): string | undefined =>
  /^Configuration ([0-9a-f]+) of guardrail /.exec(String(body?.description ?? ''))?.[1];

/** `guardrail "standard"`: the guardrail a policy names, by its name in the stack. */
const guardrailName = (v: AcceptedVersion, stack: Resources) =>
  `guardrail "${nameOf(stack.get(`${GUARDRAIL}.${v.guardrail}`), `${GUARDRAIL}.${v.guardrail}`)}"`;
/** The version resource a policy's version refers to, if it is a reference. */
const versionResource = (v: AcceptedVersion) => VERSION_REF.exec(v.version)?.[1];

/** `the version of revision 1 of guardrail "standard"`, or `version 7 of guardrail "standard"` where the policy holds the number. */
function versionName(v: AcceptedVersion, stack: Resources): string {
  const ref = versionResource(v);
  return ref
    ? `the version of revision ${revisionOf(stack.get(`${VERSION}.${ref}`))} of ${guardrailName(v, stack)}`
    : `version ${v.version} of ${guardrailName(v, stack)}`;
}

/** `version N = revision 3 of guardrail "standard" (...)` with where N will be, or `version 7 of guardrail "standard"` where the policy holds the number. */
function mustSend(v: AcceptedVersion, tenant: string, base: Resources, head: Resources): string {
  const ref = versionResource(v);
  if (!ref) return versionName(v, head);
  const when = base.has(`${VERSION}.${ref}`) ? 'already published' : 'published by this apply';
  return `version N = revision ${revisionOf(head.get(`${VERSION}.${ref}`))} of ${guardrailName(v, head)} (${when}; N is in output ${TENANT_GUARDRAILS_OUTPUT}["${tenant}"].version)`;
}

/** The tenant of an invoke policy, from its name (bedrock-invoke-<tenant>-<region>). */
function tenantOf(body: TerraformBody | undefined, address: string): string {
  const name = String(body?.name ?? '');
  if (!name.startsWith(TENANT_POLICY_PREFIX)) return address.split('.')[1];
  return name.slice(TENANT_POLICY_PREFIX.length).replace(/-[a-z]{2}(?:-[a-z]+)+-\d+$/, '');
}

const key = (v: AcceptedVersion) => `${v.guardrail}:${v.version}`;

/** What a tenant policy's change asks of its callers: [dangerous findings, notes]. */
function versionFindings(i: Parameters<DangerRule['check']>[0]): [string[], string[]] {
  if (i.type !== 'aws_iam_policy' || i.after === undefined) return [[], []];
  // A new tenant's policy (created) asks the same of its callers as a guardrail given to an existing tenant.
  const before = i.before === undefined ? [] : acceptedVersions(i.before.policy);
  const after = acceptedVersions(i.after.policy);
  if (!after.length) return [[], []]; // no guardrail now: guardrailWeakened reports it
  const tenant = tenantOf(i.after, i.address);
  const send = `tenant "${tenant}": callers must send ${mustSend(after[0], tenant, i.baseStack, i.headStack)}`;
  if (!before.length) return [[], [`${send} from this apply on; requests without it are denied`]];
  const kept = new Set(after.map(key));
  const dropped = before.filter((v) => !kept.has(key(v)));
  if (dropped.length)
    return [
      [
        `${send}: ${dropped.map((v) => versionName(v, i.baseStack)).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} no longer accepted, and callers still sending it are denied from this apply on`,
      ],
      [],
    ];
  if (key(before[0]) === key(after[0])) return [[], []];
  return [[], [`${send}; ${versionName(before[0], i.baseStack)}, which they send now, stays accepted until a later apply removes it`]];
}

/** A guardrail whose current version keeps its address but not its configuration: its postcondition fails the plan. */
function changedUnderRevision(i: Parameters<DangerRule['check']>[0]): string[] {
  if (i.type !== GUARDRAIL || (i.action !== 'update' && i.action !== 'unclassified')) return [];
  const arn = `\${${i.address}.guardrail_arn}`;
  const versions = [...i.headStack].filter(([a, body]) => a.startsWith(`${VERSION}.`) && body?.guardrail_arn === arn);
  if (!versions.length) return [];
  const [address, current] = versions.reduce((x, y) => (revisionOf(y[1]) > revisionOf(x[1]) ? y : x));
  const old = i.baseStack.get(address);
  if (!old || configurationOf(old) === configurationOf(current)) return [];
  const revision = revisionOf(current);
  return [
    `guardrail "${nameOf(i.after, i.address)}" changed under its revision ${revision}: Terraform refuses the plan (the postcondition of ${address}), because revision ${revision} was published from the previous configuration; set its revision to ${revision + 1} (bedrockGuardrails[].revision) to publish the change as a new version`,
  ];
}

export const guardrailVersionChange: DangerRule = {
  cause: 'guardrail-version',
  title: 'Bedrock guardrail version no longer accepted, or a guardrail changed without a new revision',
  check: (i) => [...changedUnderRevision(i), ...versionFindings(i)[0]],
  notes: (i) => versionFindings(i)[1],
};

export const guardrailWeakened: DangerRule = {
  cause: 'guardrail-weakened',
  title: 'Bedrock guardrail weakened, deleted or removed from a tenant',
  when: "a guardrail's filter, PII action, denied topic, word list or grounding is weakened, a guardrail deleted, or a tenant's policy drops or swaps its guardrail (docs/bedrock-guardrails.md)",
  check(i) {
    if (i.type === GUARDRAIL) {
      if (i.action === 'delete')
        return [`guardrail "${nameOf(i.before, i.address)}" deleted: its tenants' requests are no longer filtered by it`];
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
