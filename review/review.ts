/**
 * Reviews a whole landing zone at once: two cdktf.out trees, stack by stack.
 * Unchanged stacks are found by content hash and never parsed, so the cost grows
 * with the number of changed stacks, not with the size of the landing zone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stackHashes } from '../tools/changed-stacks';
import { Change, diffStack } from './diff';

export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface StackReview {
  name: string;
  status: StackStatus;
  changes: Change[];
  /** Summary of the offline terraform plan (--plan), from empty state. */
  plan?: string;
}

export interface Review {
  /** Dangerous changes not acknowledged with --accept. */
  dangerous: number;
  accepted: number;
  stacks: StackReview[];
}

const readStack = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

/** "<stack>:<address>" patterns with * wildcards, as given to --accept. */
export function matches(pattern: string, stack: string, address: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(`${stack}:${address}`);
}

export function reviewTrees(baseDir: string, headDir: string, accept: string[] = []): Review {
  for (const dir of [baseDir, headDir])
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is not a cdktf synth output (no manifest.json)`);
  const base = stackHashes(baseDir);
  const head = stackHashes(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const stacks: StackReview[] = names.map((name) => {
    if (!head.has(name)) {
      const changes = diffStack(readStack(baseDir, name), undefined);
      return { name, status: 'removed', changes };
    }
    if (!base.has(name)) return { name, status: 'added', changes: diffStack(undefined, readStack(headDir, name)) };
    if (base.get(name) === head.get(name)) return { name, status: 'unchanged', changes: [] };
    return { name, status: 'changed', changes: diffStack(readStack(baseDir, name), readStack(headDir, name)) };
  });
  let accepted = 0;
  for (const s of stacks)
    for (const c of s.changes)
      if (c.dangerous && accept.some((p) => matches(p, s.name, c.address))) {
        c.accepted = true;
        accepted++;
      }
  const dangerous = stacks.reduce((n, s) => n + s.changes.filter((c) => c.dangerous && !c.accepted).length, 0);
  return { dangerous, accepted, stacks };
}
