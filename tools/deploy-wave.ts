/**
 * Deploys one rollout wave: `npm run deploy:wave -- <wave> [cdktf deploy options]`.
 * Runs `cdktf deploy` on exactly the wave's stacks, with the stack filter set so
 * that cdktf's own synth builds only them. A wave with no stacks is a no-op.
 */
import { spawnSync } from 'child_process';
import { MatrixError } from '../config/errors';
import { loadMatrix } from '../config/load';
import { DEFAULT_WAVE_ORDER } from '../config/deployment';
import { FILTER_ENV, rolloutWaves } from '../config/select';

const [wave, ...cdktfArgs] = process.argv.slice(2);
try {
  const config = loadMatrix();
  const waves = rolloutWaves(config);
  const found = waves.find((w) => w.wave === wave);
  // Wave names a pipeline may call even when this matrix has no stacks in them.
  const known = ['bootstrap', ...(config.matrix.deployment?.waves ?? DEFAULT_WAVE_ORDER), 'management'];
  if (!wave || (!found && !known.includes(wave))) {
    console.error(`Usage: npm run deploy:wave -- <wave> [cdktf deploy options]\nWaves of this matrix, in order: ${waves.map((w) => w.wave).join(', ')}${wave ? `\nUnknown wave: ${wave}` : ''}`);
    process.exitCode = 2;
  } else if (!found || !found.stacks.length) {
    console.log(`Wave "${wave}" has no stacks in this matrix: nothing to deploy.`);
  } else {
    console.log(`Deploying wave "${wave}": ${found.stacks.join(', ')}`);
    const r = spawnSync('npx', ['cdktf', 'deploy', ...found.stacks, ...cdktfArgs], {
      stdio: 'inherit',
      env: { ...process.env, [FILTER_ENV.environments]: wave, CHECKPOINT_DISABLE: '1' },
    });
    process.exitCode = r.status ?? 1;
  }
} catch (e) {
  if (!(e instanceof MatrixError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
