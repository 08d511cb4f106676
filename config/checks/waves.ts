import { DEFAULT_ENVIRONMENT, DEFAULT_WAVE_ORDER, nearestWave, waveOrder } from '../deployment';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

/**
 * Every environment of the matrix must be a wave of the rollout order
 * (deployment.waves, or the default dev, staging, prod), so a typo cannot
 * reorder or skip a rollout: one issue per environment outside it, at the first
 * account that names it, with the nearest wave.
 */
export const waves: MatrixCheck = ({ matrix }) => {
  const explicit = matrix.deployment?.waves;
  const order = waveOrder(matrix);
  const shown = explicit ?? DEFAULT_WAVE_ORDER;
  const seen = new Set<string>();
  const issues: MatrixIssue[] = [];
  matrix.accounts.forEach((a, i) => {
    const env = a.environment ?? DEFAULT_ENVIRONMENT;
    if (order.includes(env) || seen.has(env)) return;
    seen.add(env);
    const where = explicit ? 'deployment.waves' : 'the default waves (deployment.waves is not set)';
    issues.push({
      path: a.environment === undefined ? `accounts[${i}] (no environment)` : `accounts[${i}].environment`,
      value: env,
      allowed: `an environment in the rollout order, ${where}: ${shown.join(', ')}; "${env}" is in no wave (nearest: "${nearestWave(env, shown)}"). Correct it, or list it in deployment.waves`,
    });
  });
  return issues;
};
