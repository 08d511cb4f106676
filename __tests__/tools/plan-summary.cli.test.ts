/**
 * plan-summary (the pull request's plans against what is deployed): a stack Terraform cannot plan is written as
 * not planned, with a warning, and the others are still planned and summarized; the run does not fail for it.
 * Offline plans (dummy credentials, the local provider mirror) of two hand-written stacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runDist, scratchPerTest } from '../run-dist';

const work = scratchPerTest('bedrock-plan-summary-test-');

function stack(outdir: string, name: string, tf: object) {
  fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(tf));
}

test('one stack fails to plan: it is reported as not planned, the other is summarized, exit 0', () => {
  const outdir = path.join(work(), 'cdktf.out');
  stack(outdir, 'good', { output: { one: { value: '1' } }, resource: { terraform_data: { x: { input: 'a' } } } });
  stack(outdir, 'broken', { output: { dangling: { value: '${aws_s3_bucket.nope.arn}' } } });
  const summaries = path.join(work(), 'summaries');
  const r = runDist('tools/rollout/plan-summary.js', ['good broken', '--out', summaries, '--offline'], { CDKTF_OUTDIR: outdir });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('::warning title=Not planned::broken: ');
  expect(r.out).toContain('Plan summaries of 1 stack in');
  expect(r.out).toContain('1 not planned (broken)');
  const read = (s: string) => JSON.parse(fs.readFileSync(path.join(summaries, `${s}.json`), 'utf8'));
  expect(read('good')).toMatchObject({ stack: 'good', adds: 1, changes: 0, destroys: 0 });
  expect(read('broken')).toEqual({ stack: 'broken', failed: expect.stringContaining('broken') });
});

test('a stack that is not synthesized still fails the run: that is a mistake in the job, not in a stack', () => {
  const outdir = path.join(work(), 'cdktf.out');
  fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
  const r = runDist('tools/rollout/plan-summary.js', ['missing', '--out', path.join(work(), 's'), '--offline'], { CDKTF_OUTDIR: outdir });
  expect(r.code).toBe(1);
  expect(r.err).toContain('missing is not synthesized');
});
