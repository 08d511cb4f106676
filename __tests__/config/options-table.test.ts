/**
 * The README's `logging.` options table restates the schema and the defaults: this test
 * reads the table and walks the zod schema, so a key added, removed or renamed in
 * config/logging.ts, a default changed in DEFAULT_LOGGING, or an allowed value changed
 * fails here until the table follows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ZodTypeAny, z } from 'zod';
import { validateMatrix } from '../../config/load';
import { COMPLIANCE_CONFIRMATION, DEFAULT_LOGGING, LoggingOptions } from '../../config/logging';
import * as rules from '../../config/rules';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Options'), readme.indexOf('\n### ', readme.indexOf('### Options') + 1));

/** The table: key (a row may name several, `delivery.text` / `.image`), its default cell and its allowed cell. */
const table: { key: string; default: string; allowed: string }[] = section
  .slice(section.indexOf('|---'))
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .flatMap((line) => {
    const [keys, def, allowed] = line
      .slice(2, -2)
      .split(/ (?<!\\)\| /)
      .map((c) => c.trim());
    const names = [...keys.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const parent = names[0].split('.').slice(0, -1).join('.');
    return names.map((n) => ({ key: n.startsWith('.') ? parent + n : n, default: def, allowed }));
  });

/** Strips optional, default and refinement wrappers. */
function unwrap(t: ZodTypeAny): ZodTypeAny {
  for (;;) {
    if (t instanceof z.ZodOptional || t instanceof z.ZodNullable || t instanceof z.ZodDefault) t = t._def.innerType;
    else if (t instanceof z.ZodEffects) t = t._def.schema;
    else return t;
  }
}

const shape = LoggingOptions.shape as Record<string, ZodTypeAny>;
const defaults = DEFAULT_LOGGING as unknown as Record<string, unknown>;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The keys the table documents: an object option whose default is an object (the resolver
 * merges it key by key across levels) is documented key by key; every other option, objects
 * without a default included (objectLock), as one value.
 */
const schemaKeys: { key: string; schema: ZodTypeAny; default: unknown }[] = Object.entries(shape).flatMap(([k, t]) => {
  const inner = unwrap(t);
  if (inner instanceof z.ZodObject && isPlainObject(defaults[k]))
    return Object.entries(inner.shape as Record<string, ZodTypeAny>).map(([sub, st]) => ({ key: `${k}.${sub}`, schema: st, default: (defaults[k] as Record<string, unknown>)[sub] }));
  return [{ key: k, schema: t, default: defaults[k] }];
});

/** What a default cell says: `unset...` is no default, `all \`x\`` is x for every key of the row, else the first code span, as JSON where it parses. */
function cellDefault(cell: string): unknown {
  if (/^unset\b/.test(cell)) return undefined;
  const code = /`([^`]*)`/.exec(cell)?.[1];
  if (code === undefined) throw new Error(`a default cell without a value: ${cell}`);
  try {
    return JSON.parse(code);
  } catch {
    return code;
  }
}

/** Every enum, bounded number and boolean inside a schema: what the allowed cell must name. */
function constraints(t: ZodTypeAny, out: { enums: string[]; ranges: string[]; boolean: boolean; keys: string[] } = { enums: [], ranges: [], boolean: false, keys: [] }) {
  t = unwrap(t);
  if (t instanceof z.ZodEnum) out.enums.push(...(t.options as string[]));
  else if (t instanceof z.ZodBoolean) out.boolean = true;
  else if (t instanceof z.ZodNumber) {
    const bound = (kind: string) => t._def.checks.find((c: { kind: string }) => c.kind === kind) as { value: number } | undefined;
    const [min, max] = [bound('min'), bound('max')];
    if (min && max) out.ranges.push(`${min.value}-${max.value}`);
  } else if (t instanceof z.ZodArray) constraints(t._def.type, out);
  else if (t instanceof z.ZodUnion) t._def.options.forEach((o: ZodTypeAny) => constraints(o, out));
  else if (t instanceof z.ZodObject)
    for (const [k, st] of Object.entries(t.shape as Record<string, ZodTypeAny>)) {
      out.keys.push(k);
      constraints(st, out);
    }
  return out;
}

test('the README has the table', () => {
  expect(table.length).toBeGreaterThan(10);
});

test('the table documents exactly the logging keys of the schema, each once', () => {
  expect(table.map((r) => r.key).sort()).toEqual(schemaKeys.map((k) => k.key).sort());
});

test.each(schemaKeys.map((k) => [k.key, k] as const))("%s: the default in the table is DEFAULT_LOGGING's", (key, k) => {
  const row = table.find((r) => r.key === key)!;
  expect(cellDefault(row.default)).toEqual(k.default);
});

test.each(schemaKeys.map((k) => [k.key, k] as const))('%s: the allowed cell names every value, range and key the schema allows', (key, k) => {
  const row = table.find((r) => r.key === key)!;
  const c = constraints(k.schema);
  for (const e of c.enums) expect([e, row.allowed]).toEqual([e, expect.stringMatching(new RegExp(`\\b${e}\\b`))]);
  for (const r of c.ranges) expect(row.allowed).toContain(r);
  if (c.boolean) expect(row.allowed).toMatch(/boolean/);
  for (const sub of c.keys) expect([sub, row.allowed]).toEqual([sub, expect.stringMatching(new RegExp(`"${sub}"|\\b${k.key}\\.${sub}\\b|\`${sub}\``))]);
});

test('logRetentionDays lists exactly the retention periods the schema accepts', () => {
  const row = table.find((r) => r.key === 'logRetentionDays')!;
  const listed = row.allowed
    .slice(row.allowed.indexOf(':') + 1)
    .split(',')
    .map((n) => Number(n.trim()));
  expect(listed).toEqual([...rules.LOG_RETENTION_DAYS]);
  for (const d of listed) expect(LoggingOptions.safeParse({ logRetentionDays: d }).success).toBe(true);
  expect(LoggingOptions.safeParse({ logRetentionDays: 2 }).success).toBe(false);
});

test('objectLock names the exact COMPLIANCE confirmation', () => {
  expect(table.find((r) => r.key === 'objectLock')!.allowed).toContain(`"${COMPLIANCE_CONFIRMATION}"`);
});

/** A valid value other than the default, per key documented key by key. */
const SAMPLE: Record<string, unknown> = {
  'delivery.text': false,
  'delivery.image': false,
  'delivery.embedding': false,
  'delivery.video': false,
  'lifecycle.transitions': [{ days: 30, storageClass: 'STANDARD_IA' }],
  'lifecycle.expirationDays': 3650,
  'lifecycle.noncurrentVersionExpirationDays': 30,
  'lifecycle.abortIncompleteMultipartUploadDays': 3,
};

test.each(schemaKeys.filter((k) => k.key.includes('.')).map((k) => [k.key] as const))(
  "%s merges key by key, as the table's layout says: an account setting it keeps the rest of the defaults",
  (key) => {
    const [group, sub] = key.split('.');
    expect(SAMPLE).toHaveProperty([key]);
    const config = validateMatrix({ accounts: [{ id: '111111111111', regions: ['us-east-1'], logging: { [group]: { [sub]: SAMPLE[key] } } }] }, 'test');
    expect((config.stacks[0].logging as unknown as Record<string, unknown>)[group]).toEqual({ ...(defaults[group] as object), [sub]: SAMPLE[key] });
  },
);
