/** The shell and CLI pieces the workflows run, run as the workflows run them. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Each test spawns node processes: seconds each on a loaded machine.
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
let work: string;
beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-wfscripts-'))));
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const checkMatrix = (env: Record<string, string>) => {
  const r = spawnSync('bash', [path.join(ROOT, '.github', 'scripts', 'check-matrix-file.sh')], {
    cwd: work,
    env: { PATH: process.env.PATH!, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
};

test('a run without the matrix file fails with a message that says how to provide it', () => {
  const missing = checkMatrix({ MATRIX_FILE: 'landing-zone.yaml' });
  expect(missing.code).toBe(1);
  expect(missing.out).toContain('::error title=No matrix file::MATRIX_FILE=landing-zone.yaml does not exist');
  expect(missing.out).toContain('repository variable MATRIX_FILE');
  expect(missing.out).toContain('never uses the embedded example');
  expect(checkMatrix({}).code).toBe(1);
  fs.writeFileSync(path.join(work, 'landing-zone.yaml'), 'accounts: []\n');
  expect(checkMatrix({ MATRIX_FILE: 'landing-zone.yaml' })).toEqual({ code: 0, out: 'Matrix: landing-zone.yaml\n' });
});

test('changed-stacks --shards: the diff job matrix, one JSON line, [] when nothing changed', () => {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', ...args[0].split('/')), ...args.slice(1)], {
      cwd: work,
      env: { PATH: process.env.PATH!, ...env },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const matrix = path.join(work, 'm.json');
  const accounts = Array.from({ length: 5 }, (_, i) => ({ id: `${i + 1}`.repeat(12), environment: 'dev', regions: ['us-east-1'] }));
  fs.writeFileSync(matrix, JSON.stringify({ accounts }));
  expect(run(['main.js'], { MATRIX_FILE: matrix, CDKTF_OUTDIR: path.join(work, 'head') }).code).toBe(0);
  const empty = path.join(work, 'base');
  fs.mkdirSync(path.join(empty, 'stacks'), { recursive: true });

  const r = run(['tools/rollout/changed-stacks.js', '--base-dir', empty, '--head-dir', path.join(work, 'head'), '--shards', '2']);
  expect(r.code).toBe(0);
  expect(r.out.trim().split('\n')).toHaveLength(1);
  const shards = JSON.parse(r.out);
  expect(shards.map((s: { shard: number }) => s.shard)).toEqual([1, 2]);
  expect(shards.flatMap((s: { stacks: string }) => s.stacks.split(' ')).sort()).toEqual(
    accounts.map((a) => `bedrock-logging-${a.id}-us-east-1`).sort(),
  );
  expect(shards[0].stacks.split(' ')).toHaveLength(3);

  const none = run([
    'tools/rollout/changed-stacks.js',
    '--base-dir',
    path.join(work, 'head'),
    '--head-dir',
    path.join(work, 'head'),
    '--shards',
    '8',
  ]);
  expect(none.out.trim()).toBe('[]');
  expect(run(['tools/rollout/changed-stacks.js', '--base-dir', empty, '--head-dir', empty, '--shards', '0']).code).toBe(2);

  // An S3 backend: one shard per account, each with the account's GitHub OIDC role, whatever --shards says.
  const s3 = path.join(work, 's3.json');
  const backend = { type: 's3', bucket: 'tf-state-bucket', region: 'us-east-1', githubRoleName: 'gh' };
  fs.writeFileSync(s3, JSON.stringify({ accounts, deployment: { backend } }));
  const perAccount = run(['tools/rollout/changed-stacks.js', '--base-dir', empty, '--head-dir', path.join(work, 'head'), '--shards', '2'], {
    MATRIX_FILE: s3,
  });
  expect(perAccount.code).toBe(0);
  expect(JSON.parse(perAccount.out)).toEqual(
    accounts.map((a, i) => ({ shard: i + 1, stacks: `bedrock-logging-${a.id}-us-east-1`, role: `arn:aws:iam::${a.id}:role/gh` })),
  );
});
