/**
 * The matrix key `costExport`: a CUR 2.0 export (AWS Data Exports) of the
 * management account's bill to a hardened bucket, a Glue table over it, and
 * Athena queries of billed Bedrock cost per tenant tag, per profile, and its
 * reconciliation with the cost estimated from the invocation logs.
 */
import { COST_EXPORT_KEY_ALIAS, DEFAULT_COST_EXPORT_BUCKET_PREFIX, DEFAULT_COST_EXPORT_NAME } from './naming';
import { z } from 'zod';
import type { MatrixIssue } from './errors';
import * as rules from './rules';

export const CostExport = z
  .object({
    /** Bucket name prefix; the account ID is appended. Default "bedrock-cost-export". */
    bucketNamePrefix: z
      .string()
      .max(50, 'a bucket name prefix of at most 50 characters (the account ID is appended)')
      .regex(rules.BUCKET_NAME_PREFIX, 'a bucket name prefix of lower-case letters, digits and hyphens')
      .optional(),
    /** Key prefix of the export in the bucket. Default "cur2". */
    s3Prefix: z
      .string()
      .min(1)
      .max(256)
      .regex(rules.S3_KEY_PREFIX, 'an S3 key prefix without leading or trailing "/", e.g. "cur2"')
      .optional(),
    /** Export name (Data Exports: 1-128 characters of [0-9A-Za-z!-_.*'()]). Default "bedrock-cost". */
    exportName: z
      .string()
      .regex(/^[0-9A-Za-z!\-_.*'()]{1,128}$/, "an export name of 1-128 characters from [0-9A-Za-z!-_.*'()]")
      .optional(),
    /** Line items per day or per hour (TIME_GRANULARITY). The reconciliation is per day, so MONTHLY is not offered. Default DAILY. */
    granularity: z
      .string()
      .refine(
        (g): g is 'DAILY' | 'HOURLY' => g === 'DAILY' || g === 'HOURLY',
        'DAILY or HOURLY (the reconciliation is per day, so not MONTHLY)',
      )
      .optional(),
    /**
     * The key of the tenant tag in the CUR 2.0 `resource_tags` map. Default: "user_" and the
     * tenant cost-allocation tag key with every character other than a letter or digit
     * as "_", lower-cased ("tenant" -> "user_tenant", "cost-center" -> "user_cost_center").
     */
    tenantTagColumn: z
      .string()
      .regex(/^[a-z0-9_:]{1,256}$/, 'a resource_tags key such as user_tenant')
      .optional(),
    /** Days back the Athena queries read (they also bound the billing_period partition). Default 62. */
    days: z.number().int().min(1, 'at least 1 day').max(400, 'at most 400 days').optional(),
  })
  .strict();

export type CostExportInput = z.infer<typeof CostExport>;

export interface CostExportSettings {
  bucket: string;
  keyAlias: string;
  s3Prefix: string;
  exportName: string;
  granularity: 'DAILY' | 'HOURLY';
  tenantTagColumn: string;
  days: number;
  /** Where the export writes its Parquet files: <s3Prefix>/<exportName>/data/BILLING_PERIOD=YYYY-MM/. */
  dataPrefix: string;
  /** Where the usage report's per-tenant, per-day estimates go for the reconciliation (CSV). */
  estimatesPrefix: string;
  resultsPrefix: string;
}

/**
 * The resource_tags key of a cost-allocation tag: "user_" and the key lower-cased,
 * every character other than a letter or digit as "_". The CUR 2.0 column reference
 * (table-dictionary-cur2-resource-tags) says only activated keys appear in the map;
 * the "user_" form is what CUR 2.0 queries in public use show
 * (resource_tags['user_cost_center'], resource_tags['user_karpenter_sh_nodepool']).
 * Unusual keys (camelCase, non-ASCII) may map differently: costExport.tenantTagColumn overrides it.
 */
export const resourceTagsKey = (tagKey: string) => `user_${tagKey.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;

export function resolveCostExport(
  input: CostExportInput,
  accountId: string,
  tenantTagKey: string,
): { settings: CostExportSettings; issues: MatrixIssue[] } {
  const bucket = `${input.bucketNamePrefix ?? DEFAULT_COST_EXPORT_BUCKET_PREFIX}-${accountId}`;
  const s3Prefix = input.s3Prefix ?? 'cur2';
  const exportName = input.exportName ?? DEFAULT_COST_EXPORT_NAME;
  const issues: MatrixIssue[] = [];
  if (!rules.BUCKET_NAME.test(bucket))
    issues.push({
      path: 'costExport.bucketNamePrefix',
      value: input.bucketNamePrefix,
      allowed: 'a prefix that with "-<account>" makes a bucket name of at most 63 characters',
    });
  return {
    issues,
    settings: {
      bucket,
      keyAlias: COST_EXPORT_KEY_ALIAS,
      s3Prefix,
      exportName,
      granularity: (input.granularity as 'DAILY' | 'HOURLY' | undefined) ?? 'DAILY',
      tenantTagColumn: input.tenantTagColumn ?? resourceTagsKey(tenantTagKey),
      days: input.days ?? 62,
      dataPrefix: `${s3Prefix}/${exportName}/data`,
      estimatesPrefix: 'estimates',
      resultsPrefix: 'athena-results',
    },
  };
}
