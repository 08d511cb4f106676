/** fast-check arbitraries for valid environment matrices, and corruptions of them. */
import fc from 'fast-check';
import type { Matrix } from '../config/schema';
import { LOG_RETENTION_DAYS } from '../config/rules';

/** Regions with a cross-region geography (us, eu, apac), so every model fits every region. */
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2'];
const MODELS = ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0', 'meta.llama3-8b-instruct-v1:0', 'cohere.command-r-v1:0'];
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const slugChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const slug = fc
  .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.string({ unit: slugChars, maxLength: 10 }))
  .map(([a, b]) => a + b);
const tags = fc.dictionary(slug, fc.string({ unit: slugChars, maxLength: 12 }), { maxKeys: 3 });

const logging = fc.record(
  {
    destinations: fc.subarray(['s3', 'cloudwatch'] as ('s3' | 'cloudwatch')[], { minLength: 1 }),
    delivery: fc.record({ text: fc.boolean(), image: fc.boolean(), embedding: fc.boolean(), video: fc.boolean() }, { requiredKeys: [] }),
    logRetentionDays: fc.constantFrom(...LOG_RETENTION_DAYS),
  },
  { requiredKeys: [] },
);

export const validMatrix: fc.Arbitrary<Matrix> = fc
  .record({
    accounts: fc.uniqueArray(fc.integer({ min: 100000000000, max: 899999999999 }), { minLength: 1, maxLength: 3 }),
    names: fc.boolean(),
    environments: fc.array(fc.constantFrom('prod', 'dev', 'staging'), { minLength: 3, maxLength: 3 }),
    regions: fc.array(fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
    accountLogging: fc.array(fc.option(logging, { nil: undefined }), { minLength: 3, maxLength: 3 }),
    models: fc.uniqueArray(fc.record({ source: fc.constantFrom(...MODELS), crossRegion: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
      selector: (m) => m.source,
    }),
    tenants: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...TENANTS),
        budget: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
        tags: fc.option(tags, { nil: undefined }),
        pick: fc.integer({ min: 0, max: 7 }),
      }),
      { maxLength: 3, selector: (t) => t.id },
    ),
    logging: fc.option(logging, { nil: undefined }),
    tags: fc.option(tags, { nil: undefined }),
    management: fc.boolean(),
  })
  .map((r) => {
    const models = r.models.map((m, i) => ({ alias: `m${i}`, source: m.source, ...(m.crossRegion ? { crossRegion: true } : {}) }));
    const m: Matrix = {
      ...(r.management ? { managementAccountId: '999999999999' } : {}),
      accounts: r.accounts.map((id, i) => ({
        id: String(id),
        ...(r.names ? { name: `account-${i}` } : {}),
        environment: r.environments[i],
        regions: r.regions[i],
        ...(r.accountLogging[i] ? { logging: r.accountLogging[i] } : {}),
      })),
      models,
      tenants: r.tenants.map((t) => {
        // A non-empty subset of the models, chosen by the bits of `pick`.
        const chosen = models.filter((_, i) => (t.pick >> i) & 1);
        return {
          id: t.id,
          models: (chosen.length ? chosen : models.slice(0, 1)).map((x) => x.alias),
          ...(t.budget ? { monthlyBudgetUsd: t.budget } : {}),
          ...(t.tags ? { tags: t.tags } : {}),
        };
      }),
      ...(r.logging ? { logging: r.logging } : {}),
      ...(r.tags ? { tags: r.tags } : {}),
    };
    return m;
  });

/** Every path of a JSON value: ['accounts', 0, 'regions', 1], ... */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant('x'.repeat(600)),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

/** An object or an array of a copied matrix, indexed by key. */
type Node = Record<string | number, unknown>;

/** A valid matrix with one value replaced, deleted, or given an unknown sibling key. */
export const corruptedMatrix = fc
  .tuple(validMatrix, fc.nat(), fc.constantFrom('replace', 'delete', 'unknown-key'), junk)
  .map(([m, n, how, value]) => {
    const copy = JSON.parse(JSON.stringify(m)) as Node;
    const paths = pathsOf(copy);
    const at = paths[n % paths.length];
    if (at.length === 0) return value; // the whole document
    const parent = at.slice(0, -1).reduce<Node>((o, k) => o[k] as Node, copy);
    const key = at[at.length - 1];
    if (how === 'replace') parent[key] = value;
    else if (how === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
    else if (typeof parent === 'object' && !Array.isArray(parent)) parent[`${String(key)}Typo`] = value;
    else parent[key] = value;
    return copy;
  });

/** A valid matrix's JSON text with a few characters inserted or removed. */
export const corruptedText = fc
  .tuple(
    validMatrix,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '{', '}', '"', ',', ':', '[', ']', '\n', 'x', '0')), { minLength: 1, maxLength: 4 }),
  )
  .map(([m, edits]) => {
    let text = JSON.stringify(m, null, 2);
    for (const [n, c] of edits) {
      const i = n % (text.length + 1);
      text = c ? text.slice(0, i) + c + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
    }
    return text;
  });
