import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from 'cdktf';

/**
 * Merges the output of synth shards (stacks/shards.ts) into `dir`: moves each
 * shard's stack folders into `dir` and writes one manifest.json with every
 * stack's entry, in shard order, through cdktf's own Manifest class, as if one
 * app had synthesized them all. Relies on cdktf 0.21's manifest layout
 * (manifest.json with `version` and `stacks`, stacks/<name>/); a test compares a
 * sharded synth with a single-process one byte for byte.
 */
export function mergeShards(dir: string, shardDirs: string[]): void {
  const read = (d: string) => JSON.parse(fs.readFileSync(path.join(d, Manifest.fileName), 'utf8'));
  const own = read(dir);
  const merged = new Manifest(own.version, dir, false);
  Object.assign(merged.stacks, own.stacks);
  for (const shard of shardDirs) {
    const stacks = read(shard).stacks;
    Object.assign(merged.stacks, stacks);
    for (const name of Object.keys(stacks))
      fs.renameSync(path.join(shard, Manifest.stacksFolder, name), path.join(dir, Manifest.stacksFolder, name));
    fs.rmSync(shard, { recursive: true, force: true });
  }
  merged.writeToFile();
}
