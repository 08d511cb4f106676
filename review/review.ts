/**
 * Reviews a whole landing zone at once: two cdktf.out trees, stack by stack.
 * Each stack file is read and parsed once; unchanged stacks are found by content
 * hash and never diffed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { hashStack } from '../tools/changed-stacks';
import { Change, diffStack } from './diff';
import { causeTitle } from './rules';

export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface StackReview {
  name: string;
  status: StackStatus;
  changes: Change[];
  /** Summary of the provider's plan of this stack (--plan). */
  plan?: string;
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
  /** Dangerous changes not acknowledged with --accept. */
  dangerous: number;
  /** Dangerous changes acknowledged with --accept. */
  accepted: number;
  sides?: { base: Side; head: Side };
  /** The tool version that synthesized each side (the routing table's generatedBy); "unknown" for a tree that does not say. */
  tools?: { base: string; head: string };
  /** How the changes were decided: the static contract, or the provider's plan for changed stacks (--plan). */
  mode?: string;
  groups: CauseGroup[];
  stacks: StackReview[];
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

/** Applies --accept patterns, counts, and groups the dangerous changes by cause. */
export function finish(stacks: StackReview[], accept: string[] = [], extra: Partial<Review> = {}): Review {
  let accepted = 0;
  let dangerous = 0;
  const groups = new Map<string, CauseGroup>();
  for (const s of stacks)
    for (const c of s.changes) {
      if (!c.dangerous) continue;
      c.accepted = accept.some((p) => matches(p, s.name, c.address)) || undefined;
      if (c.accepted) accepted++;
      else dangerous++;
      for (const cause of c.causes ?? ['other']) {
        const g = groups.get(cause) ?? { cause, title: causeTitle(cause), count: 0, accepted: 0, stacks: [] };
        g.count++;
        if (c.accepted) g.accepted++;
        if (g.stacks[g.stacks.length - 1] !== s.name) g.stacks.push(s.name);
        groups.set(cause, g);
      }
    }
  return { dangerous, accepted, ...extra, groups: [...groups.values()].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)), stacks };
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
function readTree(dir: string): Map<string, any> {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is not a cdktf synth output (no manifest.json)`);
  const out = new Map<string, any>();
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks)) return out;
  for (const name of fs.readdirSync(stacks).sort()) {
    const file = path.join(stacks, name, 'cdk.tf.json');
    if (fs.existsSync(file)) out.set(name, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return out;
}

/** The stacks of two synth outputs, compared; stacks present on one side only are added or removed. */
export function compareTrees(baseDir: string, headDir: string): StackReview[] {
  const base = readTree(baseDir);
  const head = readTree(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((name): StackReview => {
    if (!head.has(name)) return { name, status: 'removed', changes: diffStack(base.get(name), undefined) };
    if (!base.has(name)) return { name, status: 'added', changes: diffStack(undefined, head.get(name)) };
    // Unchanged by content hash (cdktf metadata and the local state path ignored): never diffed.
    if (hashStack(base.get(name)) === hashStack(head.get(name))) return { name, status: 'unchanged', changes: [] };
    return { name, status: 'changed', changes: diffStack(base.get(name), head.get(name)) };
  });
}

export function reviewTrees(baseDir: string, headDir: string, accept: string[] = [], extra: Partial<Review> = {}): Review {
  return finish(compareTrees(baseDir, headDir), accept, extra);
}
