/**
 * Turns a schema-valid matrix into one fully resolved config per account x region:
 * defaults applied, options merged (matrix < account < region), names derived,
 * and the checks that need more than one field at a time.
 */
import type { MatrixIssue } from './errors';
import * as rules from './rules';
import type { Lifecycle, LoggingOptions, Matrix, Tags } from './schema';

export type Destination = 's3' | 'cloudwatch';

export interface LoggingSettings {
  destinations: Destination[];
  delivery: { text: boolean; image: boolean; embedding: boolean; video: boolean };
  s3KeyPrefix: string;
  largeDataKeyPrefix: string;
  logRetentionDays: number;
  logGroupName: string;
  bucketNamePrefix: string;
  lifecycle: Required<Pick<Lifecycle, 'transitions' | 'noncurrentVersionExpirationDays' | 'abortIncompleteMultipartUploadDays'>> &
    Pick<Lifecycle, 'expirationDays'>;
  kmsKeyArn?: string;
}

/** Safe defaults: both destinations, every delivery flag on, logs kept forever in S3 and a year in CloudWatch. */
export const DEFAULT_LOGGING: LoggingSettings = {
  destinations: ['s3', 'cloudwatch'],
  delivery: { text: true, image: true, embedding: true, video: true },
  s3KeyPrefix: 'invocation-logs',
  largeDataKeyPrefix: 'large-data',
  logRetentionDays: 365,
  logGroupName: '/bedrock/model-invocation-logs',
  bucketNamePrefix: 'bedrock-invocation-logs',
  lifecycle: {
    transitions: [{ days: 90, storageClass: 'GLACIER_IR' }],
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
  },
};

export const MANAGED_BY = 'bedrock-governance';

export interface StackConfig {
  /** cdktf stack name, also the Terraform working directory: derived from IDs only, so renames never orphan state. */
  stackName: string;
  /** Where this stack comes from in the matrix, for error messages. */
  matrixPath: string;
  accountId: string;
  accountName: string;
  environment: string;
  region: string;
  partition: ReturnType<typeof rules.partitionOf>;
  logging: LoggingSettings;
  /** Tags applied to every resource through the provider's default_tags. */
  tags: Record<string, string>;
  names: { bucket: string; logGroup: string; role: string; keyAlias: string };
}

export interface AppConfig {
  matrix: Matrix;
  stacks: StackConfig[];
}

export function loggingStackName(accountId: string, region: string): string {
  return `bedrock-logging-${accountId}-${region}`;
}

function merge(base: LoggingSettings, over: LoggingOptions | undefined): LoggingSettings {
  if (!over) return base;
  return {
    ...base,
    ...over,
    delivery: { ...base.delivery, ...over.delivery },
    lifecycle: { ...base.lifecycle, ...over.lifecycle },
  } as LoggingSettings;
}

function duplicates<T>(items: T[], key: (t: T) => string, path: (i: number) => string, what: string, out: MatrixIssue[]) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else out.push({ path: path(i), value: k, allowed: `${what} that appears only once (it is also at ${path(first)})` });
  });
}

/** Resolves the matrix; returns the stacks and every problem found, all at once. */
export function resolve(matrix: Matrix): { config: AppConfig; issues: MatrixIssue[] } {
  const issues: MatrixIssue[] = [];
  const models = matrix.models ?? [];
  const tenants = matrix.tenants ?? [];

  duplicates(matrix.accounts, (a) => a.id, (i) => `accounts[${i}].id`, 'an account ID', issues);
  const named = matrix.accounts.flatMap((a, i) => (a.name ? [{ name: a.name, i }] : []));
  duplicates(named, (a) => a.name, (k) => `accounts[${named[k].i}].name`, 'an account name', issues);
  duplicates(models, (m) => m.alias, (i) => `models[${i}].alias`, 'a model alias', issues);
  duplicates(tenants, (t) => t.id, (i) => `tenants[${i}].id`, 'a tenant ID', issues);
  const aliases = models.map((m) => m.alias);
  tenants.forEach((t, ti) =>
    (t.models ?? []).forEach((alias, mi) => {
      if (!aliases.includes(alias))
        issues.push({
          path: `tenants[${ti}].models[${mi}]`,
          value: alias,
          allowed: aliases.length ? `a model alias defined in models: ${aliases.join(', ')}` : 'a model alias defined in models (there are none)',
        });
    }),
  );

  const stacks: StackConfig[] = [];
  const matrixLogging = merge(DEFAULT_LOGGING, matrix.logging);
  matrix.accounts.forEach((account, ai) => {
    const accountLogging = merge(matrixLogging, account.logging);
    const regions = account.regions.map((r) => (typeof r === 'string' ? { region: r } : r));
    duplicates(regions, (r) => r.region, (ri) => `accounts[${ai}].regions[${ri}]`, 'a region', issues);
    regions.forEach((entry, ri) => {
      const path = `accounts[${ai}].regions[${ri}]`;
      const logging = merge(accountLogging, 'logging' in entry ? entry.logging : undefined);
      const region = entry.region;
      const stackName = loggingStackName(account.id, region);
      const environment = account.environment ?? 'default';
      const tags: Tags = {
        ...matrix.tags,
        ...account.tags,
        ...('tags' in entry ? entry.tags : undefined),
        'managed-by': MANAGED_BY,
        stack: stackName,
        environment,
      };
      const stack: StackConfig = {
        stackName,
        matrixPath: path,
        accountId: account.id,
        accountName: account.name ?? account.id,
        environment,
        region,
        partition: rules.partitionOf(region),
        logging,
        tags,
        names: {
          bucket: `${logging.bucketNamePrefix}-${account.id}-${region}`,
          logGroup: logging.logGroupName,
          role: `bedrock-invocation-logging-${region}`,
          keyAlias: 'alias/bedrock-invocation-logs',
        },
      };
      issues.push(...checkStack(stack));
      stacks.push(stack);
    });
  });
  return { config: { matrix, stacks }, issues };
}

function checkStack(s: StackConfig): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const { logging } = s;
  if (!rules.BUCKET_NAME.test(s.names.bucket))
    issues.push({
      path: s.matrixPath,
      value: s.names.bucket,
      allowed: 'a log bucket name of at most 63 characters (logging.bucketNamePrefix + "-<account>-<region>"): shorten logging.bucketNamePrefix',
    });
  if (logging.kmsKeyArn) {
    const [, , , keyRegion, keyAccount] = logging.kmsKeyArn.split(':');
    if (keyRegion !== s.region || keyAccount !== s.accountId)
      issues.push({
        path: `${s.matrixPath} (logging.kmsKeyArn)`,
        value: logging.kmsKeyArn,
        allowed: `a KMS key in the stack's own account and region (${s.accountId}, ${s.region}): S3 and CloudWatch Logs only use keys from their own region`,
      });
  }
  const { transitions, expirationDays } = logging.lifecycle;
  if (expirationDays !== undefined) {
    const last = Math.max(0, ...transitions.map((t) => t.days));
    if (expirationDays <= last)
      issues.push({
        path: `${s.matrixPath} (logging.lifecycle.expirationDays)`,
        value: expirationDays,
        allowed: `more days than the last transition (${last})`,
      });
  }
  if (Object.keys(s.tags).length > rules.TAGS_PER_RESOURCE_MAX)
    issues.push({
      path: `${s.matrixPath} (tags)`,
      value: Object.keys(s.tags).length,
      allowed: `at most ${rules.TAGS_PER_RESOURCE_MAX} tags per resource, counting matrix, account and region tags and the 3 the app adds`,
    });
  return issues;
}

