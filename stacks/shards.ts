/**
 * Sharded synthesis for large matrices, without loading cdktf before the workers
 * are started: main.ts calls synthesizeSharded() as soon as the matrix is valid,
 * and the forked workers load cdktf and the provider classes while this process
 * does the same.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AppConfig } from '../config/model';
import { IacRuleError } from '../iac-rules/error';
import { synthPlain } from '../synth/versions';
import { stackNames, staging } from './outdir';

/** Below this many stacks, starting a second process costs more than it saves. */
export const SHARD_MIN_STACKS = 40;

/** How many processes share a synth of `stacks` logging stacks on `cores` cores: one per core, each with at least SHARD_MIN_STACKS / 2 stacks. */
export function shardCount(stacks: number, cores: number): number {
  return Math.max(1, Math.min(cores, Math.floor(stacks / (SHARD_MIN_STACKS / 2))));
}

/** What a worker (synth-worker.ts) reports before it exits. */
export interface WorkerResult {
  ok: boolean;
  error?: string;
  iacRuleError?: string;
}

/**
 * The same output as synthesize() in app.ts, with the logging stacks split across
 * processes (one per core). Each forked worker reads its share of the config from
 * a file and synthesizes it into its own directory, while this process synthesizes
 * the first share straight into the staging directory; the workers' stacks and
 * manifest entries are then moved in (synth/manifest.ts). Falls back to synthesize()
 * for small matrices, with SYNTH_PLAIN=1 (stock cdktf writes the one manifest) and
 * when not running compiled (the worker is a .js file).
 */
export async function synthesizeSharded(config: AppConfig, outdir: string, shards = os.cpus().length): Promise<string[]> {
  const worker = path.join(__dirname, 'synth-worker.js');
  const n = shardCount(config.stacks.length, shards);
  if (n < 2 || synthPlain() || !fs.existsSync(worker)) return (await import('./app')).synthesize(config, outdir);

  const size = Math.ceil(config.stacks.length / n);
  const parts: AppConfig[] = Array.from({ length: n }, (_, i) => ({
    ...config,
    stacks: config.stacks.slice(i * size, (i + 1) * size),
    bootstraps: i === 0 ? config.bootstraps : [],
    management: i === n - 1 ? config.management : undefined,
    monitoring: i === 0 ? config.monitoring : [],
  }));
  const { target, dir } = staging(outdir);
  fs.mkdirSync(dir);
  const shardDir = (i: number) => path.join(dir, `shard-${i}`);
  const workers = parts.slice(1).map((part, k) => runWorker(worker, part, shardDir(k + 1)));
  const done = Promise.all(workers.map((w) => w.done));
  done.catch(() => undefined); // awaited below; a failure of this process's own shard must not leave it unhandled
  try {
    const { publish, synthApp } = await import('./app');
    const { mergeShards } = await import('../synth/manifest');
    synthApp(parts[0], dir);
    await done;
    mergeShards(
      dir,
      parts.slice(1).map((_, k) => shardDir(k + 1)),
    );
    publish(config, dir, target);
  } catch (e) {
    for (const w of workers) w.child.kill();
    await Promise.allSettled(workers.map((w) => w.done)); // so that no worker still writes into dir
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return stackNames(config);
}

/** Forks a worker on its share of the config, handed over in a file so that this process need not wait to send it. */
function runWorker(worker: string, config: AppConfig, outdir: string) {
  const configFile = path.join(outdir, 'config.json');
  fs.mkdirSync(outdir);
  fs.writeFileSync(configFile, JSON.stringify(config));
  const child = fork(worker, [configFile, outdir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const done = new Promise<void>((resolve, reject) => {
    let result: WorkerResult | undefined;
    child.on('message', (m: WorkerResult) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      result?.ok && code === 0
        ? resolve()
        : reject(
            result?.iacRuleError
              ? new IacRuleError(result.iacRuleError)
              : new Error(`synth worker failed (exit ${code}): ${result?.error ?? 'no result'}`),
          ),
    );
  });
  return { child, done };
}
