/**
 * Object Lock weakened: the default retention removed (the provider's delete sends
 * PutObjectLockConfiguration without a rule, internal/service/s3/bucket_object_lock_configuration.go),
 * shortened, or relaxed from COMPLIANCE. Versions already written keep their
 * retention; logs written from then on are protected less, or not at all.
 */
import { JsonObject, TerraformBody } from '../terraform-json';
import { DangerRule, block } from './types';

const TYPE = 'aws_s3_bucket_object_lock_configuration';
const retention = (body: TerraformBody | undefined): JsonObject => block(block(body?.rule)?.default_retention) ?? {};
const days = (r: JsonObject) => Number(r.days ?? 0) + 365 * Number(r.years ?? 0);

export const objectLockWeakened: DangerRule = {
  cause: 'object-lock-weakened',
  title: 'Object Lock retention removed, shortened or relaxed',
  when: "the log bucket's lock configuration is removed, its days shortened, or COMPLIANCE relaxed to GOVERNANCE",
  check(i) {
    if (i.type !== TYPE || i.before === undefined) return [];
    if (i.action === 'delete') return ['Object Lock default retention removed: logs written from now on are no longer locked'];
    const b = retention(i.before);
    const a = retention(i.after);
    const out: string[] = [];
    if (days(a) < days(b)) out.push(`Object Lock retention shortened from ${days(b)} to ${days(a)} days`);
    if (b.mode === 'COMPLIANCE' && a.mode !== 'COMPLIANCE') out.push(`Object Lock mode relaxed from COMPLIANCE to ${a.mode ?? 'none'}`);
    return out;
  },
};
