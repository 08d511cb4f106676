/** The output directory and its stacks, without loading cdktf (see shards.ts). */
import * as fs from 'fs';
import * as path from 'path';
import type { AppConfig } from '../config/model';

/** The file beside the stacks that tells application teams where their profiles are (routingTable() in app.ts). */
export const ROUTING_TABLE = 'routing-table.json';

/** Creates an empty staging directory beside `outdir`, for an atomic swap later. */
export function staging(outdir: string): { target: string; dir: string } {
  const target = path.resolve(outdir);
  const dir = `${target}.staging-${process.pid}`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(dir, { recursive: true, force: true });
  return { target, dir };
}

/**
 * Terraform's working files in a stack folder (`terraform init` writes them): the
 * installed providers and the dependency lock. A synth keeps them for every stack
 * it synthesizes again, so `cdktf diff`/`deploy` need not reinstall the 700 MB
 * provider nor re-lock providers, which would need the network.
 */
export const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

/**
 * Whether the app runs under the cdktf CLI (synth, diff, deploy): the CLI sets
 * this variable for the app (@cdktf/cli-core src/lib/synth-stack.js), lists the
 * stack folders before the app runs and removes the ones the app no longer
 * synthesizes afterwards, with an rmSync that fails on a folder already gone.
 */
export function underCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === 'true';
}

/**
 * Swaps the finished staging directory `dir` in for `target`, stack folder by
 * stack folder first, then in one rename:
 * - a stack synthesized again gets its old folder's Terraform working files
 *   (TERRAFORM_WORKING_FILES) moved into its new folder;
 * - a stack no longer synthesized keeps its whole old folder when `leaveRemoved`
 *   is set (under the cdktf CLI, which removes it itself) and loses it otherwise;
 * - then `dir` replaces `target` with renames only, so a reader sees either the
 *   whole old output or the whole new one, never a half-written mix.
 */
export function swapIn(dir: string, target: string, leaveRemoved = underCdktfCli()): void {
  const oldStacks = path.join(target, 'stacks');
  const newStacks = path.join(dir, 'stacks');
  if (fs.existsSync(oldStacks)) {
    fs.mkdirSync(newStacks, { recursive: true });
    for (const entry of fs.readdirSync(oldStacks, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const from = path.join(oldStacks, entry.name);
      const to = path.join(newStacks, entry.name);
      if (fs.existsSync(to)) {
        for (const f of TERRAFORM_WORKING_FILES) if (fs.existsSync(path.join(from, f))) fs.renameSync(path.join(from, f), path.join(to, f));
      } else if (leaveRemoved) fs.renameSync(from, to);
    }
  }
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(dir, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Every stack name of the config, in construct order. */
export function stackNames(config: AppConfig): string[] {
  return [
    ...config.bootstraps.map((b) => b.stackName),
    ...config.monitoring.map((m) => m.stackName),
    ...config.stacks.map((s) => s.stackName),
    ...(config.management ? [config.management.stackName] : []),
  ];
}
