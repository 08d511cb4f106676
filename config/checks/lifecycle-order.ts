/** Log objects expire only after their last storage-class transition. */
import { eachStack } from './check';

export const lifecycleOrder = eachStack(({ logging, matrixPath }) => {
  const { transitions, expirationDays } = logging.lifecycle;
  if (expirationDays === undefined) return [];
  const last = Math.max(0, ...transitions.map((t) => t.days));
  return expirationDays <= last
    ? [
        {
          path: `${matrixPath} (logging.lifecycle.expirationDays)`,
          value: expirationDays,
          allowed: `more days than the last transition (${last})`,
        },
      ]
    : [];
});
