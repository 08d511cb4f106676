import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import type { AppConfig } from '../config/resolve';
import { LoggingStack } from './logging-stack';

/** Adds every stack of the resolved matrix to the app. */
export function addStacks(app: App, config: AppConfig): void {
  for (const stack of config.stacks) new LoggingStack(app, stack);
}

/**
 * Synthesizes into a staging directory next to `outdir` and swaps it in only when
 * the whole synth succeeded, so a failed run leaves the previous output as it was.
 * Terraform state is not in `outdir` (cdktf's local backend keeps it in the
 * working directory), so the swap never touches state.
 */
export function synthesize(config: AppConfig, outdir: string): void {
  const target = path.resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging });
    addStacks(app, config);
    app.synth();
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  fs.rmSync(old, { recursive: true, force: true });
}
