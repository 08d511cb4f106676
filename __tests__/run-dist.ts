/** For `*.cli.test.ts`: run a program of the built app (dist/, built by the cli tier's globalSetup) in a scratch directory. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');

/** Runs dist/<script> with only PATH and `env` in its environment. */
export function runDist(script: string, args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', script), ...args], {
    cwd,
    env: { PATH: process.env.PATH!, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A fresh scratch directory for each test, removed after it; call at the top of a test file. */
export function scratchPerTest(prefix: string): () => string {
  let work = '';
  beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), prefix))));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
  return () => work;
}

/** The stack names in a synth output's manifest. */
export const manifestStacks = (dir: string) =>
  Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).stacks).sort();
