/**
 * --plan: the provider's own create / update / replace / delete decisions, offline.
 *
 * For each changed stack:
 *  1. plan the base stack from empty state (terraform show -json: planned values);
 *  2. build a version-4 state from those values, with each resource's schema version
 *     and attribute types from `terraform providers schema -json`; unknown computed
 *     values get placeholders the provider accepts (IDs and names a string, ARNs an
 *     ARN-shaped string, timestamps RFC 3339, the rest null; nested blocks are lists);
 *  3. converge: re-plan the base against that state (-refresh=false) and rebuild the
 *     entries that still change, until the base plans as all no-op, so placeholders
 *     that flow through references agree. A round whose changes hold no unknown value
 *     is a fixpoint, so its confirming round is left out (three plans per stack);
 *  4. plan the head against the converged state: its actions and replace_paths are
 *     the provider's decisions, cascades included, without any AWS call. When the
 *     confirming round was left out, a change on a resource the change cannot reach
 *     (`spurious`) sends the stack back to the rounds and the head is planned again.
 * See docs/review.md and FACTS.md ("Offline plan against a prior state").
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CommandEnv,
  TerraformSession,
  attachableVersion,
  findMirror,
  findTerraform,
  localBackendOnly,
  offlineOverride,
} from '../lib/terraform';
import { Change, FORGET_REASON, StackContext, forgetsOf, importsOf, judge, resourcesOf } from './diff';
import type { Action } from './rules/types';
import type { StackReview } from './review';
import { valueChange, valueChanges, render, diffPaths, valueAt } from './values';
import {
  Json,
  JsonObject,
  PlanJson,
  PlanModule,
  PlanResource,
  PlanResourceChange,
  TerraformConfig,
  asArray,
  asObject,
  asString,
  isObject,
} from './terraform-json';

/** Attribute and block schema of a resource type, as `terraform providers schema -json` gives it. */
export interface BlockSchema {
  attributes?: Record<
    string,
    { type?: Json; nested_type?: Json; computed?: boolean; optional?: boolean; required?: boolean; sensitive?: boolean }
  >;
  block_types?: Record<string, { nesting_mode: string; block: BlockSchema }>;
}
export interface ResourceSchema {
  version: number;
  block: BlockSchema;
}
export type Schemas = Record<string, ResourceSchema>;

/** Where a stack runs, for ARN-shaped placeholders: from its name, bedrock-logging-<account>-<region>. */
export function stackTarget(stack: string): { account: string; region: string } {
  const m = /-(\d{12})(?:-([a-z]{2}(?:-[a-z]+)+-\d))?$/.exec(stack);
  return { account: m?.[1] ?? '123456789012', region: m?.[2] ?? 'us-east-1' };
}

const TIMESTAMP = /(^|_)(date|time|timestamp)$|_at$|^created|^last_modified|^creation/;

/** A placeholder for an unknown computed value, or null where no safe placeholder exists (enums, numbers, lists). */
export function placeholder(
  type: string,
  name: string,
  attrType: Json | undefined,
  address: string,
  target: { account: string; region: string },
): unknown {
  // An unknown computed collection left null is planned as unknown again on every round (aws_iam_role.managed_policy_arns): empty it.
  if (Array.isArray(attrType) && (attrType[0] === 'set' || attrType[0] === 'list')) return [];
  if (Array.isArray(attrType) && attrType[0] === 'map') return {};
  if (attrType !== 'string') return null;
  const service = type.split('_')[1] ?? 'aws';
  const label = address.split('.').slice(1).join('.');
  if (name === 'arn' || name.endsWith('_arn'))
    return `arn:aws:${service}:${target.region}:${target.account}:${type.replace(/^aws_/, '')}/${label}`;
  if (TIMESTAMP.test(name)) return '2024-01-01T00:00:00Z';
  // A published version number (aws_bedrock_guardrail_version.version, "1", "2", ...): stacks interpolate it into
  // guardrail ARNs (`arn:...:guardrail/<id>:<version>`), and a null there fails the plan ("Invalid template interpolation value").
  if (name === 'version') return '1';
  if (name === 'id' || name.endsWith('_id') || name === 'name' || name.endsWith('_name'))
    return `offline-${label}-${name}`.replace(/_/g, '-');
  return null;
}

/** How fillBlock fills an unknown: the resource, where it runs, and (for the first state) the references of its configuration. */
export interface FillContext {
  type: string;
  address: string;
  target: { account: string; region: string };
  /** The value of a configuration string with interpolations (`${aws_s3_bucket.logs.id}`), when every one resolves. */
  resolve?: (expression: string) => Json | undefined;
  /** Filled where the configuration has a value (an expression) that `resolve` could not give: paths, collected here. */
  unresolved?: string[];
}

/**
 * A resource's planned values with every unknown filled (or null), shaped by its schema. With
 * `config` and `ctx.resolve`, an unknown the configuration sets from references gets the value of
 * what it refers to (the placeholder of the referenced resource, so both sides agree, as Terraform
 * would evaluate them against that state); an unknown it sets any other way is listed in `ctx.unresolved`.
 */
export function fillBlock(
  values: Json | undefined,
  unknown: Json | undefined,
  schema: BlockSchema,
  ctx: FillContext,
  config?: Json,
  at = '',
): JsonObject {
  const out: JsonObject = {};
  const vs = asObject(values);
  const us = asObject(unknown);
  const cs = asObject(config);
  for (const [name, attr] of Object.entries(schema.attributes ?? {})) {
    const v = vs[name];
    const u = us[name];
    if (u === true) {
      const c = cs[name];
      const resolved = c !== undefined && ctx.resolve ? resolveValue(c, ctx.resolve) : undefined;
      if (resolved !== undefined && resolved !== null) out[name] = resolved;
      else {
        out[name] = attr.type !== undefined ? (placeholder(ctx.type, name, attr.type, ctx.address, ctx.target) as Json) : null;
        if (c !== undefined && c !== null) ctx.unresolved?.push(`${ctx.address}${at}.${name}`);
      }
    } else out[name] = v === undefined ? null : v;
  }
  for (const [name, bt] of Object.entries(schema.block_types ?? {})) {
    const v = vs[name];
    const u = us[name];
    const c = cs[name];
    // A whole block unknown (its configuration refers to something unknown) is left empty: not a fixpoint.
    if (u === true && c !== undefined && c !== null) ctx.unresolved?.push(`${ctx.address}${at}.${name}`);
    const cAt = (i: number) => (Array.isArray(c) ? c[i] : i === 0 ? c : undefined);
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') {
      out[name] =
        v && typeof v === 'object'
          ? fillBlock(Array.isArray(v) ? v[0] : v, Array.isArray(u) ? u[0] : u, bt.block, ctx, cAt(0), `${at}.${name}`)
          : null;
    } else if (bt.nesting_mode === 'map') {
      out[name] =
        v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v).map(([k, x]) => [k, fillBlock(x, asObject(u)[k], bt.block, ctx, asObject(c)[k], `${at}.${name}.${k}`)]),
            )
          : {};
    } else {
      const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
      // A set's order in the plan need not be the configuration's: its elements are matched to the configuration only
      // when there is one; an element with unknowns that has no configuration of its own is unresolved.
      const matched = bt.nesting_mode === 'list' || list.length === 1;
      out[name] = list.map((x, i) => {
        const ui = Array.isArray(u) ? u[i] : undefined;
        const ci = matched ? cAt(i) : setConfig(x, Array.isArray(c) ? c : []);
        if (ci === undefined && c !== undefined && c !== null && hasUnknown(ui)) ctx.unresolved?.push(`${ctx.address}${at}.${name}[${i}]`);
        return fillBlock(x, ui, bt.block, ctx, ci, `${at}.${name}[${i}]`);
      });
    }
  }
  return out;
}

/**
 * The configuration of one element of a set block: the only configured element whose literal
 * arguments (those without interpolation) all equal the planned element's; undefined when not one.
 */
function setConfig(element: Json, configs: Json[]): Json | undefined {
  const planned = asObject(element);
  const literal = (v: Json) => !JSON.stringify(v).includes('${');
  const fits = configs.filter(
    (c) =>
      isObject(c) &&
      Object.entries(c).every(([k, v]) => !literal(v) || typeof v === 'object' || JSON.stringify(planned[k]) === JSON.stringify(v)),
  );
  return fits.length === 1 ? fits[0] : undefined;
}

/** A configuration value with `resolve` applied to its strings (lists and maps of them too); undefined if any does not resolve. */
function resolveValue(c: Json, resolve: (expression: string) => Json | undefined): Json | undefined {
  if (typeof c === 'string') return c.includes('${') ? resolve(c) : c;
  if (Array.isArray(c)) {
    const out = c.map((x) => resolveValue(x, resolve));
    return out.some((x) => x === undefined || x === null) ? undefined : (out as Json[]);
  }
  if (isObject(c)) {
    const out = Object.entries(c).map(([k, x]) => [k, resolveValue(x, resolve)] as const);
    return out.some(([, x]) => x === undefined || x === null) ? undefined : (Object.fromEntries(out) as JsonObject);
  }
  return c;
}

const REFERENCE = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z][a-z0-9_]*)$/;

/**
 * The value of a configuration string whose interpolations are all plain references to a top-level
 * attribute of a managed resource (`${type.name.attr}`), from `valueOf(address, attr)`; undefined when
 * any part is something else (a function, a data source, a local, a nested attribute) or has no value.
 */
export function resolveReferences(expression: string, valueOf: (address: string, attr: string) => Json | undefined): Json | undefined {
  const whole = /^\$\{([^${}]*)\}$/.exec(expression);
  if (whole) {
    const m = REFERENCE.exec(whole[1].trim());
    return m ? (valueOf(`${m[1]}.${m[2]}`, m[3]) ?? undefined) : undefined;
  }
  let ok = true;
  const text = expression.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    const m = REFERENCE.exec(inner.trim());
    const v = m ? valueOf(`${m[1]}.${m[2]}`, m[3]) : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    ok = false;
    return '';
  });
  // `%{` directives and `$${` escapes are not evaluated here.
  return ok && !text.includes('%{') && !expression.includes('$${') ? text : undefined;
}

/** One step of a path in a state's sensitive_attributes (version-4 state, Terraform 1.x). */
type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: number | string; type: 'number' | 'string' } };

/**
 * The paths of the schema's sensitive attributes in a filled instance. Terraform marks them
 * sensitive in every plan; a prior state without those marks plans an update of the resource
 * on every round (a sensitivity change), so aws_s3_bucket_object_lock_configuration.token
 * kept the base from converging.
 */
export function sensitivePaths(values: Json | undefined, schema: BlockSchema, prefix: PathStep[] = []): PathStep[][] {
  const out: PathStep[][] = [];
  for (const [name, attr] of Object.entries(schema.attributes ?? {}))
    if (attr.sensitive) out.push([...prefix, { type: 'get_attr', value: name }]);
  for (const [name, bt] of Object.entries(schema.block_types ?? {})) {
    const v = asObject(values)[name];
    const at: PathStep[] = [...prefix, { type: 'get_attr', value: name }];
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') {
      if (v && typeof v === 'object') out.push(...sensitivePaths(v, bt.block, at));
    } else if (bt.nesting_mode === 'map') {
      for (const [k, x] of Object.entries(asObject(v)))
        out.push(...sensitivePaths(x, bt.block, [...at, { type: 'index', value: { value: k, type: 'string' } }]));
    } else if (Array.isArray(v))
      v.forEach((x, i) => out.push(...sensitivePaths(x, bt.block, [...at, { type: 'index', value: { value: i, type: 'number' } }])));
  }
  return out;
}

type PlannedResource = PlanResource;

function plannedResources(plan: PlanJson): Map<string, PlannedResource> {
  const out = new Map<string, PlannedResource>();
  const walk = (m: PlanModule | undefined) => {
    for (const r of m?.resources ?? []) if (r.mode === 'managed') out.set(r.address, r);
    for (const c of m?.child_modules ?? []) walk(c);
  };
  walk(plan?.planned_values?.root_module);
  return out;
}

/** One state entry: the instance of a planned resource, unknowns filled. */
interface StateInstance {
  index_key?: string | number;
  schema_version: number;
  attributes: JsonObject;
  sensitive_attributes: PathStep[][];
}

function stateInstance(
  r: PlannedResource,
  unknown: Json | undefined,
  schemas: Schemas,
  stack: string,
  refs?: { config: Json | undefined; resolve: (expression: string) => Json | undefined; unresolved: string[] },
): StateInstance {
  const schema = schemas[r.type];
  if (!schema) throw new Error(`the provider schema has no resource type ${r.type}`);
  const ctx: FillContext = { type: r.type, address: r.address, target: stackTarget(stack), ...(refs ?? {}) };
  const attributes = fillBlock(r.values, unknown, schema.block, ctx, refs?.config);
  return {
    ...(r.index !== undefined ? { index_key: r.index } : {}),
    schema_version: schema.version,
    attributes,
    sensitive_attributes: sensitivePaths(attributes, schema.block),
  };
}

/**
 * The first state's entries, from the base plan from empty state: unknowns the configuration sets from
 * references take the referenced resource's filled value (in dependency order), so the state is
 * consistent across references; `unresolved` lists the unknowns set any other way.
 */
function firstEntries(
  plan: PlanJson,
  planned: Map<string, PlannedResource>,
  config: TerraformConfig,
  schemas: Schemas,
  stack: string,
): { entries: Map<string, StateInstance>; unresolved: string[] } {
  const unknown = new Map<string, Json | undefined>((plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown]));
  const bodies = resourcesOf(config);
  const entries = new Map<string, StateInstance>();
  const unresolved: string[] = [];
  const busy = new Set<string>();
  const build = (address: string): StateInstance | undefined => {
    const done = entries.get(address);
    if (done || busy.has(address)) return done;
    const r = planned.get(address);
    if (!r) return undefined;
    busy.add(address);
    const valueOf = (ref: string, attr: string): Json | undefined => build(ref)?.attributes[attr] ?? undefined;
    const config = bodies.get(`${r.type}.${r.name}`);
    // Without its configuration (a module's resource), any unknown counts as unresolved.
    if (config === undefined && hasUnknown(unknown.get(address))) unresolved.push(address);
    const instance = stateInstance(r, unknown.get(address), schemas, stack, {
      config,
      resolve: (e) => resolveReferences(e, valueOf),
      unresolved,
    });
    busy.delete(address);
    entries.set(address, instance);
    return instance;
  };
  for (const address of planned.keys()) build(address);
  // In the plan's order, as the rounds rebuild them.
  return { entries: new Map([...planned.keys()].map((a) => [a, entries.get(a)!])), unresolved };
}

/** A version-4 state holding `entries` (address -> instance), for the provider of the plan. */
interface StateResource {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: StateInstance[];
}

export function buildState(plan: PlanJson, entries: Map<string, StateInstance>, planned: Map<string, PlannedResource>): object {
  const resources = new Map<string, StateResource>();
  for (const [address, instance] of entries) {
    const r = planned.get(address)!;
    const key = `${r.type}.${r.name}`;
    const res: StateResource = resources.get(key) ?? {
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: `provider["${r.provider_name ?? 'registry.terraform.io/hashicorp/aws'}"]`,
      instances: [],
    };
    res.instances.push(instance);
    resources.set(key, res);
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: randomUUID(),
    outputs: {},
    resources: [...resources.values()],
    check_results: null,
  };
}

const actionOf = (actions: string[], importing: boolean): Action | undefined => {
  if (importing) return 'adopt';
  const a = [...actions].sort().join(',');
  if (a === 'no-op' || a === 'read' || a === '') return undefined;
  if (a === 'create') return 'create';
  if (a === 'update') return 'update';
  if (a === 'create,delete') return 'replace';
  if (a === 'delete') return 'delete';
  if (a === 'forget') return 'forget';
  return 'unclassified';
};

const FALLBACK: Partial<Record<Action, string>> = { create: 'new resource', delete: 'resource removed', forget: FORGET_REASON };

const pathOf = (steps: (string | number)[]) => steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');

/** The provider's values of a change without config-level differences (a cascade), unknowns shown as such. */
function planValues(change: PlanResourceChange['change']): { path: string; old: string; new: string }[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknownPaths = new Set(diffPaths({}, change.after_unknown ?? {}).filter((p) => valueAt(change.after_unknown, p) === true));
  // Known differences first; values only known after apply (new IDs, ARNs) are listed only when nothing else differs.
  const known = diffPaths(before, after).filter(
    (p) => !p.startsWith('tags_all') && !unknownPaths.has(p) && valueAt(after, p) !== undefined,
  );
  const paths = known.length ? known : [...unknownPaths].filter((p) => !p.startsWith('tags_all'));
  // Known values as the static review shows them (policies statement by statement, real values); unknown ones as such.
  return paths.flatMap((p) =>
    unknownPaths.has(p)
      ? [{ path: p, old: render(valueAt(before, p)), new: '(known after apply)' }]
      : valueChange(p, valueAt(before, p), valueAt(after, p)),
  );
}

const META = ['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each'];
const withoutMeta = (body: Json | undefined) => Object.fromEntries(Object.entries(asObject(body)).filter(([k]) => !META.includes(k)));

/**
 * The changes of one stack as the head plan (against the converged base state) has
 * them, judged by the danger rules with the configuration bodies of both sides.
 */
export function changesFromPlan(headPlan: PlanJson, base: TerraformConfig, head: TerraformConfig): Change[] {
  const baseStack = resourcesOf(base);
  const headStack = resourcesOf(head);
  const ctx: StackContext = { baseStack, headStack, imports: importsOf(head), forgets: forgetsOf(head) };
  const out: Change[] = [];
  for (const rc of headPlan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    let action = actionOf(rc.change.actions ?? [], rc.change.importing !== undefined && rc.change.importing !== null);
    // Import blocks are taken out of the offline head plan (an import reads the real resource): adopted, as the head says.
    if (action === 'create' && ctx.imports?.has(rc.address)) action = 'adopt';
    if (!action) continue;
    const before = baseStack.get(rc.address);
    const after = headStack.get(rc.address);
    // The attributes that force the replacement: Terraform's JSON format has them inside `change`.
    const forcing = asArray(rc.change.replace_paths).map((p) =>
      pathOf(asArray(p).filter((x) => typeof x !== 'object') as (string | number)[]),
    );
    const configValues = before && after ? valueChanges(withoutMeta(before), withoutMeta(after)) : [];
    const change: Change = { address: rc.address, action, dangerous: false, reason: '' };
    if (action === 'update' || action === 'replace' || action === 'unclassified') {
      change.values = configValues.length ? configValues : planValues(rc.change);
      change.attributes = change.values.map((v) => v.path);
    }
    const importId = ctx.imports?.get(rc.address) ?? rc.change.importing?.id;
    const fallback =
      action === 'adopt'
        ? `adopted: Terraform imports the existing resource${importId ? ` ${importId}` : ''} and creates nothing`
        : action === 'replace'
          ? `the provider replaces it (${forcing.join(', ') || 'a replaced dependency'})`
          : (FALLBACK[action] ?? (configValues.length ? 'in-place update' : 'in-place update caused by a changed dependency'));
    out.push(judge(change, before, after, forcing, ctx, fallback));
  }
  return out;
}

/** Runs one stack's plan in a prepared work directory; returns the plan JSON. */
async function planIn(session: TerraformSession, work: string, env: CommandEnv, state?: object): Promise<PlanJson> {
  if (state) fs.writeFileSync(path.join(work, 'terraform.tfstate'), JSON.stringify(state));
  await session.run(work, ['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin', ...(state ? ['-refresh=false'] : [])], env);
  return readPlan(await session.run(work, ['show', '-json', 'plan.bin'], env));
}

/** A `terraform show -json` output as a plan. */
function readPlan(text: string): PlanJson {
  const plan: unknown = JSON.parse(text);
  if (!isObject(plan) || typeof plan.format_version !== 'string') throw new Error('terraform show -json did not print a plan');
  return plan as unknown as PlanJson;
}

/**
 * The managed resources a plan against `state` would change, from the plan's machine-readable log
 * (`plan -json`, its planned_change messages): a converged base is known without `show -json`
 * (which starts Terraform's provider schema work again). The plan is saved, for show when it did not
 * converge. A failed run is planned again without -json, for Terraform's error as people read it.
 */
async function changedAgainst(session: TerraformSession, work: string, env: CommandEnv, state: object): Promise<string[]> {
  fs.writeFileSync(path.join(work, 'terraform.tfstate'), JSON.stringify(state));
  let log: string;
  try {
    log = await session.run(work, ['plan', '-json', '-input=false', '-lock=false', '-out=plan.bin', '-refresh=false'], env);
  } catch {
    await planIn(session, work, env, state);
    throw new Error(`terraform plan -json failed in ${work}, and then passed without -json`);
  }
  const changed: string[] = [];
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m: unknown = JSON.parse(line);
    if (!isObject(m) || m.type !== 'planned_change' || !isObject(m.change)) continue;
    const addr = asString(asObject(m.change.resource).addr);
    const action = asString(m.change.action);
    if (addr && !addr.startsWith('data.') && !/(^|\.)data\./.test(addr) && action && action !== 'noop' && action !== 'read')
      changed.push(addr);
  }
  return changed;
}

/** Writes a stack's configuration into a work directory, ready to plan offline: local state, offline provider, no import blocks. */
function writeConfig(stackDir: string, work: string): void {
  fs.cpSync(stackDir, work, { recursive: true });
  const file = path.join(work, 'cdk.tf.json');
  localBackendOnly(file);
  const tf: TerraformConfig = JSON.parse(fs.readFileSync(file, 'utf8'));
  // An import reads the real resource (an AWS call): the head's import blocks are judged from the configuration instead.
  delete tf.import;
  // prevent_destroy stops a plan that replaces the resource; the review reports both the replacement and the
  // protection (rules/stateful.ts) from the configuration itself, so the copy plans without it.
  for (const byName of Object.values(tf.resource ?? {}))
    for (const body of Object.values(byName)) {
      const lifecycle = body.lifecycle;
      if (isObject(lifecycle) && lifecycle.prevent_destroy !== undefined) delete lifecycle.prevent_destroy;
    }
  fs.writeFileSync(file, JSON.stringify(tf));
  fs.writeFileSync(path.join(work, 'offline_override.tf.json'), JSON.stringify(offlineOverride(path.join(work, 'terraform.tfstate'))));
}

/** A scratch copy of a stack ready to plan offline, initialized (against the provider server of `env`, or from the session's cache). */
async function prepare(session: TerraformSession, stackDir: string, label: string, env: CommandEnv): Promise<string> {
  const work = session.workdir(label);
  writeConfig(stackDir, work);
  await session.init(work, [], env);
  return work;
}

const MAX_ROUNDS = 5;

export interface StackPlanResult {
  changes: Change[];
  rounds: number;
  /** Terraform plans run for the stack: the base from empty state, the rounds against the built state, the head. */
  plans: number;
  /** Unknowns of the base plan its configuration sets other than by plain references (they need the rounds). */
  unresolved: string[];
  /** Whether the state was taken as converged without a confirming round (the head plan found no drift). */
  assumed: boolean;
  /** With `verify`: what the base planned against the state taken as converged (an extra plan, not counted). */
  checked?: string[];
  /** Base resources that still changed after the last round (their placeholders never settled). */
  unsettled: string[];
  seconds: number;
}

/** A failed terraform run of one stack under --plan: which stack, which step, and Terraform's whole output. */
export class StackPlanError extends Error {
  constructor(
    readonly stack: string,
    readonly step: string,
    readonly output: string,
  ) {
    super(`--plan failed on ${stack} (${step})`);
  }
}

/**
 * The message of a failed resource postcondition in terraform's output, when that is why the plan failed:
 * the diagnostic's own text (the lines at column 0 after its title, without the configuration excerpt).
 */
export function postconditionMessage(output: string): string | undefined {
  const error = terraformErrors(output).find((e) => e.summary === 'Resource postcondition failed');
  if (!error) return undefined;
  const text: string[] = [];
  for (const line of error.lines) {
    if (/^Warning: /.test(line)) break;
    if (line.trim() && !/^\s/.test(line)) text.push(line.trim());
  }
  const message = text.join(' ').replace(/\s+/g, ' ').trim();
  return message.length > 300 ? `${message.slice(0, 299)}…` : message;
}

/**
 * The errors in terraform's human output: each one's summary (the text after "Error: "), the resource it
 * names, and its other lines with the box drawn around diagnostics (without -no-color) taken off.
 */
function terraformErrors(output: string): { summary: string; address?: string; lines: string[] }[] {
  return output
    .split(/^[│╷╵ ]*Error: /m)
    .slice(1)
    .map((b) => {
      const [first, ...rest] = b.split('\n');
      return {
        summary: first.trim(),
        address: /\bin (?:resource\.)?((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)/.exec(b)?.[1],
        lines: rest.map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd()),
      };
    });
}

/** Lines of a failure message at most (issue 25: a failure once printed a whole stack as one 280 KB line). */
export const MAX_FAILURE_LINES = 40;
const MAX_LINE = 200;
const clip = (l: string) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE - 1)}…` : l);

/**
 * The stack, the address and Terraform's error, at most `maxLines` lines, from a
 * failed run's output: the source excerpts Terraform quotes (a cdk.tf.json is one
 * line, the whole stack) are dropped, repeated diagnostics shown once with a count,
 * and the full output is in `logFile`.
 */
export function condenseFailure(e: StackPlanError, logFile: string, maxLines = MAX_FAILURE_LINES): string {
  const text = e.output.replace(/\r/g, '');
  const seen = new Map<string, number>();
  for (const { summary, address, lines } of terraformErrors(text)) {
    const detail = lines
      // Source excerpts: "  on cdk.tf.json line 1, in ...:", "   1: {...whole stack...}" and the box drawn under them.
      .filter(
        (l) =>
          l.trim() &&
          !/^\s*on \S+ line \d+/.test(l) &&
          !/^\s*\d+: /.test(l) &&
          !/^\s*├─+$/.test(l.trim()) &&
          !/^Releasing state lock/.test(l.trim()),
      )
      .map((l) => l.replace(/^\s*│\s*/, '').trim());
    const key = [`${address ? `${address}: ` : ''}${summary}`, ...detail.map((d) => `    ${d}`)].join('\n');
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const head = `--plan failed on stack ${e.stack} (${e.step}):`;
  const tail = `Full Terraform output: ${logFile}`;
  const body: string[] = [];
  if (!seen.size)
    body.push(
      ...text
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, maxLines - 2)
        .map((l) => `  ${l.trim()}`),
    );
  for (const [key, n] of seen) {
    const [first, ...rest] = key.split('\n');
    body.push(`  ${first}${n > 1 ? ` (${n} times)` : ''}`, ...rest);
  }
  const room = maxLines - 2;
  const shown = body.length > room ? [...body.slice(0, room - 1), `  ... ${body.length - room + 1} more lines in the full output`] : body;
  return [head, ...shown.map(clip), tail].join('\n');
}

/** Runs one step of a stack's plan, naming the stack and the step if Terraform fails. */
async function step<T>(stack: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e: unknown) {
    if (e instanceof StackPlanError) throw e;
    throw new StackPlanError(stack, name, e instanceof Error ? e.message : String(e));
  }
}

/** Whether an after_unknown value marks anything unknown. */
export function hasUnknown(u: Json | undefined): boolean {
  if (u === true) return true;
  if (Array.isArray(u)) return u.some(hasUnknown);
  if (isObject(u)) return Object.values(u).some(hasUnknown);
  return false;
}

/** The references `${type.name...}` of a configuration body, as addresses (data sources as data.type.name). */
function referencesOf(body: Json | undefined): string[] {
  const out: string[] = [];
  for (const m of JSON.stringify(body ?? null).matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g)) out.push(m[1]);
  return out;
}

/**
 * The managed resources a head plan changes that the change cannot reach: the same body in base and
 * head, and no reference (through resources and data sources, transitively) to one that differs.
 * Against a converged prior state, there are none.
 */
export function spurious(headPlan: PlanJson, base: TerraformConfig, head: TerraformConfig): string[] {
  const bodies = (tf: TerraformConfig) => {
    const out = new Map<string, Json>();
    for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const [n, b] of Object.entries(byName)) out.set(`${type}.${n}`, b);
    for (const [type, byName] of Object.entries(tf.data ?? {}))
      for (const [n, b] of Object.entries(byName)) out.set(`data.${type}.${n}`, b);
    return out;
  };
  const before = bodies(base);
  const after = bodies(head);
  const touched = new Map<string, boolean>();
  const reached = (address: string, seen: Set<string>): boolean => {
    const known = touched.get(address);
    if (known !== undefined) return known;
    if (seen.has(address)) return false;
    seen.add(address);
    const body = after.get(address);
    const result =
      JSON.stringify(body) !== JSON.stringify(before.get(address)) ||
      referencesOf(body).some((r) => r !== address && after.has(r) && reached(r, seen)) ||
      // Locals, variables and modules are not followed: a body using one counts as reachable.
      /\$\{[^}]*\b(local|var|module)\./.test(JSON.stringify(body ?? null));
    touched.set(address, result);
    return result;
  };
  return (headPlan.resource_changes ?? [])
    .filter(
      (rc) => rc.mode === 'managed' && actionOf(rc.change.actions ?? [], false) && after.has(rc.address) && !reached(rc.address, new Set()),
    )
    .map((rc) => rc.address);
}

/** The provider's decisions for one changed stack (steps 1-4 above). */
export async function planStack(
  session: TerraformSession,
  schemas: () => Promise<Schemas>,
  baseStackDir: string,
  headStackDir: string,
  options: { verify?: boolean } = {},
): Promise<StackPlanResult> {
  const start = Date.now();
  const stack = path.basename(headStackDir);
  const read = (dir: string): TerraformConfig => JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const base = read(baseStackDir);
  const head = read(headStackDir);
  // Base and head run against one provider server when both can (one provider block each, the same version).
  const attachable = JSON.stringify(base.terraform?.required_providers) === JSON.stringify(head.terraform?.required_providers);
  return session.withProvider(
    attachable && attachableVersion(base) === attachableVersion(head) ? head : undefined,
    async (env) => {
      // One directory for the stack's base and head plans (Terraform's errors name it): named after the stack alone.
      const baseWork = await step(stack, 'terraform init of the base', () => prepare(session, baseStackDir, stack, env));
      let plan = await step(stack, 'terraform plan of the base from empty state', () => planIn(session, baseWork, env));
      const planned = plannedResources(plan);
      const schema = await schemas();
      const unknownOf = (p: PlanJson) =>
        new Map<string, Json | undefined>((p.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown]));
      let unknown = unknownOf(plan);
      // Unknowns filled consistently across references: with none filled any other way, the first state is a fixpoint.
      const { entries, unresolved } = firstEntries(plan, planned, base, schema, stack);
      let state = buildState(plan, entries, planned);
      let rounds = 0;
      let plans = 1;
      let unsettled: string[] = [];
      // Set when the last rebuild came from a plan without unknown values: the state is then taken as converged
      // without the confirming round, and the head plan checks it (see `spurious`).
      let assumed = false;
      const converge = async () => {
        for (; rounds < MAX_ROUNDS; rounds++) {
          const round = `terraform plan of the base against its prior state (round ${rounds + 1})`;
          plans++;
          unsettled = await step(stack, round, () => changedAgainst(session, baseWork, env, state));
          if (!unsettled.length) break;
          plan = await step(stack, round, async () => readPlan(await session.run(baseWork, ['show', '-json', 'plan.bin'], env)));
          const changing = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed' && actionOf(rc.change.actions, false));
          unsettled = changing.map((rc) => rc.address);
          if (!unsettled.length) break;
          const now = plannedResources(plan);
          unknown = unknownOf(plan);
          for (const address of unsettled) {
            const r = now.get(address);
            if (r) {
              planned.set(address, r);
              entries.set(address, stateInstance(r, unknown.get(address), schema, stack));
            }
          }
          state = buildState(plan, entries, planned);
          // A round whose changes have no unknown value is a fixpoint: the rebuilt entries are its planned values,
          // exactly, and the others planned as no-op, so the next round evaluates the same configuration against
          // the same values. The confirming round (a whole plan) is left out; the head plan confirms instead.
          if (changing.every((rc) => !hasUnknown(rc.change.after_unknown) && now.has(rc.address))) {
            rounds++;
            unsettled = [];
            assumed = true;
            break;
          }
        }
      };
      let checked: string[] | undefined;
      if (unresolved.length) await converge();
      else {
        // Every unknown came from a reference (filled as what it refers to) or from no configuration at all:
        // evaluating the base against this state gives back its values, so no round runs; the head plan checks it.
        assumed = true;
        // The check the rounds would make, for tests: its plan is not counted.
        if (options.verify)
          checked = await step(stack, 'terraform plan of the base against its prior state (check)', () =>
            changedAgainst(session, baseWork, env, state),
          );
      }
      // The head is planned in the base's directory, already initialized: the same provider, one init per stack.
      const planHead = async () => {
        writeConfig(headStackDir, baseWork);
        plans++;
        return step(stack, 'terraform plan of the head against the prior state', () => planIn(session, baseWork, env, state));
      };
      let headPlan = await planHead();
      // The check of a state taken as converged: a resource the change cannot reach (same configuration in base
      // and head, referring to nothing that differs) that the head plan changes would be placeholder drift. Then
      // run the confirming rounds after all, in the base's configuration, and plan the head again.
      if (assumed && spurious(headPlan, base, head).length) {
        assumed = false;
        writeConfig(baseStackDir, baseWork);
        await converge();
        headPlan = await planHead();
      }
      let changes = changesFromPlan(headPlan, base, head);
      // A base resource that never settled would show its placeholder drift as a change: keep the static view of it.
      if (unsettled.length) changes = changes.filter((c) => !unsettled.includes(c.address));
      return { changes, rounds: rounds + 1, plans, unsettled, unresolved, checked, assumed, seconds: (Date.now() - start) / 1000 };
    },
    // The base's types too: its resources are in the prior state the head is planned against.
    [base],
  );
}

/**
 * Reads the resource schemas of the provider once, in `work` (created with a configuration that only
 * requires the provider when it holds no configuration), from a provider server when the session can start one.
 */
export async function providerSchemas(session: TerraformSession, work: string): Promise<Schemas> {
  const file = path.join(work, 'main.tf.json');
  const tf = { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } };
  if (!fs.existsSync(file)) {
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(tf));
  }
  // The whole schema, past the session's SchemaProxy (which keeps the types of the stacks planned so far only).
  const out = await session.withProvider(
    tf,
    async (env) => {
      await session.init(work, ['-backend=false'], env);
      return session.run(work, ['providers', 'schema', '-json'], env);
    },
    [],
    { fullSchema: true },
  );
  const all = asObject(JSON.parse(out)).provider_schemas;
  const aws = Object.entries(asObject(all)).find(([name]) => name.endsWith('/hashicorp/aws'))?.[1];
  if (!isObject(aws) || !isObject(aws.resource_schemas)) throw new Error('terraform providers schema -json has no hashicorp/aws provider');
  return aws.resource_schemas as unknown as Schemas;
}

/**
 * --plan over a review: the changed stacks get the provider's decisions (in place
 * of the static ones; static ones kept for base resources that never settled);
 * returns the sentence the report shows about the mode.
 */
export async function providerPlan(
  stacks: StackReview[],
  baseDir: string,
  headDir: string,
  progress: (m: string) => void,
  options: { parallelism?: number; logDir?: string } = {},
): Promise<string> {
  const parallelism = options.parallelism ?? Math.max(1, os.cpus().length);
  const terraform = findTerraform();
  if (!terraform) throw new Error('terraform is not on the PATH: --plan needs it');
  if (!findMirror()) progress('No local provider mirror found: terraform init uses the registry.');
  const changed = stacks.filter((s) => s.status === 'changed');
  if (!changed.length) return 'Provider plan (--plan): no changed stack to plan.';
  // One provider server for every stack: two at a time held 1.5 GB at the peak, one 1.1 GB (docs/benchmarks.md).
  const session = new TerraformSession(terraform, { sharedProvider: true });
  let failure: StackPlanError | undefined;
  try {
    let schemaPromise: Promise<Schemas> | undefined;
    const schemas = () => (schemaPromise ??= providerSchemas(session, path.join(session.scratch, 'schemas')));
    // Before the stacks: read beside two stack commands, its terraform process and the parse of its output
    // (tens of MB of JSON) would add to the peak memory.
    await step(changed[0].name, 'terraform providers schema -json', schemas).catch((e: unknown) => {
      failure = e instanceof StackPlanError ? e : new StackPlanError(changed[0].name, 'terraform providers schema -json', String(e));
    });
    let next = 0;
    let done = 0;
    const worker = async () => {
      // After a failure no new stack starts; the ones running finish (their processes end with them).
      while (next < changed.length && !failure) {
        const s = changed[next++];
        let r: StackPlanResult;
        try {
          r = await planStack(session, schemas, path.join(baseDir, 'stacks', s.name), path.join(headDir, 'stacks', s.name));
        } catch (e: unknown) {
          const refused = e instanceof StackPlanError ? postconditionMessage(e.output) : undefined;
          if (refused !== undefined) {
            // The stack's own check refused the change (a guardrail changed under its published revision): the
            // static review, which reports the same cause, stands for this stack, and the others are planned.
            s.plan = `not planned: Terraform refused the head plan, a postcondition of the stack failed (the static review of this stack stands): ${refused}`;
            progress(`--plan: ${s.name} refused by a postcondition (${++done} of ${changed.length})`);
            continue;
          }
          failure ??= e instanceof StackPlanError ? e : new StackPlanError(s.name, 'planning', e instanceof Error ? e.message : String(e));
          return;
        }
        const kept = s.changes.filter((c) => c.address === '(backend)' || r.unsettled.includes(c.address));
        s.changes = [...kept, ...r.changes].sort((a, b) => a.address.localeCompare(b.address));
        const n = (a: Action) => r.changes.filter((c) => c.action === a).length;
        const extra = [n('adopt') && `${n('adopt')} to import`, n('forget') && `${n('forget')} to forget`].filter(Boolean).join(', ');
        s.plan = `${n('create')} to add, ${extra ? `${extra}, ` : ''}${n('update')} to change, ${n('replace')} to replace, ${n('delete')} to destroy, against a prior state built from the base (converged in ${r.rounds} round${r.rounds === 1 ? '' : 's'}${r.unsettled.length ? `; ${r.unsettled.length} resources never settled, their static review kept` : ''})`;
        progress(`--plan: ${s.name} planned in ${r.seconds.toFixed(1)} s (${++done} of ${changed.length})`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, changed.length) }, worker));
  } finally {
    session.dispose();
  }
  if (failure) {
    const dir = options.logDir ?? os.tmpdir();
    fs.mkdirSync(dir, { recursive: true });
    const logFile = path.resolve(dir, `plan-failure-${failure.stack}.log`);
    fs.writeFileSync(logFile, `${failure.message}\n\n${failure.output}\n`);
    throw new Error(condenseFailure(failure, logFile));
  }
  return `Replace decisions of the ${changed.length} changed stack${changed.length === 1 ? '' : 's'} come from the provider's plan (--plan).`;
}
