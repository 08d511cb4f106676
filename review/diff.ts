/**
 * Compares two synthesized stacks (cdk.tf.json) resource by resource, decides
 * create / update / replace / delete from the provider's force-new rules, and
 * flags the changes that lose data, switch logging off, break callers or widen
 * access.
 */
import { policyWidening } from './policy-diff';

export type Action = 'create' | 'update' | 'replace' | 'delete';

export interface Change {
  address: string;
  action: Action;
  dangerous: boolean;
  reason: string;
  /** Changed attribute paths, for updates and replacements. */
  attributes?: string[];
  /** Set when a --accept pattern acknowledged this dangerous change. */
  accepted?: boolean;
}

/**
 * Arguments that force replacement, per resource type, for the types these stacks
 * use (AWS provider 5.100 schema: ForceNew / RequiresReplace). A nested path
 * matches its prefix, so "model_source" covers "model_source[0].copy_from".
 */
export const FORCE_NEW: Record<string, string[]> = {
  aws_bedrock_inference_profile: ['name', 'description', 'model_source'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_s3_bucket_policy: ['bucket'],
  aws_s3_bucket_ownership_controls: ['bucket'],
  aws_s3_bucket_public_access_block: ['bucket'],
  aws_s3_bucket_server_side_encryption_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_versioning: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_lifecycle_configuration: ['bucket', 'expected_bucket_owner'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_kms_alias: ['name', 'name_prefix'],
  aws_cloudwatch_log_group: ['name', 'name_prefix', 'log_group_class'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'name_prefix', 'role'],
  aws_iam_policy: ['name', 'name_prefix', 'path'],
  aws_iam_openid_connect_provider: ['url'],
  aws_sns_topic: ['name', 'name_prefix', 'fifo_topic'],
  aws_sns_topic_policy: ['arn'],
  aws_budgets_budget: ['account_id', 'name', 'name_prefix'],
  aws_ce_cost_allocation_tag: ['tag_key'],
  aws_ce_anomaly_monitor: ['monitor_type', 'monitor_dimension', 'monitor_specification'],
  aws_organizations_policy: ['type'],
  aws_organizations_policy_attachment: ['policy_id', 'target_id'],
};

/** Resources that hold data or identity: deleting or replacing one loses logs, keys or access. */
export const STATEFUL_TYPES = ['aws_s3_bucket', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_iam_role'];

/**
 * Policies checked for widening: resource policies (bucket, key, topic), trust
 * policies, the logging role's own policy and the SCP. Tenant invoke policies
 * (aws_iam_policy) are left out: they follow the tenant's models by design.
 */
export const POLICY_FIELDS: Record<string, string> = {
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_iam_role_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_organizations_policy: 'content',
};

const LOGGING_CONFIG = 'aws_bedrock_model_invocation_logging_configuration';
const PROFILE = 'aws_bedrock_inference_profile';
const META = ['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each'];

export type Resources = Map<string, any>;

/** All resources of a synthesized stack, by address, without cdktf metadata. */
export function resourcesOf(tf: any): Resources {
  const out: Resources = new Map();
  for (const [type, byName] of Object.entries<any>(tf?.resource ?? {}))
    for (const [name, body] of Object.entries<any>(byName)) out.set(`${type}.${name}`, body);
  return out;
}

/** Paths (a.b[0].c) at which two JSON values differ. */
export function diffPaths(a: any, b: any, prefix = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: any) => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [prefix || '(value)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => diffPaths(a[k], b[k], Array.isArray(a) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k));
}

function withoutMeta(body: any): any {
  return Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !META.includes(k)));
}

const topLevel = (path: string) => path.split(/[.[]/)[0];

/** Dangerous aspects of a change to the logging configuration. */
function loggingDanger(before: any, after: any): string[] {
  const b = before?.logging_config ?? {};
  const a = after?.logging_config ?? {};
  const out: string[] = [];
  for (const dest of ['s3_config', 'cloudwatch_config']) if (b[dest] && !a[dest]) out.push(`destination ${dest} removed`);
  for (const flag of ['text', 'image', 'embedding', 'video']) {
    const key = `${flag}_data_delivery_enabled`;
    if (b[key] !== false && a[key] === false) out.push(`${flag} delivery turned off`);
  }
  if (b.cloudwatch_config?.large_data_delivery_s3_config && a.cloudwatch_config && !a.cloudwatch_config.large_data_delivery_s3_config)
    out.push('large-data delivery removed');
  return out;
}

export function classify(address: string, before: any, after: any): Change | undefined {
  const type = address.split('.')[0];
  if (before === undefined) return { address, action: 'create', dangerous: false, reason: 'new resource' };
  if (after === undefined) {
    if (STATEFUL_TYPES.includes(type)) return { address, action: 'delete', dangerous: true, reason: 'stateful resource deleted: its data or identity is lost' };
    if (type === LOGGING_CONFIG) return { address, action: 'delete', dangerous: true, reason: 'invocation logging turned off for this account and region' };
    if (type === PROFILE) return { address, action: 'delete', dangerous: true, reason: 'inference profile deleted: callers using its ARN break' };
    if (type === 'aws_cloudwatch_log_data_protection_policy')
      return { address, action: 'delete', dangerous: true, reason: 'personal-data masking removed: prompts and responses are stored unmasked from now on' };
    if (type === 'aws_cloudwatch_metric_alarm' && address.startsWith('aws_cloudwatch_metric_alarm.log_delivery_'))
      return { address, action: 'delete', dangerous: true, reason: 'log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed' };
    return { address, action: 'delete', dangerous: false, reason: 'resource removed' };
  }
  const attributes = diffPaths(withoutMeta(before), withoutMeta(after));
  const lostProtection = before.lifecycle?.prevent_destroy === true && after.lifecycle?.prevent_destroy !== true;
  if (!attributes.length && !lostProtection) return undefined;

  const forcing = attributes.filter((p) => (FORCE_NEW[type] ?? []).includes(topLevel(p)));
  const action: Action = forcing.length ? 'replace' : 'update';
  const reasons: string[] = [];
  if (action === 'replace') {
    if (STATEFUL_TYPES.includes(type)) reasons.push(`stateful resource replaced (${forcing.join(', ')} forces a new resource): its data or identity is lost`);
    else if (type === PROFILE) reasons.push(`inference profile replaced (${forcing.join(', ')}): its ARN changes and callers break`);
  }
  if (lostProtection && STATEFUL_TYPES.includes(type)) reasons.push('prevent_destroy removed');
  if (type === LOGGING_CONFIG) reasons.push(...loggingDanger(before, after));
  const field = POLICY_FIELDS[type];
  if (field && attributes.some((p) => topLevel(p) === field)) reasons.push(...policyWidening(before[field], after[field]));
  return {
    address,
    action,
    dangerous: reasons.length > 0,
    reason: reasons.length ? reasons.join('; ') : action === 'replace' ? `${forcing.join(', ')} forces a new resource` : 'in-place update',
    attributes,
  };
}

/** Resource-level changes between two versions of one stack (either may be absent). */
export function diffStack(base: any | undefined, head: any | undefined): Change[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes = addresses.flatMap((a) => classify(a, before.get(a), after.get(a)) ?? []);
  // The state moves when the backend changes: Terraform would start from empty state elsewhere.
  if (base && head && JSON.stringify(stateLocation(base)) !== JSON.stringify(stateLocation(head)))
    changes.unshift({ address: '(backend)', action: 'update', dangerous: true, reason: 'state location changes: migrate the state first, or Terraform plans every resource anew' });
  return changes;
}

function stateLocation(tf: any) {
  const backend = tf.terraform?.backend ?? {};
  // The local path is absolute and differs between checkouts: compare its file name only.
  const local = backend.local ? { local: String(backend.local.path ?? '').split('/').pop() } : undefined;
  return { backend: local ?? backend, cloud: tf.terraform?.cloud };
}
