/** `npm run review` as users run it: exit codes, files, --accept, --plan, and --base on a temporary git repository. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';
import type { StackReview } from '../../review/review';

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

test('a dangerous change: exit 3, review.md and review.json in the documented shape', () => {
  const out = path.join(scratch, 'out1');
  const r = review(['--base-dir', base, '--head-dir', head, '--out', out]);
  expect(r.code).toBe(3);
  expect(r.out).toMatch(/\*\*5 dangerous changes\*\* \(\d intents\) need attention/);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  expect(json.dangerous).toBe(5);
  expect(json.stacks[0]).toEqual({
    name: 'bedrock-logging-111111111111-eu-west-1',
    status: 'changed',
    environment: 'prod',
    changes: expect.arrayContaining([
      expect.objectContaining({
        address: 'aws_bedrock_inference_profile.acme__haiku',
        action: 'replace',
        dangerous: true,
        reason: expect.stringContaining('ARN changes'),
      }),
    ]),
  });
  expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toMatch(/^## Bedrock governance plan review/);
});

test('--accept acknowledges them: exit 0', () => {
  const r = review([
    '--base-dir',
    base,
    '--head-dir',
    head,
    '--out',
    path.join(scratch, 'out2'),
    '--accept',
    '*:aws_bedrock_inference_profile.*__haiku',
  ]);
  expect(r.code).toBe(0);
  expect(r.out).toContain('**5 dangerous changes acknowledged with --accept**, none unacknowledged.');
});

test('no change: exit 0', () => {
  expect(review(['--base-dir', base, '--head-dir', base, '--out', path.join(scratch, 'out3')]).code).toBe(0);
});

test('without --out the review goes to review-out/ in the working directory, and names the tool version of both sides', () => {
  const cwd = fs.mkdtempSync(path.join(scratch, 'cwd-'));
  const r = review(['--base-dir', base, '--head-dir', base], undefined, cwd);
  expect(r.code).toBe(0);
  const md = fs.readFileSync(path.join(cwd, 'review-out', 'review.md'), 'utf8');
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(md).not.toContain('Tool version'); // said only when the sides differ (an upgrade)
  const json = JSON.parse(fs.readFileSync(path.join(cwd, 'review-out', 'review.json'), 'utf8'));
  expect(json.tools).toEqual({ base: `bedrock-governance ${version}`, head: `bedrock-governance ${version}` });
});

test('errors: exit 1 with a message, no stack trace; usage errors: exit 2', () => {
  const missing = review(['--base-dir', path.join(scratch, 'nope'), '--head-dir', head, '--out', path.join(scratch, 'out4')]);
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('is not a cdktf synth output');
  expect(missing.err).not.toMatch(/\n\s+at /);
  const usage = review(['--base-dir', base]);
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('give --base-dir and --head-dir, or --base');
  expect(review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'o'), '--bogus']).code).toBe(2);
  expect(review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'o'), '--same-matrix']).err).toContain(
    '--same-matrix goes with --base',
  );
});

const terraform = requireTerraform();
(terraform ? test : test.skip)('--plan: the changed stack planned by the provider against a prior state built from the base', () => {
  const one = path.join(scratch, 'one');
  const m = { accounts: [{ id: '111111111111', regions: ['us-east-1'] }] };
  synthesize(resolveMatrix(m), path.join(one, 'a'));
  synthesize(resolveMatrix({ ...m, logging: { logRetentionDays: 30 } }), path.join(one, 'b'));
  const out = path.join(one, 'out');
  const r = review(['--base-dir', path.join(one, 'a'), '--head-dir', path.join(one, 'b'), '--out', out, '--plan']);
  expect(r.code).toBe(3); // 365 -> 30 days of retention
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  expect(json.mode).toBe("Replace decisions of the 1 changed stack come from the provider's plan (--plan).");
  expect(json.stacks[0].plan).toMatch(
    /^0 to add, 1 to change, 0 to replace, 0 to destroy, against a prior state built from the base \(converged in \d rounds?\)$/,
  );
  expect(json.stacks[0].changes).toEqual([
    expect.objectContaining({
      address: 'aws_cloudwatch_log_group.invocation_logs',
      action: 'update',
      dangerous: true,
      values: [{ path: 'retention_in_days', old: '365', new: '30' }],
    }),
  ]);
  expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toMatch(
    /### Provider plans\n\n- `bedrock-logging-[^`]+`: 0 to add, 1 to change/,
  );
});

(terraform ? test : test.skip)(
  '--plan: a stack whose head plan its own postcondition refuses keeps its static review, and the report says why',
  () => {
    // A guardrail changed under its published revision: the current version's postcondition refuses the plan.
    const dir = path.join(scratch, 'refused');
    const m = (violence: 'MEDIUM' | 'HIGH') => ({
      accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
      models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
      bedrockGuardrails: [{ name: 'standard', contentFilters: { violence }, blockedMessage: 'Not allowed.' }],
      tenants: [{ id: 'acme', models: ['haiku'], guardrail: 'standard' }],
    });
    synthesize(resolveMatrix(m('MEDIUM')), path.join(dir, 'a'));
    synthesize(resolveMatrix(m('HIGH')), path.join(dir, 'b'));
    const out = path.join(dir, 'out');
    const r = review(['--base-dir', path.join(dir, 'a'), '--head-dir', path.join(dir, 'b'), '--out', out, '--plan']);
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('refused by a postcondition')]);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
    expect(json.stacks[0].plan).toMatch(/^not planned: Terraform refused the head plan, a postcondition of the stack failed/);
    expect(json.stacks[0].plan).toMatch(/Set bedrockGuardrails\[0\]\.revision to 2/);
    expect(json.groups.map((g: { title: string }) => g.title)).toContain(
      'Bedrock guardrail version no longer accepted, or a guardrail changed without a new revision',
    );
  },
);

describe('--base <git ref>: each side synthesizes its own matrix', () => {
  // GIVEN a repository holding this project and a matrix file committed with 731 days of retention
  const repo = path.join(scratch, 'repo');
  const matrixOf = (days: number) =>
    JSON.stringify({ accounts: [{ id: '111111111111', regions: ['us-east-1', 'eu-west-1'] }], logging: { logRetentionDays: days } });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe', encoding: 'utf8' });
  let commit = '';
  beforeAll(() => {
    // The project's sources as they are, without build output, dependencies and tests.
    const skip = new Set(['node_modules', 'dist', '.git', '__tests__', 'cdktf.out', 'docs', 'examples']);
    for (const entry of fs.readdirSync(ROOT))
      if (!skip.has(entry) && !entry.endsWith('.tfstate')) fs.cpSync(path.join(ROOT, entry), path.join(repo, entry), { recursive: true });
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\ndist\n');
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(repo, 'zones'));
    fs.writeFileSync(path.join(repo, 'zones', 'lz.json'), matrixOf(731));
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    commit = git('rev-parse', '--short=12', 'HEAD').trim();
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', repo]);
  });
  const inRepo = (args: string[]) => review(args, path.join(repo, 'dist', 'review', 'cli.js'), repo);
  const json = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));

  test('a matrix edit (retention 731 -> 1 days) is reviewed: the base reads the file at the ref, exit 3', () => {
    // WHEN the working tree shortens retention in the matrix
    fs.writeFileSync(path.join(repo, 'zones', 'lz.json'), matrixOf(1));
    const out = path.join(scratch, 'git-edit');
    const r = inRepo(['--base', 'main', '--matrix', 'zones/lz.json', '--out', out]);
    // THEN both stacks show the cut as dangerous, and the report names each side's matrix and commit; stderr has the progress
    // only: the code is the same at main, so the base is synthesized by the working tree's build, without a worktree
    expect(r.err).toMatch(
      /^\[\d+\.\d s\] synthesizing the base, main \(\w+\), with the working tree's code \(the same at main\)\n\[\d+\.\d s\] synthesizing the head, the working tree\nreviewed 2 stacks \(\d+\.\d s\)\n$/,
    );
    expect(r.code).toBe(3);
    const j = json(out);
    expect(j.sides).toEqual({
      base: { matrix: '`zones/lz.json`', commit: `main (${commit})` },
      head: { matrix: '`zones/lz.json`', commit: `working tree (HEAD ${commit})` },
    });
    expect(j.groups).toEqual([
      {
        cause: 'retention-cut',
        title: expect.any(String),
        count: 2,
        accepted: 0,
        stacks: ['bedrock-logging-111111111111-eu-west-1', 'bedrock-logging-111111111111-us-east-1'],
      },
    ]);
    expect(j.stacks[0].changes).toEqual([
      expect.objectContaining({
        address: 'aws_cloudwatch_log_group.invocation_logs',
        action: 'update',
        dangerous: true,
        values: [{ path: 'retention_in_days', old: '731', new: '1' }],
      }),
    ]);
    expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toContain(`- Base: matrix \`zones/lz.json\` at main (${commit})`);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  test('--same-matrix: both sides read the working-tree file (code-only review), and the report says so', () => {
    // A code change in the working tree: the base is built from main in a temporary worktree.
    const file = path.join(repo, 'config', 'example-matrix.ts');
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${source}\n// a code change under review\n`);
    const out = path.join(scratch, 'git-same');
    const r = inRepo(['--base', 'main', '--matrix', 'zones/lz.json', '--same-matrix', '--out', out]);
    fs.writeFileSync(file, source);
    expect(r.err).toMatch(/synthesizing the base, main \(\w+\), in a temporary worktree\n/);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(0);
    const j = json(out);
    expect(j.stacks.map((s: StackReview) => s.status)).toEqual(['unchanged', 'unchanged']);
    expect(j.sides.base.note).toContain('--same-matrix');
  });

  test('a matrix file that does not exist at the ref: the base has no stacks, and the report says so', () => {
    fs.writeFileSync(path.join(repo, 'zones', 'new.json'), matrixOf(30));
    const out = path.join(scratch, 'git-new');
    const r = inRepo(['--base', 'main', '--matrix', 'zones/new.json', '--out', out]);
    expect(r.code).toBe(0);
    const j = json(out);
    expect(j.stacks.map((s: StackReview) => s.status)).toEqual(['added', 'added']);
    expect(j.sides.base.note).toBe('zones/new.json does not exist at main: the base has no stacks, so every stack is new');
    expect(fs.readFileSync(path.join(out, 'review.md'), 'utf8')).toContain('**zones/new.json does not exist at main');
  });
});

test('--accept-file reads patterns and ignores comments', () => {
  const file = path.join(scratch, 'accept.txt');
  fs.writeFileSync(file, '# reviewed\n*:aws_bedrock_inference_profile.*__haiku   # model upgrade\n\n');
  const r = review(['--base-dir', base, '--head-dir', head, '--out', path.join(scratch, 'out5'), '--accept-file', file]);
  expect(r.code).toBe(0);
  expect(
    review([
      '--base-dir',
      base,
      '--head-dir',
      head,
      '--out',
      path.join(scratch, 'out6'),
      '--accept-file',
      path.join(ROOT, '.github', 'review-accept.txt'),
    ]).code,
  ).toBe(3);
});
