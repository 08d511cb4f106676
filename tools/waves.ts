/**
 * Prints the rollout waves of the matrix and the command that deploys each.
 * Usage: npm run waves [-- --json]
 */
import { MatrixError } from '../config/errors';
import { loadMatrix } from '../config/load';
import { rolloutWaves } from '../config/select';

try {
  const waves = rolloutWaves(loadMatrix());
  if (process.argv.includes('--json')) console.log(JSON.stringify(waves, null, 2));
  else {
    console.log('Rollout waves, in order (each must succeed before the next):');
    waves.forEach((w, i) => {
      console.log(`\n${i + 1}. ${w.wave}: npm run deploy:wave -- ${w.wave}`);
      for (const s of w.stacks) console.log(`     ${s}`);
    });
  }
} catch (e) {
  if (!(e instanceof MatrixError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
