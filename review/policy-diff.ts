/**
 * Does a policy change widen access? Statements are matched by Sid (or position).
 * Widening: a new Allow statement, a new principal, action or resource, a new
 * wildcard, a removed or changed condition on an Allow; a removed or narrowed Deny.
 */
import { asList } from '../policies/document';

interface Stmt {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: any;
  NotPrincipal?: any;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

function principals(p: any): string[] {
  if (p === undefined) return [];
  if (p === '*') return ['*'];
  return Object.entries<any>(p).flatMap(([kind, v]) => asList(v).map((x) => `${kind}:${x}`));
}

function conditions(c: Stmt['Condition']): Map<string, string> {
  const out = new Map<string, string>();
  for (const [op, byKey] of Object.entries(c ?? {})) for (const [key, v] of Object.entries(byKey)) out.set(`${op} ${key}`, JSON.stringify(asList(v).sort()));
  return out;
}

function parse(doc: unknown): Stmt[] | undefined {
  try {
    const d = typeof doc === 'string' ? JSON.parse(doc) : doc;
    return Array.isArray(d?.Statement) ? d.Statement : d?.Statement ? [d.Statement] : undefined;
  } catch {
    return undefined;
  }
}

const added = (before: string[], after: string[]) => after.filter((x) => !before.includes(x));
const removed = (before: string[], after: string[]) => before.filter((x) => !after.includes(x));
const hasWildcard = (xs: string[]) => xs.some((x) => x.includes('*'));

/** Reasons a policy change widens access; empty when it does not. */
export function policyWidening(beforeDoc: unknown, afterDoc: unknown): string[] {
  const before = parse(beforeDoc);
  const after = parse(afterDoc);
  if (before === undefined && after === undefined) return [];
  if (!before || !after) return before && !after ? [] : ['policy changed and could not be analysed: review it by hand'];
  const key = (s: Stmt, i: number) => s.Sid ?? `#${i}`;
  const byKey = new Map(before.map((s, i) => [key(s, i), s]));
  const reasons: string[] = [];
  after.forEach((s, i) => {
    const name = key(s, i);
    const old = byKey.get(name);
    if (s.Effect === 'Allow') {
      if (!old || old.Effect !== 'Allow') {
        reasons.push(`new Allow statement ${name}`);
        return;
      }
      const newPrincipals = added(principals(old.Principal), principals(s.Principal));
      const newActions = added(asList(old.Action), asList(s.Action));
      const newResources = added(asList(old.Resource), asList(s.Resource));
      if (newPrincipals.length) reasons.push(`${name}: new principal ${newPrincipals.join(', ')}`);
      if (newActions.length) reasons.push(`${name}: new action ${newActions.join(', ')}`);
      if (newResources.length) reasons.push(`${name}: new resource ${newResources.join(', ')}`);
      if (hasWildcard([...newPrincipals, ...newActions, ...newResources])) reasons.push(`${name}: wildcard added`);
      const oldCond = conditions(old.Condition);
      const newCond = conditions(s.Condition);
      for (const [k, v] of oldCond) {
        if (!newCond.has(k)) reasons.push(`${name}: condition ${k} removed`);
        else if (newCond.get(k) !== v) reasons.push(`${name}: condition ${k} changed`);
      }
    } else if (old && old.Effect === 'Deny') {
      const lostActions = removed(asList(old.Action), asList(s.Action));
      const lostResources = removed(asList(old.Resource), asList(s.Resource));
      if (lostActions.length) reasons.push(`${name}: Deny no longer covers ${lostActions.join(', ')}`);
      if (lostResources.length) reasons.push(`${name}: Deny no longer covers ${lostResources.join(', ')}`);
      if (JSON.stringify(old.Condition ?? {}) !== JSON.stringify(s.Condition ?? {})) reasons.push(`${name}: Deny condition changed`);
    }
  });
  const afterKeys = new Set(after.map(key));
  before.forEach((s, i) => {
    if (s.Effect === 'Deny' && !afterKeys.has(key(s, i))) reasons.push(`Deny statement ${key(s, i)} removed`);
  });
  return reasons;
}
