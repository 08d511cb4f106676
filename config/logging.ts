/**
 * The logging options of the matrix (settable on the matrix, an account and a
 * region entry; the most specific wins, field by field), their defaults, and the
 * merge of the three levels.
 */
import { z } from 'zod';
import * as rules from './rules';
import { days, retention } from './fields';
import type { LoggingSettings } from './model';
import { DEFAULT_BUCKET_NAME_PREFIX } from './naming';

const Transition = z
  .object({
    days: z.number().int('a whole number of days').min(0, 'at least 0 days'),
    storageClass: z.enum(rules.S3_STORAGE_CLASSES),
  })
  .strict()
  .refine((t) => !['STANDARD_IA', 'ONEZONE_IA'].includes(t.storageClass) || t.days >= 30, {
    message: 'at least 30 days before STANDARD_IA or ONEZONE_IA (an S3 rule)',
    path: ['days'],
  });

export const Lifecycle = z
  .object({
    /** Transitions of current log objects to cheaper storage classes. */
    transitions: z.array(Transition).optional(),
    /** Days after which a current object expires. Unset: logs are kept forever. */
    expirationDays: days.optional(),
    /** Days after which overwritten or deleted versions are removed. */
    noncurrentVersionExpirationDays: days.optional(),
    /** Days after which incomplete multipart uploads are aborted. */
    abortIncompleteMultipartUploadDays: days.optional(),
  })
  .strict();

/** The exact text logging.objectLock.confirmCompliance must hold for mode COMPLIANCE. */
export const COMPLIANCE_CONFIRMATION = 'I understand nobody can shorten this';

/**
 * S3 Object Lock on the log bucket: every log object version is kept for `days`
 * after it is written. GOVERNANCE: only principals with s3:BypassGovernanceRetention
 * (the SCP denies it to all but the deploy and break-glass roles) can shorten it.
 * COMPLIANCE: nobody can, not even the root user, so it takes a written confirmation.
 */
export const ObjectLock = z
  .object({
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
    days: z.number().int('a whole number of days').min(1, 'at least 1 day').max(36500, 'at most 36,500 days (100 years)'),
    confirmCompliance: z
      .string()
      .refine((v) => v === COMPLIANCE_CONFIRMATION, `exactly "${COMPLIANCE_CONFIRMATION}" (only with mode COMPLIANCE)`)
      .optional(),
  })
  .strict();

export const Delivery = z.object({ text: z.boolean(), image: z.boolean(), embedding: z.boolean(), video: z.boolean() }).partial().strict();

/** Logging options: settable at matrix, account and region level; the most specific wins. */
export const LoggingOptions = z
  .object({
    destinations: z
      .array(z.enum(['s3', 'cloudwatch']))
      .min(1, 'at least one destination: "s3", "cloudwatch" or both')
      .refine((d) => new Set(d).size === d.length, 'each destination once'),
    delivery: Delivery,
    s3KeyPrefix: z.string().max(512).regex(rules.S3_KEY_PREFIX, 'an S3 key prefix without leading or trailing "/", e.g. "invocation-logs"'),
    largeDataKeyPrefix: z
      .string()
      .max(512)
      .regex(rules.S3_KEY_PREFIX, 'an S3 key prefix without leading or trailing "/", e.g. "large-data"'),
    logRetentionDays: retention,
    logGroupName: z.string().regex(rules.LOG_GROUP_NAME, 'a log group name of 1-512 characters from [.-_/#A-Za-z0-9]'),
    bucketNamePrefix: z
      .string()
      .max(40, 'a bucket name prefix of at most 40 characters (account ID and region are appended)')
      .regex(rules.BUCKET_NAME_PREFIX, 'a bucket name prefix of lower-case letters, digits and hyphens'),
    lifecycle: Lifecycle,
    /** S3 Object Lock with a default retention on the log bucket (docs/tamper-proofing.md). */
    objectLock: ObjectLock,
    /** Bring your own KMS key (in the stack's account and region) instead of creating one. */
    kmsKeyArn: z.string().regex(rules.KMS_KEY_ARN, 'a KMS key ARN such as arn:aws:kms:us-east-1:111111111111:key/<key-id>'),
  })
  .partial()
  .strict();

export type LoggingOptions = z.infer<typeof LoggingOptions>;
export type Lifecycle = z.infer<typeof Lifecycle>;
export type ObjectLock = z.infer<typeof ObjectLock>;

/** Safe defaults: both destinations, every delivery flag on, logs kept forever in S3 and a year in CloudWatch. */
export const DEFAULT_LOGGING: LoggingSettings = {
  destinations: ['s3', 'cloudwatch'],
  delivery: { text: true, image: true, embedding: true, video: true },
  s3KeyPrefix: 'invocation-logs',
  largeDataKeyPrefix: 'large-data',
  logRetentionDays: 365,
  logGroupName: '/bedrock/model-invocation-logs',
  bucketNamePrefix: DEFAULT_BUCKET_NAME_PREFIX,
  lifecycle: {
    transitions: [{ days: 90, storageClass: 'GLACIER_IR' }],
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
  },
};

/** `over` on top of `base`: delivery and lifecycle merge key by key, lists are replaced. */
export function mergeLogging(base: LoggingSettings, over: LoggingOptions | undefined): LoggingSettings {
  if (!over) return base;
  return {
    ...base,
    ...over,
    delivery: { ...base.delivery, ...over.delivery },
    lifecycle: { ...base.lifecycle, ...over.lifecycle },
  } as LoggingSettings;
}
