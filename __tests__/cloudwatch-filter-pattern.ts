/**
 * A small evaluator of CloudWatch Logs filter patterns, for tests: the subset this
 * project writes, with the semantics of the CloudWatch Logs user guide ("Filter and
 * pattern syntax", awsdocs/amazon-cloudwatch-logs-user-guide FilterAndPatternSyntax.md):
 *
 * - a quoted term ("PROMPT_ATTACK"): the event contains it (case sensitive);
 * - a JSON pattern `{ ... }`: the event is JSON and the expression holds. Selectors
 *   start at `$`, take `.name` (letters, digits, "-" and "_") and `[n]`, and must
 *   point to a value node (string, number, boolean): one that points to an object or
 *   an array, or to nothing, makes `=` and `!=` both false. Values are quoted
 *   strings or bare words, with `*` as a wildcard at the start or end. `&&` binds
 *   tighter than `||`; parentheses group.
 *
 * It is not CloudWatch: it cannot prove what CloudWatch does, only that a pattern
 * means what the documented rules say on sample records.
 */

type Token = { kind: 'sel' | 'op' | 'val' | 'and' | 'or' | 'open' | 'close'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const m =
      /^(\$(?:\.[A-Za-z0-9_-]+|\[\d+\])*)/.exec(rest) ??
      /^(!=|=)/.exec(rest) ??
      /^(&&)/.exec(rest) ??
      /^(\|\|)/.exec(rest) ??
      /^([()])/.exec(rest) ??
      /^("(?:[^"\\]|\\.)*")/.exec(rest) ??
      /^([A-Za-z0-9_.*:/-]+)/.exec(rest);
    if (!m) throw new Error(`cannot read the pattern at: ${rest.slice(0, 20)}`);
    const t = m[1];
    const kind = t.startsWith('$')
      ? 'sel'
      : t === '=' || t === '!='
        ? 'op'
        : t === '&&'
          ? 'and'
          : t === '||'
            ? 'or'
            : t === '('
              ? 'open'
              : t === ')'
                ? 'close'
                : 'val';
    out.push({ kind, text: t });
    i += t.length;
  }
  return out;
}

function select(doc: unknown, selector: string): unknown {
  let v = doc;
  for (const [, name, index] of selector.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== 'object') return undefined;
    if (index !== undefined) {
      if (!Array.isArray(v)) return undefined;
      v = v[Number(index)];
    } else {
      if (Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[name];
    }
  }
  return v;
}

function matchesValue(actual: string, expected: string): boolean {
  const body = expected.startsWith('"') ? JSON.parse(expected) : expected;
  const re = new RegExp(
    `^${body
      .split('*')
      .map((s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(actual);
}

/** Whether a log event (its message text) matches a filter pattern. */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  const p = pattern.trim();
  if (!p.startsWith('{')) {
    const terms = [...p.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]));
    return terms.every((t) => message.includes(t));
  }
  if (!p.endsWith('}')) throw new Error('a JSON pattern ends with }');
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return false;
  }
  const tokens = tokenize(p.slice(1, -1));
  let at = 0;
  const peek = () => tokens[at];
  const take = (kind: Token['kind']) => {
    const t = tokens[at++];
    if (!t || t.kind !== kind) throw new Error(`expected ${kind} at token ${at} of ${p}`);
    return t;
  };
  const primary = (): boolean => {
    if (peek()?.kind === 'open') {
      take('open');
      const v = or();
      take('close');
      return v;
    }
    const sel = take('sel').text;
    const op = take('op').text;
    const val = take('val').text;
    const actual = select(doc, sel);
    if (actual === undefined || actual === null || typeof actual === 'object') return false;
    const eq = matchesValue(String(actual), val);
    return op === '=' ? eq : !eq;
  };
  const and = (): boolean => {
    let v = primary();
    while (peek()?.kind === 'and') {
      take('and');
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (peek()?.kind === 'or') {
      take('or');
      v = and() || v;
    }
    return v;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`unread tokens from ${at} in ${p}`);
  return result;
}
