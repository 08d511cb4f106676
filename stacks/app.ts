import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Manifest } from 'cdktf';
import type { AppConfig } from '../config/resolve';
import { GuardrailError } from '../guardrails/error';
import { BootstrapStack } from './bootstrap-stack';
import { LoggingStack } from './logging-stack';
import { ManagementStack } from './management-stack';
import { routeKey } from './tenancy/inference-profiles';

/** Adds every stack of the resolved matrix to the app. */
export function addStacks(app: App, config: AppConfig): void {
  for (const b of config.bootstraps) new BootstrapStack(app, b);
  for (const stack of config.stacks) new LoggingStack(app, stack);
  if (config.management) new ManagementStack(app, config.management);
}

export const ROUTING_TABLE = 'routing-table.json';

/**
 * The routing table application teams read to find their profile: for each tenant
 * and model, where its profile lives and which Terraform output holds its ARN
 * (ARNs carry an ID that exists only after apply).
 */
export function routingTable(config: AppConfig) {
  return {
    description: 'Application inference profiles per tenant and model. The ARN is in the stack output inference_profile_arns[key]: cdktf output <stack>, or terraform output -json inference_profile_arns.',
    profiles: config.stacks.flatMap((s) =>
      s.profiles.map((p) => ({
        tenant: p.tenant,
        model: p.model,
        accountId: s.accountId,
        region: s.region,
        environment: s.environment,
        stack: s.stackName,
        profileName: p.name,
        modelSource: p.copyFrom,
        output: 'inference_profile_arns',
        key: routeKey(p.tenant, p.model),
      })),
    ),
  };
}

/**
 * Runs `fn` (building and synthesizing an app) without the stack traces cdktf
 * records for every token and attribute object it creates, tens of thousands at
 * landing-zone scale: capturing them was a quarter of synth time, and cdktf shows
 * them only in errors about a misused token, a programming error in this app
 * rather than in a matrix. cdktf captures them onto plain objects, which get none
 * while `fn` runs; Error objects keep their stack traces.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructor?: Function) => {
    if (target instanceof Error) capture(target, constructor);
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/** Builds the app of `config` and synthesizes it into `outdir`. */
export function synthApp(config: AppConfig, outdir: string): void {
  withoutTokenStackTraces(() => {
    const app = new App({ outdir });
    addStacks(app, config);
    app.synth();
  });
}

/** Creates an empty staging directory beside `outdir`, for an atomic swap later. */
function staging(outdir: string): { target: string; dir: string } {
  const target = path.resolve(outdir);
  const dir = `${target}.staging-${process.pid}`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(dir, { recursive: true, force: true });
  return { target, dir };
}

/** Adds the routing table and swaps the finished staging directory in for `target`. */
function publish(config: AppConfig, dir: string, target: string): void {
  fs.writeFileSync(path.join(dir, ROUTING_TABLE), JSON.stringify(routingTable(config), null, 2) + '\n');
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(dir, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Every stack name of the config, in construct order. */
export function stackNames(config: AppConfig): string[] {
  return [...config.bootstraps.map((b) => b.stackName), ...config.stacks.map((s) => s.stackName), ...(config.management ? [config.management.stackName] : [])];
}

/**
 * Synthesizes into a staging directory next to `outdir` and swaps it in only when
 * the whole synth succeeded, so a failed run leaves the previous output as it was.
 * Terraform state is not in `outdir` (cdktf's local backend keeps it in the
 * working directory), so the swap never touches state.
 */
export function synthesize(config: AppConfig, outdir: string): string[] {
  const { target, dir } = staging(outdir);
  try {
    synthApp(config, dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  publish(config, dir, target);
  return stackNames(config);
}

/** Below this many stacks, starting a second process costs more than it saves. */
export const SHARD_MIN_STACKS = 40;

/**
 * The same output as synthesize(), with the logging stacks split across processes
 * (one per core): this process synthesizes the first shard while forked workers
 * synthesize the others, each into its own directory; the stacks and manifests are
 * then merged in construct order. Falls back to synthesize() for small matrices and
 * when not running compiled (the worker is a .js file).
 */
export async function synthesizeSharded(config: AppConfig, outdir: string, shards = os.cpus().length): Promise<string[]> {
  const worker = path.join(__dirname, 'synth-worker.js');
  const n = Math.min(shards, Math.floor(config.stacks.length / (SHARD_MIN_STACKS / 2)));
  if (n < 2 || !fs.existsSync(worker)) return synthesize(config, outdir);

  const size = Math.ceil(config.stacks.length / n);
  const parts: AppConfig[] = Array.from({ length: n }, (_, i) => ({
    ...config,
    stacks: config.stacks.slice(i * size, (i + 1) * size),
    bootstraps: i === 0 ? config.bootstraps : [],
    management: i === n - 1 ? config.management : undefined,
  }));
  const { target, dir } = staging(outdir);
  const shardDir = (i: number) => path.join(dir, `shard-${i}`);
  fs.mkdirSync(dir);
  const workers = parts.slice(1).map((part, k) => runWorker(worker, part, shardDir(k + 1)));
  const done = Promise.all(workers.map((w) => w.done));
  done.catch(() => undefined); // awaited below; a failure of this process's own shard must not leave it unhandled
  try {
    // This process's synth is synchronous: hand the workers their work before it starts.
    await Promise.all(workers.map((w) => w.sent));
    synthApp(parts[0], shardDir(0));
    await done;

    const manifest = new Manifest(JSON.parse(fs.readFileSync(path.join(shardDir(0), Manifest.fileName), 'utf8')).version, dir, false);
    parts.forEach((_, i) => {
      const m = JSON.parse(fs.readFileSync(path.join(shardDir(i), Manifest.fileName), 'utf8'));
      Object.assign(manifest.stacks, m.stacks);
      for (const name of Object.keys(m.stacks)) fs.renameSync(path.join(shardDir(i), Manifest.stacksFolder, name), path.join(dir, Manifest.stacksFolder, name));
      fs.rmSync(shardDir(i), { recursive: true, force: true });
    });
    manifest.writeToFile();
  } catch (e) {
    for (const w of workers) w.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  publish(config, dir, target);
  return stackNames(config);
}

function runWorker(worker: string, config: AppConfig, outdir: string) {
  const child = fork(worker, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const done = new Promise<void>((resolve, reject) => {
    let result: { ok: boolean; error?: string; guardrail?: string } | undefined;
    child.on('message', (m: any) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      result?.ok && code === 0
        ? resolve()
        : reject(result?.guardrail ? new GuardrailError(result.guardrail) : new Error(`synth worker failed (exit ${code}): ${result?.error ?? 'no result'}`)),
    );
  });
  const sent = new Promise<void>((resolve, reject) => child.send({ config, outdir }, (e) => (e ? reject(e) : resolve())));
  return { child, done, sent };
}
