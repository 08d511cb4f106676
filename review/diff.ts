/**
 * Compares two synthesized stacks (cdk.tf.json) resource by resource, decides
 * create / adopt / update / replace / delete from the resource-type contract
 * (or "unclassified" where the contract has no row), renders every changed
 * attribute as old -> new, and runs the danger rules (review/rules/).
 */
import { asList } from '../policies/document';
import { classified, forcesNew, isStateful } from './contract';
import { RULES } from './rules';
import { TerraformBody, TerraformConfig, asObject, at } from './terraform-json';
import { Action, Resources } from './rules/types';
import { ValueChange, diffPaths, valueChanges } from './values';

export type { Action, Resources } from './rules/types';
export { diffPaths } from './values';

export interface Change {
  address: string;
  action: Action;
  dangerous: boolean;
  reason: string;
  /** Changed attribute paths, for updates and replacements. */
  attributes?: string[];
  /** Every changed attribute as old -> new (long bodies summarized, policies as a statement diff). */
  values?: ValueChange[];
  /** The causes (rule keys) that make it dangerous, for grouping. */
  causes?: string[];
  /** Set when the stack's environment is in deployment.review.warnOnly: shown as a warning, it does not fail the check. */
  warning?: boolean;
  /** Set when a --accept pattern acknowledged this dangerous change. */
  accepted?: boolean;
  /** The acknowledgements that matched it, with their reasons (the accept file as an audit trail). */
  acceptedBy?: { pattern: string; reason?: string; source: string }[];
  /** What the change asks of someone, without being dangerous (DangerRule.notes). */
  notes?: string[];
  /** A policy widening that follows from a stack the same change adds (review/added-stacks.ts): shown, not dangerous. */
  expected?: string;
}

const META = ['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each'];

/** All resources of a synthesized stack, by address, without cdktf metadata. */
export function resourcesOf(tf: TerraformConfig | undefined): Resources {
  const out: Resources = new Map();
  for (const [type, byName] of Object.entries(tf?.resource ?? {}))
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, body);
  return out;
}

/**
 * Addresses the stack forgets with Terraform `removed` blocks whose lifecycle says
 * `destroy = false`: they leave state and stay in AWS (Terraform >= 1.7).
 */
export function forgetsOf(tf: TerraformConfig | undefined): Set<string> {
  return new Set((tf?.removed ?? []).filter((b) => b?.from && at(b, 'lifecycle', 'destroy') === false).map((b) => String(b.from)));
}

export const FORGET_REASON =
  'forgotten: a removed block with destroy = false takes it out of Terraform state; it stays in AWS, no longer managed';

/** Addresses the stack imports with Terraform import blocks (`import { to = ... }`). */
export function importsOf(tf: TerraformConfig | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of tf?.import ?? []) if (block?.to) out.set(String(block.to), String(block.id ?? ''));
  return out;
}

function withoutMeta(body: TerraformBody | undefined): TerraformBody {
  return Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !META.includes(k)));
}

/**
 * The head's arguments as Terraform plans them: an argument the head's
 * `lifecycle.ignore_changes` names keeps its base value (Terraform plans from the
 * prior state there), and `all` keeps every argument. Nested paths
 * (`tags["team"]`) are ignored as their top-level argument.
 */
export function withIgnoredChanges(before: TerraformBody | undefined, after: TerraformBody): TerraformBody {
  const ignored = asList(at(after, 'lifecycle', 'ignore_changes'));
  if (!ignored.length) return after;
  if (ignored.includes('all')) return { ...before, lifecycle: after.lifecycle };
  const out = { ...after };
  for (const path of ignored) {
    const top = /^[^.[]+/.exec(String(path))?.[0];
    if (!top) continue;
    if (before?.[top] === undefined) delete out[top];
    else out[top] = before[top];
  }
  return out;
}

export interface StackContext {
  baseStack: Resources;
  headStack: Resources;
  /** Addresses the head imports (adopts), with the import ID. */
  imports?: Map<string, string>;
  /** Addresses the head forgets (removed blocks with destroy = false). */
  forgets?: Set<string>;
}

/** Runs the danger rules over one change; fills dangerous, reason and causes. */
export function judge(
  change: Change,
  before: TerraformBody | undefined,
  after: TerraformBody | undefined,
  forcing: string[],
  ctx: StackContext,
  fallback: string,
): Change {
  const type = change.address.split('.')[0];
  const input = { type, address: change.address, action: change.action, before, after, forcing, stateful: isStateful(type), ...ctx };
  const causes: string[] = [];
  const reasons: string[] = [];
  if (change.action === 'unclassified') {
    causes.push('unclassified');
    reasons.push(
      `${type} has no row in the resource-type contract: the review cannot tell an in-place update from a replacement (run with --plan for the provider's decision)`,
    );
  }
  const notes: string[] = [];
  for (const rule of RULES) {
    const found = rule.check(input);
    if (found.length) {
      causes.push(rule.cause);
      reasons.push(...found);
    }
    notes.push(...(rule.notes?.(input) ?? []));
  }
  change.dangerous = reasons.length > 0;
  change.reason = reasons.length ? reasons.join('; ') : fallback;
  if (causes.length) change.causes = causes;
  if (notes.length) change.notes = notes;
  return change;
}

export function classify(
  address: string,
  before: TerraformBody | undefined,
  after: TerraformBody | undefined,
  ctx: StackContext = { baseStack: new Map(), headStack: new Map() },
): Change | undefined {
  const type = address.split('.')[0];
  if (before === undefined) {
    const importId = ctx.imports?.get(address);
    if (importId !== undefined)
      return judge(
        { address, action: 'adopt', dangerous: false, reason: '' },
        before,
        after,
        [],
        ctx,
        `adopted: Terraform imports the existing resource ${importId} and creates nothing`,
      );
    return judge({ address, action: 'create', dangerous: false, reason: '' }, before, after, [], ctx, 'new resource');
  }
  if (after === undefined) {
    if (ctx.forgets?.has(address))
      return judge({ address, action: 'forget', dangerous: false, reason: '' }, before, after, [], ctx, FORGET_REASON);
    return judge({ address, action: 'delete', dangerous: false, reason: '' }, before, after, [], ctx, 'resource removed');
  }
  const b = withoutMeta(before);
  const a = withoutMeta(withIgnoredChanges(before, after));
  const attributes = diffPaths(b, a);
  const lostProtection = at(before, 'lifecycle', 'prevent_destroy') === true && at(after, 'lifecycle', 'prevent_destroy') !== true;
  if (!attributes.length && !lostProtection) return undefined;
  const forcing = attributes.filter((p) => forcesNew(type, p));
  const action: Action = !classified(type) && attributes.length ? 'unclassified' : forcing.length ? 'replace' : 'update';
  const change: Change = { address, action, dangerous: false, reason: '', attributes, values: valueChanges(b, a) };
  return judge(
    change,
    before,
    after,
    forcing,
    ctx,
    action === 'replace' ? `${forcing.join(', ')} forces a new resource` : 'in-place update',
  );
}

/** Resource-level changes between two versions of one stack (either may be absent). */
export function diffStack(base: TerraformConfig | undefined, head: TerraformConfig | undefined): Change[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const ctx: StackContext = { baseStack: before, headStack: after, imports: importsOf(head), forgets: forgetsOf(head) };
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes = addresses.flatMap((a) => classify(a, before.get(a), after.get(a), ctx) ?? []);
  // The state moves when the backend changes: Terraform would start from empty state elsewhere.
  if (base && head && JSON.stringify(stateLocation(base)) !== JSON.stringify(stateLocation(head)))
    changes.unshift({
      address: '(backend)',
      action: 'update',
      dangerous: true,
      reason: 'state location changes: migrate the state first, or Terraform plans every resource anew',
      causes: ['state-moves'],
    });
  return changes;
}

function stateLocation(tf: TerraformConfig) {
  const backend = asObject(tf.terraform?.backend);
  // The local path is absolute and differs between checkouts: compare its file name only.
  const local = backend.local
    ? {
        local: String(at(backend, 'local', 'path') ?? '')
          .split('/')
          .pop(),
      }
    : undefined;
  return { backend: local ?? backend, cloud: tf.terraform?.cloud };
}
