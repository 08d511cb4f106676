/**
 * Which stacks differ between two synth outputs (cdktf.out trees): added or
 * changed stacks, one name per line, for `cdktf diff` on a pull request.
 * Usage: npm run changed-stacks -- --help
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';
import { stackHash } from '../../lib/stack-hash';
import { MatrixError } from '../../config/errors';
import { loadMatrix } from '../../config/load';
import type { AppConfig } from '../../config/model';
import { pipelineJobs, stacksOfAccount } from '../../config/select';

export function stackHashes(outdir: string): Map<string, string> {
  const dir = path.join(outdir, 'stacks');
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) out.set(name, stackHash(file));
  }
  return out;
}

export function changedStacks(baseDir: string, headDir: string) {
  const base = stackHashes(baseDir);
  const head = stackHashes(headDir);
  return {
    added: [...head.keys()].filter((n) => !base.has(n)),
    changed: [...head.keys()].filter((n) => base.has(n) && base.get(n) !== head.get(n)),
    removed: [...base.keys()].filter((n) => !head.has(n)),
  };
}

/**
 * Splits stacks into at most `shards` groups of nearly equal size, in order (the
 * PR workflow's diff job matrix: one job per group, each a space-separated list).
 */
export function shardStacks(stacks: string[], shards: number): { shard: number; stacks: string }[] {
  const n = Math.min(shards, stacks.length);
  const size = Math.ceil(stacks.length / Math.max(n, 1));
  return Array.from({ length: n }, (_, i) => ({ shard: i + 1, stacks: stacks.slice(i * size, (i + 1) * size).join(' ') })).filter(
    (s) => s.stacks,
  );
}

/**
 * The shards of an S3-backed landing zone: one per account, each with the role the job assumes through GitHub OIDC
 * (deployment.backend.githubRoleName), since no job holds credentials for another account. Other backends: the
 * shards as they are, with no role.
 */
export function shardsWithRoles(config: AppConfig, stacks: string[], shards: number): { shard: number; stacks: string; role: string }[] {
  if (config.deployment.backend !== 's3') return shardStacks(stacks, shards).map((s) => ({ ...s, role: '' }));
  return pipelineJobs(config, stacks).map((j, i) => ({
    shard: i + 1,
    stacks: stacksOfAccount(config, stacks, j.account).join(' '),
    role: j.role,
  }));
}

export const COMMAND = defineCommand({
  command: 'npm run changed-stacks',
  usage: '-- --base-dir <dir> --head-dir <dir> [--json | --shards <n>]',
  summary: `Lists the stacks that a change adds or changes, one name per line, comparing two
synth outputs (cdktf.out trees) and ignoring cdktf metadata and local state paths.`,
  options: [
    { name: '--base-dir', value: '<dir>', help: 'the synth output before the change (required)' },
    { name: '--head-dir', value: '<dir>', help: 'the synth output after it (required)' },
    { name: '--json', help: 'print {"added", "changed", "removed"} instead' },
    {
      name: '--shards',
      value: '<n>',
      help: `print the added and changed stacks split into at most n
groups, as one JSON line: [{"shard": 1, "stacks": "a b", "role": ""},
...] ([] when nothing changed), for a workflow job matrix. With an S3
backend in the matrix: one group per account, role its GitHub OIDC
role (deployment.backend.githubRoleName)`,
    },
    { name: '--matrix', value: '<file>', help: 'with --shards: the matrix (default: $MATRIX_FILE, else landing-zone.yaml)' },
  ],
  env: { MATRIX_FILE: 'with --shards: the matrix when --matrix is not given' },
  exits: { failed: 'failed: a stack file that cannot be read as JSON' },
});

if (require.main === module) {
  const opts = cliOptions(COMMAND);
  const baseDir = opts?.values['--base-dir'];
  const headDir = opts?.values['--head-dir'];
  if (opts && (!baseDir || !headDir)) {
    usageError(COMMAND, '--base-dir and --head-dir are both required');
  } else if (opts && opts.values['--shards'] !== undefined && !/^[1-9]\d*$/.test(opts.values['--shards'])) {
    usageError(COMMAND, `--shards must be a whole number of at least 1, not "${opts.values['--shards']}"`);
  } else if (opts) {
    try {
      const c = changedStacks(baseDir!, headDir!);
      const changed = [...c.added, ...c.changed];
      if (opts.values['--shards'])
        console.log(
          JSON.stringify(
            changed.length
              ? shardsWithRoles(loadMatrix(process.env, opts.values['--matrix']), changed, Number(opts.values['--shards']))
              : [],
          ),
        );
      else if (opts.switches.has('--json')) console.log(JSON.stringify(c, null, 2));
      else for (const n of [...c.added, ...c.changed]) console.log(n);
    } catch (e) {
      console.error(e instanceof MatrixError ? e.message : `Error: ${(e as Error).message}`);
      process.exitCode = EXIT.failed;
    }
  }
}
