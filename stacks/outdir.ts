/** The output directory and its stacks, without loading cdktf (see shards.ts). */
import * as fs from 'fs';
import * as path from 'path';
import type { AppConfig } from '../config/resolve';

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

/** Every stack name of the config, in construct order. */
export function stackNames(config: AppConfig): string[] {
  return [...config.bootstraps.map((b) => b.stackName), ...config.stacks.map((s) => s.stackName), ...(config.management ? [config.management.stackName] : [])];
}
