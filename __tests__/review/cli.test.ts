/** `npm run review` as users run it: exit codes, files, --accept, --plan, and --base on a temporary git repository. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { requireTerraform } from '../../tools/terraform';
import { resolveMatrix } from '../helpers';

jest.setTimeout(240_000);
const ROOT = path.join(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const review = (args: string[], cli = path.join(ROOT, 'dist', 'review', 'cli.js'), cwd = ROOT) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const base = path.join(scratch, 'base');
const head = path.join(scratch, 'head');
beforeAll(() => {
  synthesize(resolveMatrix(EXAMPLE_MATRIX), base);
  const m = JSON.parse(JSON.stringify(EXAMPLE_MATRIX));
  m.models[0].source = 'anthropic.claude-3-5-haiku-20241022-v1:0'; // replaces the haiku profiles
  synthesize(resolveMatrix(m), head);
});

test('a dangerous change: exit 2, review.md and review.json in the documented shape', () => {
  const out = path.join(scratch, 'out1');
  const r = review(['--base-dir', base, '--head-dir', head, '--out', out]);
  expect(r.code).toBe(2);
  expect(r.out).toContain('dangerous changes** need attention');
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  expect(json.dangerous).toBe(5);
  expect(json.stacks[0]).toEqual({
    name: 'bedrock-logging-111111111111-eu-west-1',
    status: 'changed',
    changes: expect.arrayContaining([
      expect.objectContaining({ address: 'aws_bedrock_inference_profile.acme__haiku', action: 'replace', dangerous: true, reason: expect.stringContaining('ARN changes') }),
    ]),
  });
  expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toMatch(/^## Bedrock governance plan review/);
});

test('--accept acknowledges them: exit 0', () => {
  const r = review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'out2'), '--accept', '*:aws_bedrock_inference_profile.*__haiku']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('5 dangerous changes were acknowledged');
});

test('no change: exit 0', () => {
  expect(review(['--base-dir', base, '--head-dir', base, '--out', path.join(scratch, 'out3')]).code).toBe(0);
});

test('errors: exit 1 with a message, no stack trace', () => {
  const missing = review(['--base-dir', path.join(scratch, 'nope'), '--head-dir', head, '--out', path.join(scratch, 'out4')]);
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('is not a cdktf synth output');
  expect(missing.err).not.toMatch(/\n\s+at /);
  const usage = review(['--base-dir', base]);
  expect(usage.code).toBe(1);
  expect(usage.err).toContain('--out is required');
});

const terraform = requireTerraform();
(terraform ? test : test.skip)('--plan adds the offline plan summary of changed stacks', () => {
  const one = path.join(scratch, 'one');
  const m = { accounts: [{ id: '111111111111', regions: ['us-east-1'] }] };
  synthesize(resolveMatrix(m), path.join(one, 'a'));
  synthesize(resolveMatrix({ ...m, logging: { logRetentionDays: 30 } }), path.join(one, 'b'));
  const out = path.join(one, 'out');
  const r = review(['--base-dir', path.join(one, 'a'), '--head-dir', path.join(one, 'b'), '--out', out, '--plan']);
  expect(r.code).toBe(0);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  // 13 logging resources and 27 of usage analytics (counted in __tests__/terraform/backends.test.ts).
  expect(json.stacks[0].plan).toBe('40 to add, 0 to change, 0 to destroy (from empty state)');
  expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toContain('Offline plan: 40 to add');
});

test('--base <git ref> synthesizes the ref in a worktree and compares it with the working tree', () => {
  // GIVEN a repository holding this project, and a working-tree change to a default
  const repo = path.join(scratch, 'repo');
  for (const entry of ['main.ts', 'config', 'stacks', 'policies', 'guardrails', 'tools', 'review', 'package.json', 'package-lock.json', 'tsconfig.json', 'cdktf.json'])
    fs.cpSync(path.join(ROOT, entry), path.join(repo, entry), { recursive: true });
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\ndist\n');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const resolve = path.join(repo, 'config', 'resolve.ts');
  fs.writeFileSync(resolve, fs.readFileSync(resolve, 'utf8').replace('logRetentionDays: 365,', 'logRetentionDays: 400,'));
  const matrix = path.join(scratch, 'm.json');
  fs.writeFileSync(matrix, JSON.stringify({ accounts: [{ id: '111111111111', regions: ['us-east-1', 'eu-west-1'] }] }));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', repo]);

  // WHEN the review runs against HEAD with the same matrix on both sides
  const out = path.join(scratch, 'out-git');
  const r = review(['--base', 'HEAD', '--matrix', matrix, '--out', out], path.join(repo, 'dist', 'review', 'cli.js'), repo);

  // THEN both stacks show the retention update, nothing dangerous, and the worktree is gone
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  expect(json.stacks.map((s: any) => [s.name, s.status])).toEqual([
    ['bedrock-logging-111111111111-eu-west-1', 'changed'],
    ['bedrock-logging-111111111111-us-east-1', 'changed'],
  ]);
  expect(json.stacks[0].changes).toEqual([
    { address: 'aws_cloudwatch_log_group.invocation_logs', action: 'update', dangerous: false, reason: 'in-place update', attributes: ['retention_in_days'] },
  ]);
  expect(execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
});

test('--accept-file reads patterns and ignores comments', () => {
  const file = path.join(scratch, 'accept.txt');
  fs.writeFileSync(file, '# reviewed\n*:aws_bedrock_inference_profile.*__haiku   # model upgrade\n\n');
  const r = review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'out5'), '--accept-file', file]);
  expect(r.code).toBe(0);
  expect(review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'out6'), '--accept-file', path.join(ROOT, '.github', 'review-accept.txt')]).code).toBe(2);
});
