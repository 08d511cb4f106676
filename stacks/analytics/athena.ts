import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import type { AnalyticsSettings, RateCardEntry } from '../../config/analytics';
import type { Target } from '../../policies/document';
import type { LogBucket } from '../logging/log-bucket';
import { RATE_CARD_PREFIX, USAGE_DATABASE, USAGE_WORKGROUP } from '../../config/naming';
import { athenaResultsBucketPolicy } from '../../policies/athena-results-policies';
import { invocationLogKeyPattern } from '../../policies/log-bucket-policy';
import { privateBucket } from '../private-bucket';
import type { TenantInferenceProfiles } from '../tenancy/inference-profiles';
import { INVOCATION_LOG_COLUMNS } from './log-record';
import { athenaQueries } from './queries';

/** Terraform name of the query-result bucket and its settings (pinned by __tests__/stacks/stateful-addresses.test.ts). */
export const ATHENA_RESULTS_ID = 'athena_results';
export const RATE_CARD_KEY = `${RATE_CARD_PREFIX}rate_card.csv`;

/** The model IDs a stack's logs carry for a model alias: the profile ARNs and the model ID itself. */
function loggedModelIds(profiles: TenantInferenceProfiles, alias: string): string[] {
  const own = profiles.configs.filter((p) => p.model === alias);
  const source = own[0]?.copyFrom.split('/').pop();
  return [...own.map((p) => profiles.arnsByLogicalId.get(p.logicalId)!), ...(source ? [source] : [])];
}

/** The rate card as CSV, one row per logged model ID and price period. */
export function rateCardCsv(rateCard: readonly RateCardEntry[], profiles: TenantInferenceProfiles): string {
  const rows = rateCard.flatMap((r) =>
    loggedModelIds(profiles, r.model).map((id) =>
      [
        id,
        r.model,
        r.inputPerMillionUsd,
        r.outputPerMillionUsd,
        r.cacheReadPerMillionUsd ?? 0,
        r.cacheWritePerMillionUsd ?? 0,
        r.validFrom,
        r.validTo ?? '',
      ].join(','),
    ),
  );
  return (
    [
      'model_id,model_alias,input_per_million,output_per_million,cache_read_per_million,cache_write_per_million,valid_from,valid_to',
      ...rows,
    ].join('\n') + '\n'
  );
}

/**
 * Athena over the S3 invocation logs: a Glue database, a table over the logs with
 * partition projection on the hourly key path, the rate card as a small table, a
 * workgroup with encrypted results in their own bucket and a bytes-scanned limit,
 * and the usage questions as named queries.
 */
export interface UsageAthenaProps {
  /** The account and region of the logs. */
  readonly target: Target;
  /** analytics.athena, resolved. */
  readonly settings: NonNullable<AnalyticsSettings['athena']>;
  /** analytics.tenantKey: the requestMetadata key the queries group by. */
  readonly tenantKey: string;
  /** analytics.rateCard: written to the log bucket as the rate_card table. */
  readonly rateCard: readonly RateCardEntry[];
  /** The invocation-log bucket the table reads; the rate card is written there, with its key. */
  readonly logBucket: LogBucket;
  /** logging.s3KeyPrefix: where the S3 destination writes the logs. */
  readonly s3KeyPrefix: string;
  /** The name of the query-result bucket this construct creates. */
  readonly resultsBucketName: string;
  /** The stack's inference profiles: the rate card lists their ARNs, as the logs carry them. */
  readonly profiles: TenantInferenceProfiles;
}

export class UsageAthena extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: UsageAthenaProps) {
    super(scope, id);
    const { target, settings: athena, logBucket, resultsBucketName } = props;
    const keyArn = logBucket.key.arn;
    // Locations use the bucket's name, known at synth; the rate-card object refers to the bucket (its id), to be created after it.
    const s3 = (key: string) => `s3://${logBucket.bucketName}/${key}`;
    const logs = invocationLogKeyPattern(props.s3KeyPrefix, target.accountId).replace(/\*$/, `${target.region}/`);

    const db = (this.database = new GlueCatalogDatabase(this, 'database', {
      name: USAGE_DATABASE,
      description: 'Amazon Bedrock model invocation logs and the rate card (bedrock-governance)',
    }));
    db.overrideLogicalId('usage');

    const table = new GlueCatalogTable(this, 'invocations', {
      databaseName: db.name,
      name: 'invocations',
      description: `Amazon Bedrock model invocation logs of ${target.accountId} in ${target.region}`,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'json',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy/MM/dd/HH',
        'projection.dt.range': '2023/01/01/00,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'HOURS',
        // $${dt}: a literal ${dt} for Athena, not a Terraform interpolation.
        'storage.location.template': s3(`${logs}$\${dt}/`),
      },
      partitionKeys: [{ name: 'dt', type: 'string', comment: 'hour of delivery, yyyy/MM/dd/HH (the key path)' }],
      storageDescriptor: {
        location: s3(logs),
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        compressed: true,
        serDeInfo: {
          name: 'openx-json',
          serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          // The permission-check object and any line that is not a record are skipped, not fatal.
          parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
        },
        columns: INVOCATION_LOG_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
      },
    });
    table.overrideLogicalId('invocations');

    const rateCard = new S3Object(this, 'rate-card-object', {
      bucket: logBucket.bucket.id,
      key: RATE_CARD_KEY,
      content: rateCardCsv(props.rateCard, props.profiles),
      contentType: 'text/csv',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: keyArn,
    });
    rateCard.overrideLogicalId('rate_card');
    new GlueCatalogTable(this, 'rate-card', {
      databaseName: db.name,
      name: 'rate_card',
      description: 'Price per million tokens per model ID as logged, with validity dates (matrix rateCard); estimates only',
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', classification: 'csv', 'skip.header.line.count': '1' },
      storageDescriptor: {
        location: s3(RATE_CARD_KEY.replace(/[^/]+$/, '')),
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: {
          name: 'csv',
          serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          parameters: { 'field.delim': ',', 'serialization.null.format': '' },
        },
        columns: [
          { name: 'model_id', type: 'string' },
          { name: 'model_alias', type: 'string' },
          { name: 'input_per_million', type: 'double' },
          { name: 'output_per_million', type: 'double' },
          { name: 'cache_read_per_million', type: 'double' },
          { name: 'cache_write_per_million', type: 'double' },
          { name: 'valid_from', type: 'date' },
          { name: 'valid_to', type: 'date' },
        ],
      },
    }).overrideLogicalId('rate_card');

    // Query results go to a bucket of their own, never to the log bucket: with logging.objectLock every
    // result would be write-once for the lock's days, and a PUT into a bucket with a default retention
    // needs a Content-MD5 or x-amz-checksum header, which Athena's result writer is not documented to send.
    // The same hardening as every bucket (stacks/private-bucket.ts), no Object Lock, results expire.
    const results = new Construct(this, 'results');
    const { bucket: resultsBucket } = privateBucket(results, {
      logicalId: ATHENA_RESULTS_ID,
      bucketName: resultsBucketName,
      keyArn,
      policy: JSON.stringify(athenaResultsBucketPolicy({ partition: target.partition, bucketName: resultsBucketName })),
      lifecycleRule: {
        id: 'athena-results-expiry',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ days: athena.resultsExpirationDays }],
        // The bucket is versioned (as every bucket of the app): an expired result becomes noncurrent and goes a day later.
        noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      },
    });

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: USAGE_WORKGROUP,
      description: 'Bedrock usage analytics over the invocation logs (bedrock-governance)',
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: athena.bytesScannedCutoff,
        resultConfiguration: {
          // The bucket's name by reference: the workgroup is created after the bucket.
          outputLocation: `s3://${resultsBucket.bucket}/`,
          // Athena checks the owner of the result bucket before it writes (ResultConfiguration.ExpectedBucketOwner).
          expectedBucketOwner: target.accountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: keyArn },
        },
      },
    });
    this.workgroup.overrideLogicalId('usage');

    for (const q of athenaQueries({
      database: USAGE_DATABASE,
      table: 'invocations',
      rateTable: 'rate_card',
      tenantKey: props.tenantKey,
    }))
      new AthenaNamedQuery(this, q.id, {
        name: q.name,
        description: q.description,
        database: db.name,
        workgroup: this.workgroup.name,
        query: q.query,
      }).overrideLogicalId(q.id);
  }
}
