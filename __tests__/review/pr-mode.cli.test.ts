/**
 * `review --base-dir/--head-dir` as the pull-request workflow runs it: with the base
 * ref (--base-ref, or origin/$GITHUB_BASE_REF) and the matrix file, the decommission
 * command of a stack that leaves the matrix is complete; without them it names what to fill in.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { resolveMatrix } from '../helpers';
import type { StackReview } from '../../review/review';

const ROOT = path.join(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-pr-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const LEAVING = 'bedrock-logging-111111111111-eu-west-1';

const repo = path.join(scratch, 'repo');
const base = path.join(scratch, 'base');
const head = path.join(scratch, 'head');
let commit = '';
beforeAll(() => {
  synthesize(resolveMatrix(EXAMPLE_MATRIX), base);
  fs.cpSync(base, head, { recursive: true });
  fs.rmSync(path.join(head, 'stacks', LEAVING), { recursive: true });
  // A landing-zone repository whose main holds the matrix before the change.
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  fs.copyFileSync(path.join(ROOT, 'templates', 'landing-zone', 'landing-zone.yaml'), path.join(repo, 'landing-zone.yaml'));
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  commit = git('rev-parse', 'HEAD').slice(0, 12);
});

const review = (args: string[], env: Record<string, string> = {}) => {
  const out = path.join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'review', 'cli.js'), '--base-dir', base, '--head-dir', head, '--out', out, ...args],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, MATRIX_FILE: '', GITHUB_BASE_REF: '', ...env } },
  );
  expect([r.status, r.stderr]).toEqual([0, '']);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
  return {
    command: json.stacks.find((s: StackReview) => s.name === LEAVING).decommission.command as string,
    md: fs.readFileSync(path.join(out, 'review.md'), 'utf8'),
  };
};

test('with --base-ref and the matrix file: the real command, reading the matrix at the base commit', () => {
  const { command, md } = review(['--base-ref', 'main', '--matrix', 'landing-zone.yaml']);
  expect(command).toBe(
    `git show ${commit}:./landing-zone.yaml > previous-matrix.yaml && MATRIX_FILE=landing-zone.yaml npm run decommission -- ${LEAVING} --previous-matrix previous-matrix.yaml --dry-run`,
  );
  expect(md).toContain('list it in `decommission.txt` in a pull request');
});

test('in the pull-request workflow: GITHUB_BASE_REF and MATRIX_FILE give the same command', () => {
  execFileSync('git', ['update-ref', 'refs/remotes/origin/main', 'HEAD'], { cwd: repo });
  const { command } = review([], { GITHUB_BASE_REF: 'main', MATRIX_FILE: 'landing-zone.yaml' });
  expect(command).toContain(`git show ${commit}:./landing-zone.yaml > previous-matrix.yaml`);
});

test('without them: placeholders', () => {
  expect(review([]).command).toContain('MATRIX_FILE=<matrix file>');
});
