/**
 * npm run verify as a user runs it (dist/), with real Terraform, offline: the
 * progress of each batch on stderr, the result on stdout; --quiet leaves stderr
 * empty. The verification itself is tested through verifyTree (stacks/backends,
 * stacks/random-matrices).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTerraform } from '../../lib/terraform';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? test : test.skip;
const ROOT = path.join(__dirname, '..', '..');
/** The embedded example, whatever the environment of the test run says. */
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MATRIX_FILE' && !k.startsWith('SYNTH_')));
const node = (file: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, 'dist', file), ...args], { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8' });

maybe('verify: progress per batch on stderr, the summary on stdout; --quiet prints no progress', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-verify-cli-'));
  try {
    const out = path.join(work, 'out');
    expect(node('main.js', [], { CDKTF_OUTDIR: out }).status).toBe(0);
    const stacks = fs.readdirSync(path.join(out, 'stacks')).length;
    const r = node('tools/rollout/verify.js', ['--outdir', out, '--no-plan', '--batch', String(Math.ceil(stacks / 2))]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^\[\d+\.\d s\] validated batch [12]\/2: \d+ stacks\n\[\d+\.\d s\] validated batch [12]\/2: \d+ stacks\n$/);
    expect(r.stdout).toMatch(new RegExp(`^Verified ${stacks} stacks in \\d+\\.\\d s: validate \\d+\\.\\d s \\(2 batches\\), no plan`));
    const quiet = node('tools/rollout/verify.js', ['--outdir', out, '--no-plan', '--quiet']);
    expect([quiet.status, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).toMatch(new RegExp(`^Verified ${stacks} stacks`));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
