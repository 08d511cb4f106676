import { z } from 'zod';

/** One problem in the matrix: where it is, what was there, and what is allowed. */
export interface MatrixIssue {
  path: string;
  value?: unknown;
  /** Said instead of the value where there is none to show, e.g. "unknown key". */
  found?: string;
  allowed: string;
}

/** The one error type for bad input. main.ts prints it without a stack trace. */
export class MatrixError extends Error {
  constructor(
    readonly source: string,
    readonly issues: MatrixIssue[],
    subject = 'environment matrix',
  ) {
    super(formatIssues(`${subject} (${source})`, issues));
    this.name = 'MatrixError';
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function formatIssues(source: string, issues: MatrixIssue[]): string {
  const n = issues.length;
  const lines = issues.map((i) => {
    const got = i.found ? ` ${i.found}` : 'value' in i ? ` ${show(i.value)}` : '';
    return `  - ${i.path}:${got} -> expected ${i.allowed}`;
  });
  return `Invalid ${source}: ${n} problem${n === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

/** An object or an array of the input, read by key. */
const isIndexable = (v: unknown): v is Record<string | number, unknown> => v !== null && typeof v === 'object';

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const p of path) {
    if (!isIndexable(v)) return undefined;
    v = v[p];
  }
  return v;
}

/** The object schema found at `path`, to list its keys when the input has an unknown one. */
function objectAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): z.AnyZodObject | undefined {
  let s: z.ZodTypeAny | undefined = schema;
  const unwrap = (t: z.ZodTypeAny): z.ZodTypeAny => {
    if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) return unwrap(t.unwrap());
    if (t instanceof z.ZodEffects) return unwrap(t.innerType());
    if (t instanceof z.ZodDefault) return unwrap(t._def.innerType);
    if (t instanceof z.ZodUnion) {
      const obj = (t.options as z.ZodTypeAny[]).map(unwrap).find((o) => o instanceof z.ZodObject);
      return obj ?? t;
    }
    return t;
  };
  for (const p of path) {
    s = unwrap(s);
    if (s instanceof z.ZodArray && typeof p === 'number') s = s.element;
    else if (s instanceof z.ZodObject) s = s.shape[p];
    else if (s instanceof z.ZodRecord) s = s.valueSchema;
    else return undefined;
    if (!s) return undefined;
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? s : undefined;
}

/** Levenshtein edit distance. */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = distance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** "an array", "a string": zod names types without an article. */
const article = (type: string) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/** Turns zod's issues into MatrixIssues that name the field, the value and what is allowed. */
export function fromZod(schema: z.ZodTypeAny, input: unknown, error: z.ZodError): MatrixIssue[] {
  const out: MatrixIssue[] = [];
  const visit = (issue: z.ZodIssue) => {
    const path = issue.path;
    const value = valueAt(input, path);
    switch (issue.code) {
      case z.ZodIssueCode.unrecognized_keys: {
        const allowedKeys = Object.keys(objectAt(schema, path)?.shape ?? {});
        for (const key of issue.keys) {
          const hint = closest(key, allowedKeys);
          out.push({
            path: formatPath([...path, key]),
            found: 'unknown key',
            allowed: `one of the keys allowed here: ${allowedKeys.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
          });
        }
        return;
      }
      case z.ZodIssueCode.invalid_union: {
        // Report the branch that got furthest: the one whose problems are not all a type mismatch at this path.
        const branches = issue.unionErrors.map((e) => e.issues);
        const best =
          branches.find((b) => !b.every((i) => i.code === z.ZodIssueCode.invalid_type && i.path.length === path.length)) ?? branches[0];
        if (best.every((i) => i.code === z.ZodIssueCode.invalid_type && i.path.length === path.length)) {
          out.push({
            path: formatPath(path),
            value,
            allowed: issue.unionErrors.map((e) => ('expected' in e.issues[0] ? e.issues[0].expected : undefined)).join(' or '),
          });
        } else best.forEach(visit);
        return;
      }
      case z.ZodIssueCode.invalid_type:
        out.push({
          path: formatPath(path),
          value,
          allowed:
            issue.received === 'undefined'
              ? `a value (required) of type ${issue.expected}`
              : issue.message !== 'Required' && !issue.message.startsWith('Expected ')
                ? issue.message
                : article(issue.expected),
        });
        return;
      case z.ZodIssueCode.invalid_union_discriminator:
      case z.ZodIssueCode.invalid_enum_value:
        out.push({ path: formatPath(path), value, allowed: `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}` });
        return;
      case z.ZodIssueCode.too_small:
      case z.ZodIssueCode.too_big:
        // zod's own wording ("String must contain at most 40 character(s)") becomes "at most 40 character(s)".
        out.push({ path: formatPath(path), value, allowed: issue.message.replace(/^(String|Number|Array) must (contain|be) /, '') });
        return;
      default:
        out.push({ path: formatPath(path), value, allowed: issue.message });
    }
  };
  error.issues.forEach(visit);
  return out;
}
