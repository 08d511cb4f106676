/**
 * Reviews a whole landing zone at once: two cdktf.out trees, stack by stack.
 * Each stack file is read and parsed once; unchanged stacks are found by content
 * hash and never diffed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decommissionConfig } from '../lib/decommission-config';
import { hashStack } from '../lib/stack-hash';
import { Narrowing, attributeToAddedStacks, narrowingsForLeavingStacks } from './added-stacks';
import { CostEstimate, costOfTrees } from './cost';
import { Change, diffStack } from './diff';
import { causeTitle } from './rules';
import { TerraformConfig, asString, at } from './terraform-json';

/**
 * `leaves`: the stack is in the base and not in the head matrix. The deploy
 * workflow deploys only the stacks of the matrix, so nothing happens to it on merge;
 * `npm run decommission` later destroys what it deployed and keeps the data.
 */
export type StackStatus = 'added' | 'leaves' | 'changed' | 'unchanged';

/** What `npm run decommission` does to a stack that left the matrix (tools/rollout/decommission.ts). */
export interface Decommission {
  command: string;
  /** Resources that leave Terraform state and stay in AWS: the data and what protects it. */
  keeps: string[];
  /** Resources it destroys. */
  destroys: string[];
  /** Policies the same change narrows that the still-running stack needs (review/added-stacks.ts). */
  narrowedBy?: Narrowing[];
}

export const LEAVES_TEXT = 'leaves the matrix: nothing is changed on merge';

/**
 * The command that decommissions a stack after merge (a dry run first): with the
 * matrix file and the base commit it is complete, else it names what to fill in.
 */
export function decommissionCommand(stack: string, matrix?: { file: string; baseCommit: string }): string {
  if (!matrix)
    return `MATRIX_FILE=<matrix file> npm run decommission -- ${stack} --previous-matrix <the matrix before this change> --dry-run`;
  return `git show ${matrix.baseCommit}:./${matrix.file} > previous-matrix${matrix.file.match(/\.[a-z]+$/)?.[0] ?? ''} && MATRIX_FILE=${matrix.file} npm run decommission -- ${stack} --previous-matrix previous-matrix${matrix.file.match(/\.[a-z]+$/)?.[0] ?? ''} --dry-run`;
}

/** The decommission of a stack that left the matrix: the command to run after merge, and what it keeps and destroys. */
export function leaving(name: string, tf: TerraformConfig): Decommission {
  const { kept, destroyed } = decommissionConfig(tf);
  return { command: decommissionCommand(name), keeps: kept, destroys: destroyed };
}

export interface StackReview {
  name: string;
  status: StackStatus;
  changes: Change[];
  /** Summary of the provider's plan of this stack (--plan). */
  plan?: string;
  /** A stack that leaves the matrix: no change on merge; what decommissioning it later does. */
  decommission?: Decommission;
  /** The stack's environment (its provider's default tag `environment`): for deployment.review.warnOnly. */
  environment?: string;
  /** A stack the change adds: its resources in one summary (review.md shows it as one line; `changes` still lists each). */
  added?: AddedSummary;
}

/** An added stack in short: how many resources it creates (and adopts), by resource type. */
export interface AddedSummary {
  resources: number;
  /** Resources adopted with import blocks (counted in `resources`). */
  adopted: number;
  /** Resource type -> count, the most frequent first. */
  types: Record<string, number>;
}

/** The summary of an added stack's changes. */
export function addedSummary(changes: Change[]): AddedSummary {
  const types = new Map<string, number>();
  const resources = changes.filter((c) => c.action === 'create' || c.action === 'adopt');
  for (const c of resources) types.set(c.address.split('.')[0], (types.get(c.address.split('.')[0]) ?? 0) + 1);
  return {
    resources: resources.length,
    adopted: resources.filter((c) => c.action === 'adopt').length,
    types: Object.fromEntries([...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
  };
}

/** What one side of the review was synthesized from. */
export interface Side {
  /** The matrix file (path as given) or the embedded example. */
  matrix: string;
  /** The commit the side was read at, or "working tree". */
  commit?: string;
  /** Anything the reader must know, e.g. that the matrix file does not exist at the ref. */
  note?: string;
}

/** Dangerous changes of one cause, across the landing zone. */
export interface CauseGroup {
  cause: string;
  title: string;
  /** Dangerous changes of this cause, acknowledged ones included. */
  count: number;
  accepted: number;
  stacks: string[];
}

export interface Review {
  /** Dangerous changes not acknowledged with --accept (and not in a warn-only environment): they fail the check. */
  dangerous: number;
  /** Dangerous changes in the environments of deployment.review.warnOnly: shown as warnings, they do not fail the check. */
  warnings?: number;
  /** deployment.review.warnOnly.environments of the head matrix. */
  warnOnly?: string[];
  /** Dangerous changes acknowledged with --accept. */
  accepted: number;
  sides?: { base: Side; head: Side };
  /** The tool version that synthesized each side (the routing table's generatedBy); "unknown" for a tree that does not say. */
  tools?: { base: string; head: string };
  /** How the changes were decided: the static contract, or the provider's plan for changed stacks (--plan). */
  mode?: string;
  /** The monthly cost delta of the governance resources and of tenant budgets (review/cost.ts). */
  cost?: CostEstimate;
  /** --stacks: the glob, and how many stacks of the two trees it left out (not reviewed). */
  scope?: { glob: string; outside: number };
  groups: CauseGroup[];
  /** Acknowledgements that matched no dangerous change: stale, to be removed from the accept file. */
  stale?: Acceptance[];
  stacks: StackReview[];
}

/** One acknowledgement: a pattern, the reason written beside it, and where it came from. */
export interface Acceptance {
  pattern: string;
  /** Why the change is acceptable (required in an accept file: `<pattern>  # <reason>`). */
  reason?: string;
  /** `<file>:<line>`, or `--accept`. */
  source: string;
}

/** "<stack>:<address>" patterns with * wildcards, as given to --accept. */
export function matches(pattern: string, stack: string, address: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(`${stack}:${address}`);
}

/** Whether a stack name matches a --stacks glob (`*` any characters, `?` one; several globs separated by commas). */
export function stackMatches(glob: string, name: string): boolean {
  return glob
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .some((g) =>
      new RegExp(
        `^${g
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(name),
    );
}

/** The stacks a --stacks glob selects, and how many it leaves out. */
export function selectStacks(stacks: StackReview[], glob: string | undefined): { stacks: StackReview[]; outside: number } {
  if (!glob) return { stacks, outside: 0 };
  const kept = stacks.filter((s) => stackMatches(glob, s.name));
  return { stacks: kept, outside: stacks.length - kept.length };
}

/** Applies --accept patterns, counts, and groups the dangerous changes by cause. */
export function finish(stacks: StackReview[], accept: (string | Acceptance)[] = [], extra: Partial<Review> = {}): Review {
  let accepted = 0;
  let dangerous = 0;
  let warnings = 0;
  const warnOnly = new Set(extra.warnOnly ?? []);
  const groups = new Map<string, CauseGroup>();
  const acceptances: Acceptance[] = accept.map((a) => (typeof a === 'string' ? { pattern: a, source: '--accept' } : a));
  const used = new Set<Acceptance>();
  for (const s of stacks)
    for (const c of s.changes) {
      if (!c.dangerous) continue;
      const by = acceptances.filter((a) => matches(a.pattern, s.name, c.address));
      by.forEach((a) => used.add(a));
      c.accepted = by.length > 0 || undefined;
      if (by.length) c.acceptedBy = by.map((a) => ({ pattern: a.pattern, ...(a.reason ? { reason: a.reason } : {}), source: a.source }));
      c.warning = (!c.accepted && s.environment !== undefined && warnOnly.has(s.environment)) || undefined;
      if (c.accepted) accepted++;
      else if (c.warning) warnings++;
      else dangerous++;
      for (const cause of c.causes ?? ['other']) {
        const g = groups.get(cause) ?? { cause, title: causeTitle(cause), count: 0, accepted: 0, stacks: [] };
        g.count++;
        if (c.accepted) g.accepted++;
        if (g.stacks[g.stacks.length - 1] !== s.name) g.stacks.push(s.name);
        groups.set(cause, g);
      }
    }
  const stale = acceptances.filter((a) => !used.has(a));
  return {
    dangerous,
    accepted,
    ...(warnOnly.size ? { warnings } : {}),
    ...extra,
    groups: [...groups.values()].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)),
    ...(stale.length ? { stale } : {}),
    stacks,
  };
}

/** The tool version that wrote a synth output (its routing table's generatedBy), if it says. */
export function treeTool(dir: string): string | undefined {
  try {
    const by = JSON.parse(fs.readFileSync(path.join(dir, 'routing-table.json'), 'utf8')).generatedBy;
    return typeof by === 'string' ? by : undefined;
  } catch {
    return undefined;
  }
}

/** Each side's tool version, when at least one side records it (an empty base of a first pull request records none). */
export function treeTools(baseDir: string, headDir: string): Review['tools'] {
  const base = treeTool(baseDir);
  const head = treeTool(headDir);
  return base || head ? { base: base ?? 'unknown', head: head ?? 'unknown' } : undefined;
}

/** The stacks of a synth output, by name, each parsed once. */
function readTree(dir: string): Map<string, TerraformConfig> {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is not a cdktf synth output (no manifest.json)`);
  const out = new Map<string, TerraformConfig>();
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks)) return out;
  for (const name of fs.readdirSync(stacks).sort()) {
    const file = path.join(stacks, name, 'cdk.tf.json');
    if (fs.existsSync(file)) out.set(name, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return out;
}

/** A stack's environment: the `environment` default tag of its provider (the account's environment, "bootstrap", "management"). */
export function environmentOf(tf: TerraformConfig | undefined): string | undefined {
  const env = [tf?.provider?.aws ?? []].flat()[0]?.default_tags;
  const tags = at([env ?? []].flat()[0], 'tags');
  return asString(at(tags, 'environment'));
}

/** The stacks of two synth outputs, compared; stacks present on one side only are added or removed. */
export function compareTrees(baseDir: string, headDir: string): StackReview[] {
  const base = readTree(baseDir);
  const head = readTree(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((name): StackReview => {
    // Not a delete: the deploy workflow deploys only the stacks of the matrix, so the stack stays as it is.
    const env = environmentOf(head.get(name) ?? base.get(name));
    const at = env ? { environment: env } : {};
    if (!head.has(name)) return { name, status: 'leaves', changes: [], decommission: leaving(name, base.get(name)!), ...at };
    if (!base.has(name)) {
      const changes = diffStack(undefined, head.get(name));
      return { name, status: 'added', changes, added: addedSummary(changes), ...at };
    }
    // Unchanged by content hash (cdktf metadata and the local state path ignored): never diffed.
    if (hashStack(base.get(name)) === hashStack(head.get(name))) return { name, status: 'unchanged', changes: [], ...at };
    return { name, status: 'changed', changes: diffStack(base.get(name), head.get(name)), ...at };
  });
}

export function reviewTrees(baseDir: string, headDir: string, accept: string[] = [], extra: Partial<Review> = {}): Review {
  const stacks = compareTrees(baseDir, headDir);
  attributeToAddedStacks(stacks, baseDir, headDir);
  narrowingsForLeavingStacks(stacks, baseDir, headDir);
  return finish(stacks, accept, { cost: costOfTrees(stacks, baseDir, headDir), ...extra });
}
