/**
 * Deploys one rollout wave: `cdktf deploy` of exactly the wave's stacks, at most
 * --parallelism stacks at a time, with the stack filter set so that cdktf's own
 * synth builds only them. A wave with no stacks is a no-op.
 * Usage: npm run deploy:wave -- --help
 */
import { spawnSync } from 'child_process';
import { MatrixError } from '../config/errors';
import { loadMatrix, matrixFile } from '../config/load';
import { nearestWave } from '../config/deployment';
import { FILTER_ENV, rolloutWaves } from '../config/select';
import { EXIT, cliOptions, defineCommand, usageError } from '../lib/args';

export const DEFAULT_PARALLELISM = 8;

export const COMMAND = defineCommand({
  command: 'npm run deploy:wave',
  usage: '-- <wave> [options] [-- more cdktf deploy options]',
  summary: `Runs \`cdktf deploy\` on exactly the stacks of one rollout wave of the matrix
(npm run waves lists them), at most --parallelism stacks at a time, with the stack
filter set so that cdktf's own synth builds only them. A wave with no stacks is a no-op.
cdktf prints its own progress per stack.`,
  positionals: [{ name: '<wave>', help: 'the wave to deploy, e.g. dev (npm run waves lists them)', required: true }],
  rest: 'passed on to cdktf deploy, e.g. -- --outputs-file outputs.json',
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the repository's landing-zone matrix (default: $MATRIX_FILE;\ninstalled in a landing-zone repository, landing-zone.yaml); never\nthe embedded example",
    },
    { name: '--parallelism', value: '<n>', help: `stacks deployed at the same time (default ${DEFAULT_PARALLELISM})` },
    { name: '--auto-approve', help: 'apply without asking (CI)' },
    { name: '--dry-run', help: 'print the cdktf command instead of running it' },
  ],
  env: {
    MATRIX_FILE: 'the matrix file when --matrix is not given (the embedded example\nhas placeholder accounts and is never deployed)',
  },
  exits: { failed: 'failed: an invalid matrix, or cdktf deploy failed' },
});

export function deployWave(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const [wave] = opts.positionals;
  const extra = opts.rest;
  const p = opts.values['--parallelism'] ?? String(DEFAULT_PARALLELISM);
  if (!/^[1-9]\d*$/.test(p)) return usageError(COMMAND, `--parallelism must be a whole number of at least 1, not "${p}"`);
  const file = matrixFile(opts.values['--matrix'], env);
  if (!file)
    return usageError(COMMAND, "no matrix: deploy:wave deploys the repository's landing-zone matrix (--matrix landing-zone.yaml or MATRIX_FILE=landing-zone.yaml), never the embedded example");

  const config = loadMatrix(env, file);
  const waves = rolloutWaves(config);
  const found = waves.find((w) => w.wave === wave);
  // Wave names a pipeline may call even when this matrix has no stacks in them.
  const known = ['bootstrap', ...config.rollout.waves, 'management'];
  if (!found && !known.includes(wave))
    return usageError(COMMAND, `unknown wave "${wave}" (nearest: "${nearestWave(wave, known)}"). Waves of this matrix, in order: ${waves.map((w) => w.wave).join(', ')}`);
  if (!found || !found.stacks.length) {
    console.log(`Wave "${wave}" has no stacks in this matrix: nothing to deploy.`);
    return;
  }
  const args = ['cdktf', 'deploy', ...found.stacks, '--parallelism', p, ...(opts.switches.has('--auto-approve') ? ['--auto-approve'] : []), ...extra];
  console.log(`Deploying wave "${wave}" (${found.stacks.length} stack${found.stacks.length === 1 ? '' : 's'}, ${p} at a time): ${found.stacks.join(', ')}`);
  if (opts.switches.has('--dry-run')) {
    console.log(`MATRIX_FILE=${file} ${FILTER_ENV.environments}=${wave} npx ${args.join(' ')}`);
    return;
  }
  const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...env, MATRIX_FILE: file, [FILTER_ENV.environments]: wave, CHECKPOINT_DISABLE: '1' } });
  process.exitCode = r.status === 0 ? EXIT.ok : EXIT.failed; // cdktf's own codes mapped onto the project's (lib/args.ts)
}

if (require.main === module) {
  try {
    deployWave(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof MatrixError ? e.message : e);
    process.exitCode = EXIT.failed;
  }
}
