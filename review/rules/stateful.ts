/**
 * Stateful resources (buckets, keys, log groups, roles: the contract's `holdsData`)
 * deleted or replaced, in words that say what really happens to their data.
 */
import { TerraformBody, asObject } from '../terraform-json';
import { DangerRule, RuleInput } from './types';

/** What deleting (or replacing) a stateful resource does to its data, per type. */
function consequence(i: RuleInput, body: TerraformBody | undefined): string {
  switch (i.type) {
    case 'aws_cloudwatch_log_group':
      // skip_destroy: the provider's delete removes it from state only (internal/service/logs/group.go, resourceGroupDelete).
      return body?.skip_destroy === true
        ? 'orphaned, not deleted (skip_destroy): the log group and its logs stay in AWS, unmanaged, and creating it again fails until it is imported'
        : 'the log group and every log in it are deleted';
    case 'aws_s3_bucket':
      // DeleteBucket refuses a bucket that holds objects or object versions; force_destroy empties it first.
      return body?.force_destroy === true
        ? 'the bucket is emptied (force_destroy) and deleted: every stored log is lost'
        : 'the apply fails with BucketNotEmpty while the bucket holds objects (force_destroy = false); emptied, it is deleted with its logs';
    case 'aws_kms_key':
      return `the key is scheduled for deletion (${body?.deletion_window_in_days ?? 30}-day window): everything encrypted with it becomes unreadable after that`;
    case 'aws_iam_role':
      return 'the role and its unique ID are gone: a new role of the same name is a different principal to policies that named the old one';
    default:
      return 'its data or identity is lost';
  }
}

export const statefulDeleted: DangerRule = {
  cause: 'stateful',
  title: 'Stateful resource deleted or replaced',
  when: 'a bucket, key, log group or role (or a type the contract does not classify) is deleted or replaced. The words say what really happens: a log group with `skip_destroy` is **orphaned, not deleted** (its logs stay, and creating it again fails until it is imported); deleting a bucket with `force_destroy = false` **fails with `BucketNotEmpty`** while it holds objects; a key is scheduled for deletion after its window; a replacement is stopped by `prevent_destroy` until it is lifted',
  check(i) {
    if (!i.stateful) return [];
    if (i.action === 'delete') return [`stateful resource deleted: ${consequence(i, i.before)}`];
    if (i.action !== 'replace') return [];
    // Terraform refuses to plan the destroy half of a replacement while the configuration keeps prevent_destroy.
    const blocked = asObject(i.after?.lifecycle).prevent_destroy === true ? '; the plan stops on prevent_destroy until it is lifted' : '';
    return [`stateful resource replaced (${i.forcing.join(', ')} forces a new resource): ${consequence(i, i.before)}${blocked}`];
  },
};

export const preventDestroyRemoved: DangerRule = {
  cause: 'prevent-destroy',
  title: 'prevent_destroy removed from a stateful resource',
  when: '`prevent_destroy` is removed from a stateful resource',
  check(i) {
    const lost =
      asObject(i.before?.lifecycle).prevent_destroy === true &&
      i.after !== undefined &&
      asObject(i.after?.lifecycle).prevent_destroy !== true;
    return lost && i.stateful ? ['prevent_destroy removed'] : [];
  },
};
