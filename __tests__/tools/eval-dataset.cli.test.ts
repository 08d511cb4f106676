/** The eval-dataset CLI on a generated log tree: the files it writes, what it prints, and its errors. Needs dist/ (the cli tier builds it). */
import * as fs from 'fs';
import * as path from 'path';
import { LOG_ACCOUNT, LOG_REGION, generateLogTree, profileOutputs } from '../../tools/usage/generate-logs';
import { runDist, scratchPerTest } from '../run-dist';

jest.setTimeout(60_000);
const work = scratchPerTest('bedrock-eval-cli-');

test('datasets per model of the tenant, job requests, and the aws commands; the same seed gives the same files', () => {
  const logs = path.join(work(), 'logs');
  generateLogTree(logs, { records: 1500, perFile: 300, days: 2, seed: 5 });
  fs.writeFileSync(path.join(work(), 'outputs.json'), JSON.stringify(profileOutputs()));
  const args = [
    '--logs',
    logs,
    '--tenant',
    'acme',
    '--profiles',
    path.join(work(), 'outputs.json'),
    '--sample',
    '50',
    '--seed',
    '3',
    '--judge',
    'amazon.nova-pro-v1:0',
    '--quiet',
  ];
  const r = runDist('tools/usage/eval-dataset.js', [...args, '--out', 'a'], {}, work());
  expect([r.code, r.err]).toEqual([0, '']);
  expect(r.out).toMatch(/^1500 invocation records in \d+ files; \d+ of tenant acme, skipped: \d+ error\n/);
  const files = fs.readdirSync(path.join(work(), 'a')).sort();
  expect(files).toContain('acme-haiku.jsonl');
  expect(files).toContain('acme-haiku.job.json');
  const lines = fs
    .readFileSync(path.join(work(), 'a', 'acme-haiku.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(50);
  expect(
    lines.every(
      (l) =>
        typeof l.prompt === 'string' &&
        l.modelResponses[0].modelIdentifier === 'acme-haiku' &&
        typeof l.modelResponses[0].response === 'string',
    ),
  ).toBe(true);
  const job = JSON.parse(fs.readFileSync(path.join(work(), 'a', 'acme-haiku.job.json'), 'utf8'));
  expect(job.roleArn).toBe(`arn:aws:iam::${LOG_ACCOUNT}:role/bedrock-evaluation-${LOG_REGION}`);
  expect(r.out).toContain(
    `aws s3 cp ${path.join('a', 'acme-haiku.jsonl')} s3://bedrock-evaluation-${LOG_ACCOUNT}-${LOG_REGION}/datasets/acme-haiku.jsonl`,
  );
  expect(r.out).toContain(
    `aws bedrock create-evaluation-job --region ${LOG_REGION} --cli-input-json file://${path.join('a', 'acme-haiku.job.json')}`,
  );
  // Deterministic: a second run into another folder writes the same bytes.
  expect(runDist('tools/usage/eval-dataset.js', [...args, '--out', 'b'], {}, work()).code).toBe(0);
  for (const f of files)
    expect(fs.readFileSync(path.join(work(), 'b', f), 'utf8')).toBe(fs.readFileSync(path.join(work(), 'a', f), 'utf8'));
});

test('errors: usage errors exit 2, no logs or no usable record exit 1, with no stack trace', () => {
  expect(runDist('tools/usage/eval-dataset.js', ['--logs', 'x'], {}, work())).toMatchObject({
    code: 2,
    err: expect.stringContaining('--tenant is required'),
  });
  expect(runDist('tools/usage/eval-dataset.js', ['--logs', 'x', '--tenant', 'a', '--sample', '1001'], {}, work())).toMatchObject({
    code: 2,
    err: expect.stringContaining('from 1 to 1000'),
  });
  const none = runDist('tools/usage/eval-dataset.js', ['--logs', 'none', '--tenant', 'a'], {}, work());
  expect(none).toMatchObject({ code: 1, err: expect.stringContaining('Error: --logs none: expected a directory') });
  expect(none.err).not.toMatch(/\n\s+at /);
  generateLogTree(path.join(work(), 'logs'), { records: 20, perFile: 20, days: 1 });
  const r = runDist('tools/usage/eval-dataset.js', ['--logs', 'logs', '--tenant', 'nobody', '--quiet'], {}, work());
  expect(r).toMatchObject({ code: 1, err: 'Error: no record of tenant nobody with a prompt and a response text under logs\n' });
});
