/**
 * A terraform session ended by a signal (a CI job cancelled or timed out sends SIGTERM to the review
 * alone) leaves nothing behind: the provider server it started (which runs until stopped) is killed,
 * its scratch directory removed, and the process ends as the signal would.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findMirror, requireTerraform } from '../../lib/terraform';
import { childProcesses } from '../terraform-state';

jest.setTimeout(120_000);

const terraform = requireTerraform();
const maybe = terraform && findMirror() ? test : test.skip;
const ROOT = path.join(__dirname, '..', '..');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/State:\s+(\w)/)?.[1] !== 'Z';
  } catch {
    return false;
  }
};

maybe.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s: the provider server is stopped and the scratch removed', async (signal) => {
  // A session that has started its provider server and waits (as a review does between commands).
  const script = `
    const { TerraformSession } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'terraform.js'))});
    const s = new TerraformSession(${JSON.stringify(terraform)});
    const tf = { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } };
    s.withProvider(tf, () => { console.log(s.scratch); return new Promise(() => {}); });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const scratch = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const server = childProcesses(child.pid!).find((c) => c.cmd.includes('terraform-provider-aws'));
  expect(server).toBeDefined();
  expect(fs.existsSync(scratch)).toBe(true);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill(signal);
  expect(await exited).toBe(128 + os.constants.signals[signal]);
  for (let i = 0; i < 50 && alive(server!.pid); i++) await new Promise((r) => setTimeout(r, 20));
  expect(alive(server!.pid)).toBe(false);
  expect(fs.existsSync(scratch)).toBe(false);
});
