/**
 * Deploys one rollout wave: `cdktf deploy` of exactly the wave's stacks, at most
 * --parallelism stacks at a time, with the stack filter set so that cdktf's own
 * synth builds only them. A wave with no stacks is a no-op.
 * Usage: npm run deploy:wave -- --help
 */
import { spawnSync } from 'child_process';
import { MatrixError } from '../config/errors';
import { loadMatrix } from '../config/load';
import { nearestWave, waveOrder } from '../config/deployment';
import { FILTER_ENV, rolloutWaves } from '../config/select';
import { EXIT, cliOptions, usageError } from './args';

export const DEFAULT_PARALLELISM = 8;

const USAGE = `Usage: npm run deploy:wave -- <wave> [options] [-- more cdktf deploy options]

Runs \`cdktf deploy\` on exactly the stacks of one rollout wave of the matrix
(npm run waves lists them), at most --parallelism stacks at a time.

Needs MATRIX_FILE: the repository's landing-zone matrix. The embedded example
has placeholder accounts and is never deployed.

Options:
  --parallelism <n>   stacks deployed at the same time (default ${DEFAULT_PARALLELISM})
  --auto-approve      apply without asking (CI)
  --dry-run           print the cdktf command instead of running it
  -h, --help          show this help
`;

export function deployWave(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  const dash = argv.indexOf('--');
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const wave = own.find((a, i) => !a.startsWith('-') && own[i - 1] !== '--parallelism');
  const opts = cliOptions(USAGE, { values: ['--parallelism'], switches: ['--auto-approve', '--dry-run'] }, own.filter((a) => a !== wave));
  if (!opts) return;
  if (!wave) return usageError(USAGE, 'name the wave to deploy (npm run waves lists them)');
  const p = opts.values['--parallelism'] ?? String(DEFAULT_PARALLELISM);
  if (!/^[1-9]\d*$/.test(p)) return usageError(USAGE, `--parallelism must be a whole number of at least 1, not "${p}"`);
  if (!env.MATRIX_FILE)
    return usageError(USAGE, "MATRIX_FILE is not set: deploy:wave deploys the repository's landing-zone matrix (e.g. MATRIX_FILE=landing-zone.yaml), never the embedded example");

  const config = loadMatrix(env);
  const waves = rolloutWaves(config);
  const found = waves.find((w) => w.wave === wave);
  // Wave names a pipeline may call even when this matrix has no stacks in them.
  const known = ['bootstrap', ...waveOrder(config.matrix), 'management'];
  if (!found && !known.includes(wave))
    return usageError(USAGE, `unknown wave "${wave}" (nearest: "${nearestWave(wave, known)}"). Waves of this matrix, in order: ${waves.map((w) => w.wave).join(', ')}`);
  if (!found || !found.stacks.length) {
    console.log(`Wave "${wave}" has no stacks in this matrix: nothing to deploy.`);
    return;
  }
  const args = ['cdktf', 'deploy', ...found.stacks, '--parallelism', p, ...(opts.switches.has('--auto-approve') ? ['--auto-approve'] : []), ...extra];
  console.log(`Deploying wave "${wave}" (${found.stacks.length} stack${found.stacks.length === 1 ? '' : 's'}, ${p} at a time): ${found.stacks.join(', ')}`);
  if (opts.switches.has('--dry-run')) {
    console.log(`${FILTER_ENV.environments}=${wave} npx ${args.join(' ')}`);
    return;
  }
  const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...env, [FILTER_ENV.environments]: wave, CHECKPOINT_DISABLE: '1' } });
  process.exitCode = r.status === 0 ? EXIT.ok : EXIT.failed; // cdktf's own codes mapped onto the project's (tools/args.ts)
}

if (require.main === module) {
  try {
    deployWave(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof MatrixError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
  }
}
