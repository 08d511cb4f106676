/**
 * Cuts that delete stored data or stop reads: a shorter log retention, an S3
 * expiration (current or noncurrent versions) that is shorter or new, and a
 * lower Athena bytes-scanned limit. Each names the old and the new value.
 */
import { TerraformBody, asObject } from '../terraform-json';
import { DangerRule, RuleInput, block, blocks } from './types';

/** Days a value keeps data; absent, 0 or a disabled rule keep it forever. */
const days = (v: unknown): number => (typeof v === 'number' && v > 0 ? v : Infinity);
const shown = (d: number) => (d === Infinity ? 'never expire' : `${d} days`);

/** CloudWatch retention_in_days: 0 or absent is "never expire" (logs API: RetentionInDays unset). */
export const retentionCut: DangerRule = {
  cause: 'retention-cut',
  title: 'Log retention or expiration shortened: stored logs are deleted',
  when: "CloudWatch `retention_in_days` decreases (or becomes finite), an S3 lifecycle rule's expiration or noncurrent-version expiration decreases (or is new), or the filter of an expiring rule changes: stored logs are deleted. The reason names the old and new number of days",
  check(i) {
    if (i.type === 'aws_cloudwatch_log_group' && (i.action === 'update' || i.action === 'replace')) {
      const b = days(i.before?.retention_in_days);
      const a = days(i.after?.retention_in_days);
      if (a < b) return [`log retention cut from ${shown(b)} to ${shown(a)}: events older than ${a} days are deleted`];
    }
    if (i.type === 'aws_s3_bucket_lifecycle_configuration' && i.after !== undefined && i.before !== undefined) return lifecycleCuts(i);
    return [];
  },
};

interface Expiry {
  current: number;
  noncurrent: number;
  /** The rule's filter, as JSON: which objects it expires. */
  filter: string;
}

/** Expiration days per lifecycle rule ID, for current and noncurrent versions. */
function expirations(body: TerraformBody | undefined): Map<string, Expiry> {
  const out = new Map<string, Expiry>();
  blocks(body?.rule).forEach((v, n) => {
    const r = asObject(v);
    const on = r.status === 'Enabled';
    out.set(String(r.id ?? `#${n}`), {
      current: on ? days(block(r.expiration)?.days) : Infinity,
      noncurrent: on ? days(block(r.noncurrent_version_expiration)?.noncurrent_days) : Infinity,
      filter: JSON.stringify(block(r.filter) ?? null) + JSON.stringify(r.prefix ?? null),
    });
  });
  return out;
}

function lifecycleCuts(i: RuleInput): string[] {
  const before = expirations(i.before);
  const out: string[] = [];
  for (const [id, a] of expirations(i.after)) {
    const b = before.get(id) ?? { current: Infinity, noncurrent: Infinity, filter: a.filter };
    // The same expiration over other objects (a wider or different filter) deletes objects it never touched.
    if (b.filter !== a.filter && (a.current < Infinity || a.noncurrent < Infinity)) {
      out.push(
        `the filter of expiring rule ${id} changed: it may now expire objects it did not cover (the review does not compare filters)`,
      );
      continue;
    }
    if (a.current < b.current)
      out.push(
        `S3 expiration of rule ${id} cut from ${shown(b.current)} to ${shown(a.current)}: log objects older than ${a.current} days are deleted`,
      );
    if (a.noncurrent < b.noncurrent)
      out.push(
        `noncurrent-version expiration of rule ${id} cut from ${shown(b.noncurrent)} to ${shown(a.noncurrent)}: overwritten or deleted log objects are purged sooner`,
      );
  }
  return out;
}

/** Athena: a query that would scan more than the workgroup's limit is cancelled. */
export const athenaLimitCut: DangerRule = {
  cause: 'athena-limit-cut',
  title: 'Athena bytes-scanned limit lowered: larger usage queries fail',
  when: "the workgroup's bytes-scanned limit is lowered: usage queries over the new limit are cancelled",
  check(i) {
    if (i.type !== 'aws_athena_workgroup' || i.before === undefined || i.after === undefined) return [];
    const b = days(block(i.before.configuration)?.bytes_scanned_cutoff_per_query);
    const a = days(block(i.after.configuration)?.bytes_scanned_cutoff_per_query);
    const mb = (n: number) => (n === Infinity ? 'no limit' : `${Math.round(n / 1048576)} MB`);
    return a < b ? [`Athena bytes-scanned limit per query lowered from ${mb(b)} to ${mb(a)}: queries over it are cancelled`] : [];
  },
};
