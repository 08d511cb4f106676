/**
 * A policy document change as a statement diff with real values, and what each
 * difference does to access, computed from sets:
 *
 * - statements are matched by Sid; statements without one by identical content,
 *   then by position;
 * - Action, Resource and Principal are sets of patterns: an added value that no
 *   old pattern covers (`s3:Get*` covers `s3:GetObject`) widens an Allow, a removed
 *   one that no new pattern covers narrows it; for a Deny the other way round; for
 *   NotAction, NotResource and NotPrincipal the other way round again;
 * - conditions are sets of values per operator and key: a value added to a matching
 *   operator (StringEquals, StringLike, ArnLike, IpAddress, ...) makes the statement
 *   match more requests, one added to a negated operator (StringNotEquals, ...) fewer;
 *   a condition removed makes it match more. Matching more widens an Allow and
 *   narrows a Deny;
 * - what the sets cannot decide (a changed operator, a numeric, date, Bool or Null
 *   value, a field that appears or disappears, a document that does not parse) is
 *   "changed", never "widened".
 */
import { asList } from '../policies/document';
import { isObject } from './terraform-json';

export type PolicyEffect = 'widens' | 'narrows' | 'changes';

/** One difference of a policy document: where, the old and new values (real values, never hashes), and its effect. */
export interface PolicyLine {
  path: string;
  old: string;
  new: string;
  effect: PolicyEffect;
  /** The finding in words, for the danger rules: `AllowX: new action s3:PutObject`. */
  reasons: string[];
  /**
   * For a widening: the added values that widen it (an action, resource,
   * `kind:principal` or condition value); absent when the widening is not a set of
   * added values (a new statement, a condition removed, an Effect turned Allow).
   */
  widened?: string[];
}

interface Stmt {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document (a JSON string or an object), or undefined when it is not one. */
export function statementsOf(doc: unknown): Stmt[] | undefined {
  let d: unknown = doc;
  if (typeof doc === 'string') {
    try {
      d = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!isObject(d) || d.Statement === undefined) return undefined;
  // Read from a document: trusted to hold statements.
  return asList(d.Statement) as unknown as Stmt[];
}

const json = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

/** Whether IAM pattern `pattern` (with * and ?) covers `value` (itself possibly a pattern). */
export function covers(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
}

/** Principal elements as `kind:value`; "*" is everyone. */
function principals(p: unknown): string[] {
  if (p === undefined || p === null) return [];
  if (p === '*') return ['*:*'];
  if (typeof p !== 'object') return [String(p)];
  return Object.entries(p as Record<string, unknown>).flatMap(([kind, v]) => asList(v).map((x) => `${kind}:${x}`));
}

/** Added values no old pattern covers, and removed values no new pattern covers. */
function setDelta(before: string[], after: string[], ignoreCase: boolean): { added: string[]; removed: string[] } {
  return {
    added: after.filter((x) => !before.some((b) => covers(b, x, ignoreCase))),
    removed: before.filter((x) => !after.some((a) => covers(a, x, ignoreCase))),
  };
}

const delta = (d: { added: string[]; removed: string[] }) => [...d.added.map((x) => `+${x}`), ...d.removed.map((x) => `-${x}`)].join(' ');

/** Condition operators whose values are alternatives that match: more values, more requests match. */
const MATCHING = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)(IfExists)?$/;
/** Negated operators: more values, fewer requests match. */
const NEGATED =
  /^(ForAnyValue:|ForAllValues:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike|NotIpAddress)(IfExists)?$/;

const effectOf = (matchesMore: boolean, isAllow: boolean): PolicyEffect => (matchesMore === isAllow ? 'widens' : 'narrows');

/** The statement fields compared as sets of values. */
type ListField = 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource';

/** The differences of one matched statement, field by field. */
function statementLines(path: string, name: string, o: Stmt, s: Stmt): PolicyLine[] {
  const out: PolicyLine[] = [];
  const at = `${path} statement ${name}`;
  if (o.Effect !== s.Effect) {
    const widens = s.Effect === 'Allow';
    out.push({
      path: `${at} Effect`,
      old: json(o.Effect),
      new: json(s.Effect),
      effect: widens ? 'widens' : 'narrows',
      reasons: [`${name}: Effect ${o.Effect} -> ${s.Effect}`],
    });
    return out;
  }
  const isAllow = s.Effect === 'Allow';
  const lists: [ListField, (v: unknown) => string[], boolean, boolean, string][] = [
    // field, values, ignore case, inverted (a Not- field), the word in reasons
    ['Principal', principals, false, false, 'principal'],
    ['NotPrincipal', principals, false, true, 'NotPrincipal entry'],
    ['Action', (v) => asList(v as Stmt['Action']), true, false, 'action'],
    ['NotAction', (v) => asList(v as Stmt['Action']), true, true, 'NotAction entry'],
    ['Resource', (v) => asList(v as Stmt['Action']), false, false, 'resource'],
    ['NotResource', (v) => asList(v as Stmt['Action']), false, true, 'NotResource entry'],
  ];
  for (const [field, values, ignoreCase, inverted, word] of lists) {
    const b: unknown = o[field];
    const a: unknown = s[field];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (b === undefined || a === undefined) {
      out.push({
        path: `${at} ${field}`,
        old: json(b),
        new: json(a),
        effect: 'changes',
        reasons: [`${name}: ${field} ${b === undefined ? 'added' : 'removed'}`],
      });
      continue;
    }
    const d = setDelta(values(b), values(a), ignoreCase);
    const line = (effect: PolicyEffect, reasons: string[]): PolicyLine => ({
      path: `${at} ${field}`,
      old: json(b),
      new: `${json(a)}${delta(d) ? ` (${delta(d)})` : ''}`,
      effect,
      reasons,
    });
    // For an Allow, more actions, resources or principals widen; a Not- field or a Deny turns it round.
    const moreWidens = isAllow !== inverted;
    const widening = moreWidens ? d.added : d.removed;
    const narrowing = moreWidens ? d.removed : d.added;
    if (widening.length) {
      const widened = (x: string) =>
        isAllow
          ? inverted
            ? `${name}: ${field} no longer excludes ${x}`
            : `${name}: new ${word} ${x}`
          : inverted
            ? `${name}: Deny ${field} now exempts ${x}`
            : `${name}: Deny no longer covers ${x}`;
      const reasons = widening.map(widened);
      if (moreWidens && widening.some((x) => x.includes('*'))) reasons.push(`${name}: wildcard added`);
      out.push({ ...line('widens', reasons), widened: widening });
    } else if (narrowing.length)
      out.push(
        line(
          'narrows',
          narrowing.map((x) => `${name}: ${moreWidens ? `${word} ${x} removed` : `${word} ${x} added`}`),
        ),
      );
    else out.push(line('narrows', [`${name}: ${field} rewritten, covering no more than before`]));
  }
  out.push(...conditionLines(at, name, o.Condition, s.Condition, isAllow));
  return out;
}

/** Condition differences per operator and key. */
function conditionLines(at: string, name: string, before: Stmt['Condition'], after: Stmt['Condition'], isAllow: boolean): PolicyLine[] {
  const flat = (c: Stmt['Condition']) => {
    const m = new Map<string, Map<string, string[]>>();
    for (const [op, byKey] of Object.entries(c ?? {}))
      for (const [key, v] of Object.entries(byKey ?? {})) {
        const ops = m.get(key) ?? new Map<string, string[]>();
        ops.set(op, asList(v).map(String));
        m.set(key, ops);
      }
    return m;
  };
  const b = flat(before);
  const a = flat(after);
  const out: PolicyLine[] = [];
  for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const ob = b.get(key);
    const oa = a.get(key);
    if (JSON.stringify(ob && [...ob]) === JSON.stringify(oa && [...oa])) continue;
    const path = (op: string) => `${at} Condition ${op} ${key}`;
    if (!oa) {
      for (const [op, v] of ob!)
        out.push({
          path: path(op),
          old: json(v),
          new: '(none)',
          effect: effectOf(true, isAllow),
          reasons: [`${name}: condition ${op} ${key} removed`],
        });
      continue;
    }
    if (!ob) {
      for (const [op, v] of oa)
        out.push({
          path: path(op),
          old: '(none)',
          new: json(v),
          effect: effectOf(false, isAllow),
          reasons: [`${name}: condition ${op} ${key} added`],
        });
      continue;
    }
    const opsB = [...ob.keys()].sort();
    const opsA = [...oa.keys()].sort();
    if (JSON.stringify(opsB) !== JSON.stringify(opsA)) {
      // StringEquals -> StringLike on the same key: the sets cannot say which matches more.
      out.push({
        path: `${at} Condition ${key}`,
        old: json(Object.fromEntries(ob)),
        new: json(Object.fromEntries(oa)),
        effect: 'changes',
        reasons: [`${name}: condition on ${key} changed from ${opsB.join(', ')} to ${opsA.join(', ')}`],
      });
      continue;
    }
    for (const op of opsA) {
      const vb = ob.get(op)!;
      const va = oa.get(op)!;
      if (JSON.stringify([...vb].sort()) === JSON.stringify([...va].sort())) continue;
      const like = /Like|Arn/.test(op);
      const d = like ? setDelta(vb, va, false) : { added: va.filter((x) => !vb.includes(x)), removed: vb.filter((x) => !va.includes(x)) };
      const base = { path: path(op), old: json(vb), new: `${json(va)}${delta(d) ? ` (${delta(d)})` : ''}` };
      const sign = MATCHING.test(op) ? 1 : NEGATED.test(op) ? -1 : 0;
      if (!sign) {
        out.push({ ...base, effect: 'changes', reasons: [`${name}: condition ${op} ${key} changed`] });
        continue;
      }
      // Values the statement now matches on (a matching operator's added values, a negated one's removed values).
      const more = sign > 0 ? d.added : d.removed;
      const fewer = sign > 0 ? d.removed : d.added;
      const widens = (matches: boolean) => effectOf(matches, isAllow) === 'widens';
      const effect: PolicyEffect = more.some(() => widens(true)) || fewer.some(() => widens(false)) ? 'widens' : 'narrows';
      const reasons = [...more.map((x) => [x, true] as const), ...fewer.map((x) => [x, false] as const)]
        .filter(([, m]) => effectOf(m, isAllow) === effect)
        .map(([x, m]) => `${name}: condition ${op} ${key} ${m ? 'now matches' : 'no longer matches'} ${x}`);
      const widened = [...more.filter(() => widens(true)), ...fewer.filter(() => widens(false))];
      out.push({
        ...base,
        effect,
        reasons: reasons.length ? reasons : [`${name}: condition ${op} ${key} rewritten`],
        ...(effect === 'widens' ? { widened } : {}),
      });
    }
  }
  return out;
}

/** A policy document change, statement by statement, with real values and the effect of each difference. */
export function policyDiff(path: string, beforeDoc: unknown, afterDoc: unknown): PolicyLine[] {
  const before = statementsOf(beforeDoc);
  const after = statementsOf(afterDoc);
  if (before === undefined && after === undefined) return [];
  if (!before || !after) {
    if (before && afterDoc === undefined)
      return [{ path, old: json(beforeDoc), new: '(none)', effect: 'narrows', reasons: ['policy removed'] }];
    return [
      {
        path,
        old: json(beforeDoc),
        new: json(afterDoc),
        effect: 'changes',
        reasons: ['policy changed and could not be analysed: review it by hand'],
      },
    ];
  }
  // Match by Sid; statements without one by identical content first, then by position among the rest.
  const sid = (s: Stmt) => (typeof s?.Sid === 'string' && s.Sid ? s.Sid : undefined);
  const pairs: [string, Stmt | undefined, Stmt | undefined][] = [];
  const oldBySid = new Map(before.filter(sid).map((s) => [sid(s)!, s]));
  const oldAnon = before.filter((s) => !sid(s));
  const newAnon: Stmt[] = [];
  for (const s of after) {
    const k = sid(s);
    if (k) {
      pairs.push([k, oldBySid.get(k), s]);
      oldBySid.delete(k);
    } else {
      const same = oldAnon.findIndex((o) => JSON.stringify(o) === JSON.stringify(s));
      if (same >= 0) oldAnon.splice(same, 1);
      else newAnon.push(s);
    }
  }
  for (const [k, o] of oldBySid) pairs.push([k, o, undefined]);
  newAnon.forEach((s, i) => pairs.push([`#${after.indexOf(s)}`, oldAnon[i], s]));
  oldAnon.slice(newAnon.length).forEach((o) => pairs.push([`#${before.indexOf(o)}`, o, undefined]));

  const out: PolicyLine[] = [];
  for (const [name, o, s] of pairs) {
    if (o && s) {
      if (JSON.stringify(o) !== JSON.stringify(s)) out.push(...statementLines(path, name, o, s));
    } else if (s) {
      const allow = s.Effect === 'Allow';
      out.push({
        path: `${path} statement ${name}`,
        old: '(none)',
        new: json(s),
        effect: allow ? 'widens' : 'narrows',
        reasons: [`new ${allow ? 'Allow' : 'Deny'} statement ${name}`],
      });
    } else if (o) {
      const allow = o.Effect === 'Allow';
      out.push({
        path: `${path} statement ${name}`,
        old: json(o),
        new: '(none)',
        effect: allow ? 'narrows' : 'widens',
        reasons: [`${allow ? 'Allow' : 'Deny'} statement ${name} removed`],
      });
    }
  }
  return out;
}

/** Reasons a policy change widens access; empty when it does not. */
export function policyWidening(beforeDoc: unknown, afterDoc: unknown): string[] {
  return policyDiff('policy', beforeDoc, afterDoc)
    .filter((l) => l.effect === 'widens')
    .flatMap((l) => l.reasons);
}

/** Reasons a policy change cannot be decided (neither widening nor narrowing can be shown). */
export function policyUndecided(beforeDoc: unknown, afterDoc: unknown): string[] {
  return policyDiff('policy', beforeDoc, afterDoc)
    .filter((l) => l.effect === 'changes')
    .flatMap((l) => l.reasons);
}

/**
 * The values a policy change adds that widen it; undefined when some widening is
 * not made of added values (a new Allow statement, a condition removed), so it
 * cannot be attributed to anything.
 */
export function wideningValues(beforeDoc: unknown, afterDoc: unknown): string[] | undefined {
  const lines = policyDiff('policy', beforeDoc, afterDoc).filter((l) => l.effect === 'widens');
  if (lines.some((l) => !l.widened?.length)) return undefined;
  return [...new Set(lines.flatMap((l) => l.widened!))];
}
