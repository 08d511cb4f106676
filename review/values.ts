/**
 * Every changed attribute as `old -> new`: scalars as they are, bodies longer
 * than a line summarized, JSON bodies diffed inside, and policy documents as a
 * statement diff (which statement was added, removed, or which of its fields changed).
 */
import { asList } from '../policies/document';

/** One changed attribute (or one line of a summarized body), rendered for the report. */
export interface ValueChange {
  path: string;
  old: string;
  new: string;
}

/** Longest rendered value kept on one line; longer values are summarized. */
export const MAX_VALUE = 80;

/** Paths (a.b[0].c) at which two JSON values differ. */
export function diffPaths(a: any, b: any, prefix = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: any) => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [prefix || '(value)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (Array.isArray(a) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0));
  return keys.flatMap((k) => diffPaths(a[k], b[k], Array.isArray(a) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k));
}

/** The value at a path produced by diffPaths. */
export function valueAt(v: any, p: string): any {
  if (p === '(value)') return v;
  for (const part of p.match(/[^.[\]]+/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
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

function parseJson(v: unknown): any {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const statementsOf = (doc: any): any[] | undefined => (doc && typeof doc === 'object' && doc.Statement !== undefined ? asList(doc.Statement) : undefined);

/** The fields of a statement compared one by one, in this order. */
const STATEMENT_FIELDS = ['Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

function listDelta(before: unknown, after: unknown): string | undefined {
  const isList = (v: unknown) => v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  if (!isList(before) || !isList(after)) return undefined;
  const b = asList(before as string | string[]);
  const a = asList(after as string | string[]);
  const plus = a.filter((x) => !b.includes(x)).map((x) => `+${x}`);
  const minus = b.filter((x) => !a.includes(x)).map((x) => `-${x}`);
  return [...plus, ...minus].join(' ') || undefined;
}

/** A policy document change, statement by statement (matched by Sid, or by position). */
export function statementDiff(path: string, beforeDoc: any, afterDoc: any): ValueChange[] {
  const before = statementsOf(beforeDoc) ?? [];
  const after = statementsOf(afterDoc) ?? [];
  const key = (s: any, i: number) => (typeof s?.Sid === 'string' && s.Sid ? s.Sid : `#${i}`);
  const old = new Map(before.map((s, i) => [key(s, i), s]));
  const seen = new Set<string>();
  const out: ValueChange[] = [];
  const summary = (s: any) => {
    const actions = asList(s?.Action ?? s?.NotAction);
    return `${s?.Effect} ${actions.slice(0, 2).join(', ')}${actions.length > 2 ? ` and ${actions.length - 2} more actions` : ''}`;
  };
  after.forEach((s, i) => {
    const k = key(s, i);
    seen.add(k);
    const o = old.get(k);
    if (!o) {
      out.push({ path: `${path} statement ${k}`, old: '(none)', new: summary(s) });
      return;
    }
    for (const f of STATEMENT_FIELDS) {
      if (JSON.stringify(o[f]) === JSON.stringify(s[f])) continue;
      const delta = f === 'Action' || f === 'NotAction' || f === 'Resource' || f === 'NotResource' ? listDelta(o[f], s[f]) : undefined;
      out.push({ path: `${path} statement ${k} ${f}`, old: render(o[f]), new: delta ? `${render(s[f])} (${delta})` : render(s[f]) });
    }
  });
  before.forEach((s, i) => {
    if (!seen.has(key(s, i))) out.push({ path: `${path} statement ${key(s, i)}`, old: summary(s), new: '(none)' });
  });
  return out;
}

/**
 * The changed attributes of a resource as `old -> new` lines: JSON bodies held in
 * strings (policies, dashboards, specifications) are diffed inside, policy
 * documents statement by statement.
 */
export function valueChanges(before: any, after: any): ValueChange[] {
  const out: ValueChange[] = [];
  for (const p of diffPaths(before, after)) {
    const b = valueAt(before, p);
    const a = valueAt(after, p);
    const jb = parseJson(b);
    const ja = parseJson(a);
    if (jb !== undefined && ja !== undefined) {
      if (statementsOf(jb) || statementsOf(ja)) {
        const lines = statementDiff(p, jb, ja);
        // The same statements, only reformatted or reordered keys: say so rather than nothing.
        out.push(...(lines.length ? lines : [{ path: p, old: render(b), new: render(a) }]));
      } else out.push(...diffPaths(jb, ja).map((inner) => ({ path: `${p} ${inner}`, old: render(valueAt(jb, inner)), new: render(valueAt(ja, inner)) })));
    } else out.push({ path: p, old: render(b), new: render(a) });
  }
  return out;
}
