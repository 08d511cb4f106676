/**
 * The app as users run it: `node dist/main.js` (what `npm run synth` and cdktf.json
 * run), built by `npm test` before jest starts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');

function runApp(env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
beforeAll(() => {
  if (!fs.existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it first)');
});
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-main-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

test('with no MATRIX_FILE it synthesizes the embedded example into cdktf.out, as cdktf synth would', () => {
  const r = runApp({}, work);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'manifest.json'), 'utf8'));
  const names = Object.keys(manifest.stacks).sort();
  expect(names).toEqual([
    'bedrock-logging-111111111111-eu-west-1',
    'bedrock-logging-111111111111-us-east-1',
    'bedrock-logging-222222222222-us-east-1',
    'bedrock-management-999999999999',
  ]);
  for (const n of names) expect(fs.existsSync(path.join(work, 'cdktf.out', manifest.stacks[n].synthesizedStackPath))).toBe(true);
  expect(r.stdout).toContain('Synthesized 4 stacks');
  expect(JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'routing-table.json'), 'utf8')).profiles).toHaveLength(11);
});

test('CDKTF_OUTDIR (set by the cdktf CLI) chooses the output directory', () => {
  const r = runApp({ CDKTF_OUTDIR: path.join(work, 'elsewhere') }, work);
  expect(r.code).toBe(0);
  expect(fs.existsSync(path.join(work, 'elsewhere', 'manifest.json'))).toBe(true);
  expect(fs.existsSync(path.join(work, 'cdktf.out'))).toBe(false);
});

test('a bad matrix: clear error, exit 1, no stack trace, and the previous cdktf.out untouched', () => {
  expect(runApp({}, work).code).toBe(0);
  const before = snapshotDir(path.join(work, 'cdktf.out'));
  const bad = path.join(work, 'bad.yaml');
  fs.writeFileSync(bad, 'accounts:\n  - id: "111111111111"\n    regions: [us-east-1, eu-wst-1]\n    logging: { logRetentionDays: 100 }\n');

  const r = runApp({ MATRIX_FILE: bad }, work);

  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`Invalid environment matrix (${bad}): 2 problems`);
  expect(r.stderr).toContain('accounts[0].regions[1]: "eu-wst-1" -> expected an AWS region code');
  expect(r.stderr).toContain('accounts[0].logging.logRetentionDays: 100 -> expected one of the retention periods CloudWatch allows');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(snapshotDir(path.join(work, 'cdktf.out'))).toEqual(before);
  expect(fs.readdirSync(work).sort()).toEqual(['bad.yaml', 'cdktf.out']);
});

test.each([
  ['a missing file', null, 'MATRIX_FILE: ', 'existing JSON or YAML file'],
  ['an empty file', '', '(file)', 'the file is empty'],
  ['broken JSON', '{"accounts": [', '(file)', 'valid JSON'],
  ['broken YAML', 'accounts:\n  - id: 1\n   regions: [', '(file)', 'valid YAML'],
])('%s gives a clear error', (what, content, path_, allowed) => {
  const file = path.join(work, what.includes('JSON') ? 'm.json' : 'm.yaml');
  if (content !== null) fs.writeFileSync(file, content);
  const r = runApp({ MATRIX_FILE: file }, work);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(path_);
  expect(r.stderr).toContain(allowed);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(path.join(work, 'cdktf.out'))).toBe(false);
});

test('a JSON matrix file is used instead of the example', () => {
  const file = path.join(work, 'm.json');
  fs.writeFileSync(file, JSON.stringify({ accounts: [{ id: '333333333333', regions: ['ap-southeast-2'] }] }));
  const r = runApp({ MATRIX_FILE: file }, work);
  expect(r.code).toBe(0);
  expect(Object.keys(JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'manifest.json'), 'utf8')).stacks)).toEqual([
    'bedrock-logging-333333333333-ap-southeast-2',
  ]);
});

test('a matrix with the former key `guardrails` synthesizes what `organizationPolicies` does, with one warning line naming the new key', () => {
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'terraform-cloud.yaml'), 'utf8');
  expect(text).toMatch(/^organizationPolicies:$/m);
  const files = { now: path.join(work, 'now.yaml'), old: path.join(work, 'old.yaml') };
  fs.writeFileSync(files.now, text);
  fs.writeFileSync(files.old, text.replace(/^organizationPolicies:$/m, 'guardrails:'));
  const now = runApp({ MATRIX_FILE: files.now, CDKTF_OUTDIR: path.join(work, 'now') }, work);
  const old = runApp({ MATRIX_FILE: files.old, CDKTF_OUTDIR: path.join(work, 'old') }, work);
  expect([now.code, now.stderr, old.code]).toEqual([0, '', 0]);
  expect(old.stderr).toBe(
    `warning: ${files.old}: the matrix key \`guardrails\` is deprecated: rename it to \`organizationPolicies\` (same content)\n`,
  );
  const [a, b] = [snapshotDir(path.join(work, 'now')), snapshotDir(path.join(work, 'old'))];
  expect(Object.keys(a).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(2);
  expect(b).toEqual(a);
  expect(Object.values(a).join('\n')).toContain('"SERVICE_CONTROL_POLICY"');
});
