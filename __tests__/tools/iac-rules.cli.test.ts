/**
 * npm run iac-rules as users run it (dist/tools/checks/iac-rules.js): its help and exit codes 0, 1 and 2;
 * and the old CLI name `bedrock-governance guardrails`, which still runs it with one warning line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { resolveMatrix } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const run = (args: string[], env: Record<string, string> = {}, file = path.join('tools', 'checks', 'iac-rules.js')) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', file), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-iac-rules-cli-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
synthesize(resolveMatrix(EXAMPLE_MATRIX), outdir);

test('--help prints the usage with the exit codes; an unknown option exits 2', () => {
  const help = run(['--help']);
  expect(help.code).toBe(0);
  expect(help.out).toContain('Usage: npm run iac-rules');
  expect(help.out).toContain('Exit codes:\n  0  every stack passes');
  const bad = run(['--outdri', outdir]);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('unknown option --outdri');
});

test('the example output passes (exit 0) and its one suppression is listed; CDKTF_OUTDIR is the default', () => {
  const r = run([], { CDKTF_OUTDIR: outdir });
  expect([r.code, r.err]).toEqual([0, '']);
  expect(r.out).toContain('0 violations, 1 suppression.');
  expect(r.out).toContain(
    '| bedrock-logging-222222222222-us-east-1 | `aws_cloudwatch_log_group.invocation_logs` | CKV_AWS_338 | CKV_AWS_338 | the matrix sets logRetentionDays = 30',
  );
});

test('bedrock-governance guardrails (the old name) runs iac-rules, with one deprecation warning on stderr naming the new command', () => {
  const now = run(['iac-rules', '--outdir', outdir, '--json'], {}, 'cli.js');
  const old = run(['guardrails', '--outdir', outdir, '--json'], {}, 'cli.js');
  expect([now.code, now.err]).toEqual([0, '']);
  expect(old).toEqual({
    code: 0,
    out: now.out,
    err: 'warning: "bedrock-governance guardrails" is deprecated: run "bedrock-governance iac-rules" instead\n',
  });
  expect(JSON.parse(old.out).suppressions).toHaveLength(1);
  const help = run(['guardrails', '--help'], {}, 'cli.js');
  expect([help.code, help.err.split('\n').filter(Boolean)]).toEqual([0, [expect.stringContaining('deprecated')]]);
  expect(help.out).toContain('Usage: bedrock-governance iac-rules');
});

test('an output whose suppression was removed by hand fails (exit 1) with the violation; no output fails too', () => {
  const file = path.join(outdir, 'stacks', 'bedrock-logging-222222222222-us-east-1', 'cdk.tf.json');
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete tf.resource.aws_cloudwatch_log_group.invocation_logs['//'].guardrails;
  fs.writeFileSync(file, JSON.stringify(tf));
  const r = run(['--json', '--outdir', outdir]);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.out).violations).toEqual([
    {
      stack: 'bedrock-logging-222222222222-us-east-1',
      resource: 'aws_cloudwatch_log_group.invocation_logs',
      rule: 'CKV_AWS_338',
      problem: 'retention_in_days is 30, less than 365',
    },
  ]);
  const none = run(['--outdir', path.join(outdir, 'nothing')]);
  expect([none.code, none.err]).toEqual([1, `Error: ${path.join(outdir, 'nothing')} has no manifest.json: run npm run synth first\n`]);
});
