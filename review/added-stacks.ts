/**
 * Policy widenings that follow from a stack the same change adds. Adding a region
 * to an account widens the account's deploy role (the region in
 * `aws:RequestedRegion`, the new stack's Terraform Cloud workspace in its trust)
 * and the management SCP's exemptions (the new region's logging role). When every
 * value a widening adds belongs to an added stack, the change is "widened for the
 * added stack <name>": shown, not dangerous. Anything else added alongside keeps
 * it dangerous.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bootstrapStackName } from '../config/naming';
import { resourcesOf } from './diff';
import { wideningValues } from './policy-diff';
import { POLICY_FIELDS } from './rules/policies';
import type { StackReview } from './review';
import { TerraformConfig, asString } from './terraform-json';

/** An added logging stack: its account, region and region-scoped role names. */
interface AddedStack {
  name: string;
  account: string;
  region: string;
  roles: string[];
}

const LOGGING = /^bedrock-logging-(\d{12})-([a-z]{2}(?:-gov)?-[a-z]+-\d)$/;

function readStack(dir: string, name: string): TerraformConfig | undefined {
  const file = path.join(dir, 'stacks', name, 'cdk.tf.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

function stacksOf(stacks: StackReview[], status: StackReview['status'], dir: string): AddedStack[] {
  return stacks.flatMap((s) => {
    const m = s.status === status ? LOGGING.exec(s.name) : null;
    if (!m) return [];
    const [, account, region] = m;
    const roles = [...resourcesOf(readStack(dir, s.name)).entries()]
      .filter(([address]) => address.startsWith('aws_iam_role.'))
      .map(([, body]) => asString(body.name))
      .filter((n): n is string => n !== undefined && n.includes(region));
    return [{ name: s.name, account, region, roles }];
  });
}

/**
 * Whether `value`, added to a policy of stack `inStack`, belongs to added stack `a`:
 * the region itself in the account's bootstrap stack, a value naming the account
 * and region (a workspace `...-<account>-<region>:...`, an ARN `:<region>:<account>:`),
 * or the added stack's region-scoped role (by name or as an ARN's `role/<name>`).
 */
export function belongsTo(value: string, inStack: string, a: AddedStack): boolean {
  const v = value.replace(/^[A-Za-z]+:(?=arn:|[^:]*$)/, ''); // a principal's `kind:` prefix
  if (v === a.region) return inStack === bootstrapStackName(a.account);
  if (v.includes(`-${a.account}-${a.region}:`) || v.endsWith(`-${a.account}-${a.region}`)) return true;
  if (v.includes(`:${a.region}:${a.account}:`)) return true;
  return a.roles.some((r) => v === r || v.endsWith(`:role/${r}`));
}

/**
 * Marks dangerous policy widenings (cause `policy-widened` only) whose every added
 * value belongs to a stack the same change adds as expected: not dangerous, with
 * `expected` saying for which stack.
 */
export function attributeToAddedStacks(stacks: StackReview[], baseDir: string, headDir: string): void {
  const added = stacksOf(stacks, 'added', headDir);
  if (!added.length) return;
  for (const s of stacks) {
    if (s.status !== 'changed') continue;
    const candidates = s.changes.filter((c) => c.dangerous && c.causes?.length === 1 && c.causes[0] === 'policy-widened');
    if (!candidates.length) continue;
    const before = resourcesOf(readStack(baseDir, s.name));
    const after = resourcesOf(readStack(headDir, s.name));
    for (const c of candidates) {
      const field = POLICY_FIELDS[c.address.split('.')[0]];
      const values = wideningValues(before.get(c.address)?.[field], after.get(c.address)?.[field]);
      if (!values?.length) continue;
      const owners = values.map((v) => added.find((a) => belongsTo(v, s.name, a)));
      if (owners.some((o) => !o)) continue;
      const names = [...new Set(owners.map((o) => o!.name))];
      c.dangerous = false;
      c.expected = `widened for the added stack${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
      c.reason = `${c.expected}: ${c.reason}`;
      delete c.causes;
    }
  }
}

/** Every string in a policy document (a JSON string or an object): its actions, resources, principals, condition values. */
function stringsOf(doc: unknown): Set<string> {
  let d: unknown = doc;
  if (typeof doc === 'string')
    try {
      d = JSON.parse(doc);
    } catch {
      return new Set();
    }
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(d);
  return out;
}

/**
 * For each logging stack that leaves the matrix: the policies of the same change
 * that drop a value belonging to it (its region from the account's deploy role,
 * its workspace from the role's trust, its logging role from the SCP exemptions).
 * After merge those narrowings apply while the stack still runs: its logging is
 * denied and its decommission likely refused. Recorded in `decommission.narrowedBy`.
 */
export function narrowingsForLeavingStacks(stacks: StackReview[], baseDir: string, headDir: string): void {
  const leaving = stacksOf(stacks, 'leaves', baseDir);
  if (!leaving.length) return;
  const changed = stacks.filter((s) => s.status === 'changed' && s.changes.some((c) => POLICY_FIELDS[c.address.split('.')[0]]));
  const docs = changed.map((s) => ({ s, before: resourcesOf(readStack(baseDir, s.name)), after: resourcesOf(readStack(headDir, s.name)) }));
  for (const l of leaving) {
    const review = stacks.find((s) => s.name === l.name)!;
    const found: Narrowing[] = [];
    for (const { s, before, after } of docs)
      for (const c of s.changes) {
        const field = POLICY_FIELDS[c.address.split('.')[0]];
        if (!field || c.action !== 'update') continue;
        const now = stringsOf(after.get(c.address)?.[field]);
        const dropped = [...stringsOf(before.get(c.address)?.[field])].filter((v) => !now.has(v) && belongsTo(v, s.name, l));
        if (dropped.length) found.push({ stack: s.name, address: c.address, dropped });
      }
    if (found.length && review.decommission) review.decommission.narrowedBy = found;
  }
}

/** A policy of the same change that drops values a leaving stack needs. */
export interface Narrowing {
  stack: string;
  address: string;
  dropped: string[];
}
