/**
 * Every changed attribute as `old -> new`: scalars as they are, bodies longer
 * than a line summarized, JSON bodies diffed inside, and policy documents as a
 * statement diff (which statement was added, removed, or which of its fields changed).
 */
import { PolicyEffect, policyDiff, statementsOf } from './policy-diff';
import { Json } from './terraform-json';

/** One changed attribute (or one line of a summarized body), rendered for the report. */
export interface ValueChange {
  path: string;
  old: string;
  new: string;
  /** For a line of a policy document: what it does to access (widens, narrows, or changes where the sets cannot decide). */
  effect?: PolicyEffect;
}

/** Longest rendered value kept on one line; longer values are summarized. */
export const MAX_VALUE = 80;

/** An object or an array, read by key. */
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

/** Paths (a.b[0].c) at which two JSON values differ. */
export function diffPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [prefix || '(value)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) =>
    Array.isArray(a) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0,
  );
  return keys.flatMap((k) => diffPaths(a[k], b[k], Array.isArray(a) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k));
}

/** The value at a path produced by diffPaths. */
export function valueAt(v: unknown, p: string): unknown {
  if (p === '(value)') return v;
  for (const part of p.match(/[^.[\]]+/g) ?? []) {
    if (!isObj(v)) return undefined;
    v = v[part];
  }
  return v;
}

const hash = (s: string) => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16).padStart(8, '0');
};

/** One value on one line: scalars as JSON, absent as (none), anything long as a summary. */
export function render(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  if (text.length <= MAX_VALUE && !(typeof v === 'string' && v.includes('\n'))) return text;
  if (typeof v === 'string') return `${JSON.stringify(v.slice(0, 40).split('\n')[0])}... (${v.length} characters, #${hash(v)})`;
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}] (#${hash(text)})`;
  return `{${Object.keys(v as object).length} keys} (#${hash(text)})`;
}

/**
 * A JSON object or array held in a string attribute (a policy document), or undefined.
 * T is the shape the caller trusts it to have (a document this product wrote); JSON by default.
 */
export function parseJson<T = Json>(v: unknown): T | undefined {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** A policy document change, statement by statement, with real values and the effect of each line on access (review/policy-diff.ts). */
export function statementDiff(path: string, beforeDoc: unknown, afterDoc: unknown): ValueChange[] {
  return policyDiff(path, beforeDoc, afterDoc).map((l) => ({ path: l.path, old: l.old, new: l.new, effect: l.effect }));
}

/**
 * The changed attributes of a resource as `old -> new` lines: JSON bodies held in
 * strings (policies, dashboards, specifications) are diffed inside, policy
 * documents statement by statement.
 */
export function valueChanges(before: unknown, after: unknown): ValueChange[] {
  const [b, a] = keyed(before, after);
  return diffPaths(b, a).flatMap((p) =>
    valueChange(p, valueAt(b, p), valueAt(a, p)).map((v) => ({ ...v, path: v.path.replace(/\.(\w+=[^.[\] ]+)/g, '[$1]') })),
  );
}

/** The fields that name an element of a list of blocks: a PII entity's type, a denied topic's name, a word's text. */
const KEYS = ['type', 'name', 'text'];

/**
 * Lists of blocks that each carry a distinct name (PII entities by type, denied topics by name, words by text,
 * filters by type) as maps by that name, so they are compared as sets: removing CREDIT_DEBIT_CARD_NUMBER
 * reads as that entity removed, not as `pii_entities_config[0].type: "CREDIT_DEBIT_CARD_NUMBER" -> "EMAIL"`.
 */
export function keyed(before: unknown, after: unknown): [unknown, unknown] {
  const isMap = (x: unknown): x is Record<string, unknown> => isObj(x) && !Array.isArray(x);
  if (Array.isArray(before) || Array.isArray(after)) {
    const lists = [before, after].filter((l): l is unknown[] => Array.isArray(l));
    const field = (x: unknown, k: string) => (isMap(x) ? x[k] : undefined);
    const names = (k: string) =>
      lists.every(
        (l) =>
          l.every((x) => {
            const v = field(x, k);
            return typeof v === 'string' && /^[^.[\] ]+$/.test(v);
          }) && new Set(l.map((x) => field(x, k))).size === l.length,
      );
    const key =
      lists.some((l) => l.length > 0) &&
      lists.every((l) => Array.isArray(l)) &&
      [before, after].every((x) => x === undefined || Array.isArray(x))
        ? KEYS.find(names)
        : undefined;
    if (key) {
      const map = (l: unknown) => (Array.isArray(l) ? new Map(l.map((x) => [`${key}=${String(field(x, key))}`, x])) : undefined);
      const mb = map(before);
      const ma = map(after);
      const ob: Record<string, unknown> | undefined = mb && {};
      const oa: Record<string, unknown> | undefined = ma && {};
      for (const k of new Set([...(mb?.keys() ?? []), ...(ma?.keys() ?? [])])) {
        const [x, y] = keyed(mb?.get(k), ma?.get(k));
        if (ob && mb?.has(k)) ob[k] = x;
        if (oa && ma?.has(k)) oa[k] = y;
      }
      return [ob, oa];
    }
    if (Array.isArray(before) && Array.isArray(after)) {
      const n = Math.max(before.length, after.length);
      const pairs = Array.from({ length: n }, (_, i) => keyed(before[i], after[i]));
      return [pairs.slice(0, before.length).map((p) => p[0]), pairs.slice(0, after.length).map((p) => p[1])];
    }
    return [before, after];
  }
  if (isMap(before) && isMap(after)) {
    const out: [Record<string, unknown>, Record<string, unknown>] = [{}, {}];
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const [x, y] = keyed(before[k], after[k]);
      if (k in before) out[0][k] = x;
      if (k in after) out[1][k] = y;
    }
    return out;
  }
  return [before, after];
}

/** One changed attribute as `old -> new` lines: a JSON body diffed inside, a policy document statement by statement. */
export function valueChange(p: string, b: unknown, a: unknown): ValueChange[] {
  const jb = parseJson(b);
  const ja = parseJson(a);
  const sb = jb !== undefined ? statementsOf(jb) : undefined;
  const sa = ja !== undefined ? statementsOf(ja) : undefined;
  // A policy document on both sides, or on one side with nothing on the other: statement by statement.
  if ((sb || sa) && (sb || b === undefined || b === null) && (sa || a === undefined || a === null)) {
    const lines = statementDiff(p, jb ?? { Statement: [] }, ja ?? { Statement: [] });
    // The same statements, only reformatted or reordered keys: say so rather than nothing.
    return lines.length ? lines : [{ path: p, old: render(b), new: render(a) }];
  }
  if (jb !== undefined && ja !== undefined)
    return diffPaths(jb, ja).map((inner) => ({ path: `${p} ${inner}`, old: render(valueAt(jb, inner)), new: render(valueAt(ja, inner)) }));
  return [{ path: p, old: render(b), new: render(a) }];
}
