/**
 * The samples the docs ship still work: every YAML or JSON block of the README and
 * docs/ that is a matrix (or a part of one) validates, completed with the least
 * context it needs (an account, a management account, the model and tenant the
 * samples name); the example landing zone is a valid matrix; the review.json sample
 * has the shape the review writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseMatrixText, validateMatrix } from '../../config/load';
import { rolloutWaves } from '../../config/select';
import { Matrix } from '../../config/schema';

const ROOT = path.join(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const DOC_FILES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]);

/** What a sample may leave out: one account, the management account, a model and a tenant that uses it. */
const CONTEXT = {
  managementAccountId: '999999999999',
  accounts: [{ id: '111111111111', environment: 'prod', regions: ['us-east-1'] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'] }],
};

/** The YAML and JSON blocks whose top-level keys are all matrix keys: the matrix samples. */
const samples = DOC_FILES.flatMap((file) =>
  [...blocks(read(file), 'ya?ml'), ...blocks(read(file), 'json')].flatMap((text) => {
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      return [];
    }
    const isMatrix =
      !!value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0 &&
      Object.keys(value).every((k) => k in Matrix.shape);
    return isMatrix ? [{ file, text, value: value as Record<string, unknown> }] : [];
  }),
);

test('the docs ship matrix samples', () => {
  expect(samples.length).toBeGreaterThanOrEqual(8);
  expect(new Set(samples.map((s) => s.file)).size).toBeGreaterThanOrEqual(5);
});

test.each(samples.map((s) => [`${s.file}: ${s.text.split('\n')[0]}`, s] as const))('%s validates', (_, s) => {
  const m = { ...CONTEXT, ...s.value };
  expect(() => validateMatrix(m, s.file)).not.toThrow();
});

test('a broken sample fails: the check validates, not just parses', () => {
  expect(() => validateMatrix({ ...CONTEXT, logging: { logRetentionDays: 42 } }, 'sample')).toThrow(/logRetentionDays/);
});

test('the starting matrix init writes (the example landing zone) is valid; its deploy waves are dev, staging, prod, management', () => {
  const file = path.join(ROOT, 'templates', 'landing-zone', 'landing-zone.yaml');
  const config = validateMatrix(parseMatrixText(fs.readFileSync(file, 'utf8'), file), file);
  expect(rolloutWaves(config).map((w) => w.wave)).toEqual(['bootstrap', 'dev', 'staging', 'prod', 'management']);
  expect(config.stacks.every((s) => s.backend.type === 'tfc')).toBe(true);
  expect(config.deployment.assumeRole).toBe(false);
  expect(fs.existsSync(path.join(ROOT, 'templates', 'landing-zone', 'github', 'review-accept.txt'))).toBe(true);
});

test('the review.json sample in docs/review.md has the shape the review writes', () => {
  const sample = JSON.parse(blocks(read('docs/review.md'), 'json').find((b) => b.includes('"dangerous"'))!);
  const { classify } = require('../../review/diff');
  const before = { name: 'acme-haiku', description: 'd', model_source: [{ copy_from: 'a' }] };
  const change = classify('aws_bedrock_inference_profile.acme__haiku', before, { ...before, model_source: [{ copy_from: 'b' }] });
  expect(Object.keys(sample.stacks[0].changes[0]).sort()).toEqual(Object.keys(change).sort());
  expect(change.reason).toBe(sample.stacks[0].changes[0].reason);
});
