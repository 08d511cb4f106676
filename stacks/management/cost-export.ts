import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { BcmdataexportsExport } from '@cdktf/provider-aws/lib/bcmdataexports-export';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { TerraformOutput } from 'cdktf';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import type { CostExportSettings } from '../../config/cost-export';
import { DEFAULT_BYTES_SCANNED_CUTOFF_MB } from '../../config/analytics';
import { costExportBucketPolicy, costExportKeyPolicy } from '../../policies/cost-export-policies';
import { privateBucket } from '../private-bucket';
import { CUR_COLUMNS, CUR_EXPORT_QUERY, CUR_TABLE, ESTIMATES_TABLE, costQueries } from './cost-queries';
import { COST_DATABASE, COST_EXPORT_DELIVERY_RULE, COST_EXPORT_FRESHNESS_ALARM, COST_WORKGROUP } from '../../config/naming';

/** Terraform names of the stateful cost-export resources (pinned by a test, like stacks/logging/stateful.ts). */
export const COST_EXPORT_STATEFUL = { bucket: 'cost_export', key: 'cost_export', export: 'cost_export' } as const;

/**
 * The payer's primary billing view: what an export reads when it names no other view.
 * AWS returns BILLING_VIEW_ARN in the table configuration of every COST_AND_USAGE_REPORT
 * export, set or not (terraform-provider-aws issues 43978 and 48807); an empty string makes
 * CreateExport fail with AccessDenied. ARN format: Service Authorization Reference, billing,
 * resource type billingview (arn:${Partition}:billing::${Account}:billingview/${ResourceId}).
 */
export const primaryBillingViewArn = (partition: string, accountId: string) => `arn:${partition}:billing::${accountId}:billingview/primary`;

/**
 * The table configuration of the export, with every key GetExport returns for
 * COST_AND_USAGE_REPORT (the five table configurations of CUR 2.0 in the Data Exports
 * table dictionary, each with its default where the export does not need another value).
 * table_configurations forces a new export (RequiresReplace in
 * internal/service/bcmdataexports/export.go) and the read stores what the API returns,
 * so a key missing here either fails the create ("new element ... has appeared",
 * issues 42761 for INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY, 43978 and 48807 for
 * BILLING_VIEW_ARN) or replaces the export on the next plan.
 */
export function curTableConfiguration(
  s: Pick<CostExportSettings, 'granularity'>,
  partition: string,
  accountId: string,
): Record<string, string> {
  return {
    TIME_GRANULARITY: s.granularity,
    INCLUDE_RESOURCES: 'TRUE',
    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
    INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE',
    BILLING_VIEW_ARN: primaryBillingViewArn(partition, accountId),
  };
}

/** Hours without a new export object after which the freshness alarm fires. */
export const FRESHNESS_HOURS = 48;

/**
 * The EventBridge pattern of a new export object: S3's "Object Created" event (PutObject,
 * CopyObject, CompleteMultipartUpload; S3 user guide, "Amazon S3 event notifications in
 * EventBridge") for the bucket, under the export's data prefix. An overwritten file is a new
 * object version, so each refresh of an OVERWRITE_REPORT export matches.
 */
export function exportDeliveryPattern(s: Pick<CostExportSettings, 'bucket' | 'dataPrefix'>) {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [s.bucket] }, object: { key: [{ prefix: `${s.dataPrefix}/` }] } },
  };
}

/**
 * The freshness alarm's evaluation: one-hour periods, all of the last FRESHNESS_HOURS without
 * a matched event (missing data is breaching: EventBridge sends no data point for an hour
 * without matches). CloudWatch PutMetricAlarm: Period x EvaluationPeriods at most 604,800 s
 * (7 days), and at most 86,400 s (1 day) when the period is under 3,600 s; 3,600 x 48 = 172,800.
 */
export const FRESHNESS_EVALUATION = { period: 3600, evaluationPeriods: FRESHNESS_HOURS, datapointsToAlarm: FRESHNESS_HOURS } as const;

/** Noncurrent versions: the export overwrites its files every day, so old versions go after this many days. */
export const NONCURRENT_DAYS = 30;

export interface CostExportResourcesProps {
  /** The management account: the export's bucket, key and billing view are its own. */
  readonly target: { partition: string; accountId: string };
  /** costExport, resolved (config/cost-export.ts). */
  readonly settings: CostExportSettings;
  /** Where the freshness alarm goes: the management stack's budget-alert topic. */
  readonly alarmTopic: SnsTopic;
}

/**
 * The CUR 2.0 export of the management account and what reads it:
 * - a bucket (private, ACLs disabled, SSE-KMS with its own key, versioned, TLS only) whose
 *   policy admits only the Data Exports principals acting for this account's exports;
 * - the export: table COST_AND_USAGE_REPORT with resource IDs (INCLUDE_RESOURCES), daily
 *   (or hourly) line items, Parquet, each billing period overwritten in place;
 * - a Glue database with a table over the export (partition projection on BILLING_PERIOD)
 *   and one over the usage report's estimates, an Athena workgroup, and the named queries.
 * Data Exports is served from us-east-1 only, which is the management stack's region.
 */
export class CostExportResources extends Construct {
  constructor(scope: Construct, id: string, props: CostExportResourcesProps) {
    super(scope, id);
    const { accountId, partition } = props.target;
    const s = props.settings;
    const alarmTopicArn = props.alarmTopic.arn;
    const name = COST_EXPORT_STATEFUL.bucket;
    const s3 = (key: string) => `s3://${s.bucket}/${key}`;

    const key = new KmsKey(this, 'key', {
      description: 'Encrypts the CUR 2.0 export of the bill (bedrock-governance)',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(costExportKeyPolicy(accountId)),
      lifecycle: { preventDestroy: true },
    });
    key.overrideLogicalId(COST_EXPORT_STATEFUL.key);
    new KmsAlias(this, 'alias', { name: s.keyAlias, targetKeyId: key.keyId }).overrideLogicalId(name);

    const { bucket, policy, encryption } = privateBucket(this, {
      logicalId: name,
      bucketName: s.bucket,
      keyArn: key.arn,
      policy: JSON.stringify(costExportBucketPolicy({ accountId, bucketName: s.bucket, s3Prefix: s.s3Prefix })),
      lifecycleRule: {
        id: 'cost-export-versions',
        status: 'Enabled',
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_DAYS }],
      },
    });

    // Data Exports checks the bucket policy and the key when the export is created.
    const exp = new BcmdataexportsExport(this, 'export', {
      export: [
        {
          name: s.exportName,
          description: 'CUR 2.0 with resource IDs and tags, for Bedrock cost per tenant (bedrock-governance)',
          dataQuery: [
            {
              queryStatement: CUR_EXPORT_QUERY,
              // Every table configuration, as the API returns them (curTableConfiguration).
              tableConfigurations: { COST_AND_USAGE_REPORT: curTableConfiguration(s, partition, accountId) },
            },
          ],
          destinationConfigurations: [
            {
              s3Destination: [
                {
                  s3Bucket: s.bucket,
                  s3Prefix: s.s3Prefix,
                  s3Region: 'us-east-1',
                  s3OutputConfigurations: [
                    { format: 'PARQUET', compression: 'PARQUET', outputType: 'CUSTOM', overwrite: 'OVERWRITE_REPORT' },
                  ],
                },
              ],
            },
          ],
          // The only cadence Data Exports offers: refreshed as the bill updates, at least daily.
          refreshCadence: [{ frequency: 'SYNCHRONOUS' }],
        },
      ],
      dependsOn: [policy, encryption],
    });
    exp.overrideLogicalId(COST_EXPORT_STATEFUL.export);

    // Delivery is checked, not assumed: the provider reports the export healthy whenever it exists.
    // S3 sends every event of the bucket to EventBridge (the bucket's only notification configuration:
    // PutBucketNotificationConfiguration replaces it whole), a rule on the default bus matches new
    // export objects, and an alarm on the rule's MatchedEvents fires after FRESHNESS_HOURS without one.
    new S3BucketNotification(this, 'notification', { bucket: bucket.bucket, eventbridge: true }).overrideLogicalId(name);
    const rule = new CloudwatchEventRule(this, 'delivery-rule', {
      name: COST_EXPORT_DELIVERY_RULE,
      description: `New objects of the CUR 2.0 export ${s.exportName} under s3://${s.bucket}/${s.dataPrefix}/ (bedrock-governance)`,
      eventPattern: JSON.stringify(exportDeliveryPattern(s)),
      state: 'ENABLED',
    });
    rule.overrideLogicalId('cost_export_delivery');
    new CloudwatchMetricAlarm(this, 'freshness-alarm', {
      alarmName: COST_EXPORT_FRESHNESS_ALARM,
      alarmDescription: `No new object of the CUR 2.0 export ${s.exportName} in s3://${s.bucket}/${s.dataPrefix}/ for ${FRESHNESS_HOURS} hours: check the export's status (aws bcm-data-exports get-export) and the bucket and key policies (docs/cost.md)`,
      // AWS/Events MatchedEvents per rule of the default bus (EventBridge user guide, "Monitoring Amazon EventBridge").
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensions: { RuleName: rule.name },
      statistic: 'Sum',
      ...FRESHNESS_EVALUATION,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'breaching',
      alarmActions: [alarmTopicArn],
      okActions: [alarmTopicArn],
    }).overrideLogicalId('cost_export_freshness');

    const db = new GlueCatalogDatabase(this, 'database', {
      name: COST_DATABASE,
      description: 'CUR 2.0 export and usage-report estimates (bedrock-governance)',
    });
    db.overrideLogicalId('cost');
    new GlueCatalogTable(this, 'cur', {
      databaseName: db.name,
      name: CUR_TABLE,
      description: `CUR 2.0 export ${s.exportName} (Parquet, one folder per billing period)`,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        'projection.enabled': 'true',
        'projection.billing_period.type': 'date',
        'projection.billing_period.format': 'yyyy-MM',
        'projection.billing_period.range': '2024-01,NOW',
        'projection.billing_period.interval': '1',
        'projection.billing_period.interval.unit': 'MONTHS',
        // $${...}: a literal ${billing_period} for Athena, not a Terraform interpolation.
        'storage.location.template': s3(`${s.dataPrefix}/BILLING_PERIOD=$\${billing_period}/`),
      },
      partitionKeys: [{ name: 'billing_period', type: 'string', comment: 'YYYY-MM (the BILLING_PERIOD= folder)' }],
      storageDescriptor: {
        location: s3(`${s.dataPrefix}/`),
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serDeInfo: { name: 'parquet', serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: CUR_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: 'comment' in c ? c.comment : undefined })),
      },
    }).overrideLogicalId('cur');
    new GlueCatalogTable(this, 'estimates', {
      databaseName: db.name,
      name: ESTIMATES_TABLE,
      description:
        'Cost per tenant and day estimated from the invocation logs: npm run usage-report writes cost-per-tenant-per-day.csv; copy it under estimates/',
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', classification: 'csv', 'skip.header.line.count': '1' },
      storageDescriptor: {
        location: s3(`${s.estimatesPrefix}/`),
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: {
          name: 'csv',
          serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          parameters: { 'field.delim': ',', 'serialization.null.format': '' },
        },
        columns: [
          { name: 'day', type: 'date' },
          { name: 'tenant', type: 'string' },
          { name: 'estimated_cost_usd', type: 'double' },
          { name: 'unpriced_records', type: 'bigint' },
        ],
      },
    }).overrideLogicalId('estimates');

    const workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: COST_WORKGROUP,
      description: 'Bedrock cost per tenant from the CUR 2.0 export (bedrock-governance)',
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF_MB * 1024 * 1024,
        resultConfiguration: {
          outputLocation: s3(`${s.resultsPrefix}/`),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: key.arn },
        },
      },
    });
    workgroup.overrideLogicalId('cost');
    for (const q of costQueries({
      database: COST_DATABASE,
      curTable: CUR_TABLE,
      estimatesTable: ESTIMATES_TABLE,
      tenantTagColumn: s.tenantTagColumn,
      days: s.days,
    }))
      new AthenaNamedQuery(this, q.id, {
        name: q.name,
        description: q.description,
        database: db.name,
        workgroup: workgroup.name,
        query: q.query,
      }).overrideLogicalId(q.id);

    new TerraformOutput(scope, 'cost_export_bucket', {
      value: s.bucket,
      description: 'Bucket of the CUR 2.0 export; put usage-report estimates under estimates/',
    });
    new TerraformOutput(scope, 'cost_export_arn', { value: exp.id, description: 'ARN of the CUR 2.0 export' });
  }
}
