/**
 * Cross-references the schema cannot see in analytics and the rate card: tenants and
 * models named there exist, the extra dimension is not the tenant key, and the rate
 * card has one price per model and day.
 */
import type { Analytics, RateCardEntry } from '../analytics';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

export const analytics: MatrixCheck = ({ matrix }) =>
  check(
    matrix.analytics,
    matrix.rateCard,
    (matrix.tenants ?? []).map((t) => t.id),
    (matrix.models ?? []).map((m) => m.alias),
  );

function check(a: Analytics | undefined, rateCard: RateCardEntry[] | undefined, tenants: string[], models: string[]): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const alarms = typeof a?.alarms === 'object' ? a.alarms : undefined;
  for (const t of Object.keys(alarms?.tenantDailyTokens ?? {}))
    if (!tenants.includes(t))
      issues.push({
        path: `analytics.alarms.tenantDailyTokens.${t}`,
        value: t,
        allowed: `a tenant ID of the matrix: ${tenants.join(', ') || '(none)'}`,
      });
  if (a?.extraDimension && a.extraDimension === (a.tenantKey ?? 'tenantId'))
    issues.push({ path: 'analytics.extraDimension', value: a.extraDimension, allowed: 'a requestMetadata key other than the tenant key' });
  (rateCard ?? []).forEach((r, i) => {
    if (!models.includes(r.model))
      issues.push({
        path: `rateCard[${i}].model`,
        value: r.model,
        allowed: `a model alias defined in models: ${models.join(', ') || '(none)'}`,
      });
  });
  // Two prices for one model on the same day would make the cost ambiguous.
  (rateCard ?? []).forEach((r, i) =>
    (rateCard ?? []).slice(0, i).forEach((o, j) => {
      if (o.model === r.model && r.validFrom < (o.validTo ?? '9999-12-31') && o.validFrom < (r.validTo ?? '9999-12-31'))
        issues.push({
          path: `rateCard[${i}]`,
          value: `${r.model} ${r.validFrom}..${r.validTo ?? ''}`,
          allowed: `a period that does not overlap rateCard[${j}] for the same model`,
        });
    }),
  );
  return issues;
}
