/**
 * The usage-analytics and monitoring options of the matrix (`analytics`, `rateCard`)
 * and their resolution per stack. Every part is on by default; `false` switches it off.
 */
import { z } from 'zod';

/** requestMetadata keys: 1-256 characters of [a-zA-Z0-9\s:_@$#=/+,-.] (the Converse API's rule). */
const metadataKey = z
  .string()
  .regex(/^[a-zA-Z0-9\s:_@$#=/+,.-]{1,256}$/, 'a requestMetadata key of 1-256 characters from [a-zA-Z0-9 :_@$#=/+,-.]')
  .refine(
    (k) => !/user/i.test(k),
    'a key that does not name a user: a metric dimension per user exceeds the 1,000-values-per-hour limit and disables the filter',
  );

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const PRICE = 'a price in US dollars per million tokens (a number >= 0)';
const price = z.number({ invalid_type_error: PRICE }).min(0, PRICE);
/** The prices of one model and period, shared by the matrix rate card and the usage report's rate file. */
const prices = {
  inputPerMillionUsd: price,
  outputPerMillionUsd: price,
  cacheReadPerMillionUsd: price.optional(),
  cacheWritePerMillionUsd: price.optional(),
};
/** The placeholders of analytics.alarms.topicArn, each replaced by the stack's value. */
export const ALARM_TOPIC_PLACEHOLDERS = ['partition', 'region', 'accountId', 'accountName', 'environment'] as const;
const placeholder = `\\{(?:${ALARM_TOPIC_PLACEHOLDERS.join('|')})\\}`;
/** An SNS topic ARN (topic names: 1-256 letters, digits, "-" and "_"), where placeholders may stand for any part. */
const ALARM_TOPIC_PATTERN = new RegExp(
  `^arn:(?:aws|aws-cn|aws-us-gov|${placeholder}):sns:(?:[a-z0-9-]+|${placeholder}):(?:\\d{12}|${placeholder}):(?:[A-Za-z0-9_-]|${placeholder})+$`,
);
/** A resolved topic ARN. */
export const SNS_TOPIC_ARN = /^arn:(aws|aws-cn|aws-us-gov):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;
const ALARM_TOPIC_HELP = `an SNS topic ARN, or a pattern with ${ALARM_TOPIC_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} for each stack's, e.g. arn:{partition}:sns:{region}:123456789012:bedrock-alarms-{environment}`;
/** Query results are working files: kept days, not years. */
export const DEFAULT_RESULTS_EXPIRATION_DAYS = 7;
export const MAX_RESULTS_EXPIRATION_DAYS = 365;
const RESULTS_DAYS = `a whole number of days from 1 to ${MAX_RESULTS_EXPIRATION_DAYS} after which Athena query results expire`;
const emails = z.array(z.string().email('an e-mail address')).max(10, 'at most 10 e-mail addresses');

/** Data identifiers of CloudWatch Logs data protection, e.g. EmailAddress, IpAddress, AwsSecretKey. */
const dataIdentifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{1,63}$/, 'a CloudWatch Logs managed data identifier such as EmailAddress, IpAddress or AwsSecretKey');

export const Analytics = z
  .object({
    /** Athena over the S3 logs (stacks with the S3 destination). */
    athena: z
      .union([
        z.boolean(),
        z
          .object({
            bytesScannedCutoffMb: z.number().int().min(10, 'at least 10 MB (an Athena limit)').optional(),
            /** Days after which a query result in the results bucket expires (docs/athena-results.md). */
            resultsExpirationDays: z
              .number({ invalid_type_error: RESULTS_DAYS })
              .int(RESULTS_DAYS)
              .min(1, RESULTS_DAYS)
              .max(MAX_RESULTS_EXPIRATION_DAYS, RESULTS_DAYS)
              .optional(),
          })
          .strict(),
      ])
      .optional(),
    /** The requestMetadata key that names the tenant. */
    tenantKey: metadataKey.optional(),
    /** One more requestMetadata key as a metric dimension (Tenant and ModelId are the other two of at most three). */
    extraDimension: metadataKey.optional(),
    /** Metric filters for tokens per tenant (stacks with the CloudWatch destination). */
    metricFilters: z.boolean().optional(),
    /** Logs Insights saved queries (CloudWatch destination). */
    savedQueries: z.boolean().optional(),
    dashboard: z.boolean().optional(),
    alarms: z
      .union([
        z.boolean(),
        z
          .object({
            emails: emails.optional(),
            /**
             * An existing SNS topic for every alarm of every stack, instead of a topic and e-mail
             * subscriptions per stack (docs/alarms.md). A topic ARN, or a pattern with the
             * placeholders of ALARM_TOPIC_PLACEHOLDERS, resolved per stack.
             */
            topicArn: z.string().regex(ALARM_TOPIC_PATTERN, ALARM_TOPIC_HELP).optional(),
            latencyP99Ms: z.number().int().positive('a latency SLO in milliseconds').optional(),
            serverErrorsPer5Min: z.number().int().min(0).optional(),
            throttlesPer5Min: z.number().int().min(0).optional(),
            /** Tenant ID -> input + output tokens per day above which an alarm fires. */
            tenantDailyTokens: z.record(z.string(), z.number().int().positive('a positive number of tokens per day')).optional(),
          })
          .strict(),
      ])
      .optional(),
    /** CloudWatch Logs data protection on the invocation log group (CloudWatch destination). */
    piiMasking: z
      .union([z.boolean(), z.object({ dataIdentifiers: z.array(dataIdentifier).min(1, 'at least one data identifier') }).strict()])
      .optional(),
    /** An Athena data source and dataset in QuickSight, shared with this principal (needs Athena). */
    quicksight: z
      .object({
        principalArn: z
          .string()
          .regex(
            /^arn:(aws[a-z-]*|\{partition\}):quicksight:[a-z0-9-]+:(\d{12}|\{accountId\}):(user|group)\/.+$/,
            "a QuickSight user or group ARN; {accountId} and {partition} stand for each stack's, e.g. arn:{partition}:quicksight:us-east-1:{accountId}:group/default/finops",
          ),
      })
      .strict()
      .optional(),
  })
  .strict();

export const RateCardEntry = z
  .object({
    model: z.string().min(1),
    ...prices,
    validFrom: day,
    validTo: day.optional(),
  })
  .strict()
  .refine((r) => !r.validTo || r.validTo > r.validFrom, { message: 'a validTo after validFrom', path: ['validTo'] });

/**
 * A rate in the usage report's rate file (npm run usage-report -- --rates): it
 * applies to records whose modelId contains `match` (a model ID, a profile ID or
 * an ARN; the longest match wins), from validFrom (inclusive) to validTo (exclusive).
 */
export const UsageRate = z.object({
  match: z.string().min(1, 'a non-empty model ID, profile ID or ARN fragment'),
  ...prices,
  validFrom: day.optional(),
  validTo: day.optional(),
});

export type Analytics = z.infer<typeof Analytics>;
export type RateCardEntry = z.infer<typeof RateCardEntry>;

export const DEFAULT_LATENCY_P99_MS = 20_000;
export const DEFAULT_PII_IDENTIFIERS = ['EmailAddress'];
export const DEFAULT_BYTES_SCANNED_CUTOFF_MB = 10_240;

export interface AnalyticsSettings {
  tenantKey: string;
  extraDimension?: string;
  athena?: { bytesScannedCutoff: number; resultsExpirationDays: number };
  metricFilters: boolean;
  savedQueries: boolean;
  dashboard: boolean;
  /** topicArn: the existing topic the alarms notify (resolved for this stack); unset: the stack's own topic, with `emails` subscribed. */
  alarms?: {
    emails: string[];
    topicArn?: string;
    latencyP99Ms: number;
    serverErrorsPer5Min: number;
    throttlesPer5Min: number;
    tenantDailyTokens: Record<string, number>;
  };
  piiMasking?: { dataIdentifiers: string[] };
  quicksight?: { principalArn: string };
  rateCard: RateCardEntry[];
}

/** The analytics of one stack: what the matrix switched on, limited to what its destinations allow. */
/** What the placeholders of analytics.alarms.topicArn stand for in one stack. */
export type AlarmTopicFields = Record<(typeof ALARM_TOPIC_PLACEHOLDERS)[number], string>;

/** analytics.alarms.topicArn for one stack: every placeholder replaced by the stack's value. */
export const resolveAlarmTopic = (pattern: string, stack: AlarmTopicFields) =>
  pattern.replace(/\{(\w+)\}/g, (m, k: string) => (k in stack ? stack[k as keyof AlarmTopicFields] : m));

export function resolveAnalytics(
  a: Analytics | undefined,
  rateCard: RateCardEntry[] | undefined,
  destinations: string[],
  stack: AlarmTopicFields,
): AnalyticsSettings {
  const on = <T>(v: boolean | T | undefined): v is T | true | undefined => v !== false;
  const obj = <T extends object>(v: boolean | T | undefined): Partial<T> => (typeof v === 'object' ? v : {});
  const s3 = destinations.includes('s3');
  const cw = destinations.includes('cloudwatch');
  const alarms = obj(a?.alarms);
  return {
    tenantKey: a?.tenantKey ?? 'tenantId',
    extraDimension: a?.extraDimension,
    athena:
      s3 && on(a?.athena)
        ? {
            bytesScannedCutoff: (obj(a?.athena).bytesScannedCutoffMb ?? DEFAULT_BYTES_SCANNED_CUTOFF_MB) * 1024 * 1024,
            resultsExpirationDays: obj(a?.athena).resultsExpirationDays ?? DEFAULT_RESULTS_EXPIRATION_DAYS,
          }
        : undefined,
    metricFilters: cw && a?.metricFilters !== false,
    savedQueries: cw && a?.savedQueries !== false,
    dashboard: a?.dashboard !== false,
    alarms: on(a?.alarms)
      ? {
          emails: alarms.emails ?? [],
          ...(alarms.topicArn ? { topicArn: resolveAlarmTopic(alarms.topicArn, stack) } : {}),
          latencyP99Ms: alarms.latencyP99Ms ?? DEFAULT_LATENCY_P99_MS,
          serverErrorsPer5Min: alarms.serverErrorsPer5Min ?? 5,
          throttlesPer5Min: alarms.throttlesPer5Min ?? 10,
          tenantDailyTokens: alarms.tenantDailyTokens ?? {},
        }
      : undefined,
    piiMasking: cw && on(a?.piiMasking) ? { dataIdentifiers: obj(a?.piiMasking).dataIdentifiers ?? DEFAULT_PII_IDENTIFIERS } : undefined,
    quicksight:
      s3 && on(a?.athena) && a?.quicksight
        ? { principalArn: a.quicksight.principalArn.replace('{accountId}', stack.accountId).replace('{partition}', stack.partition) }
        : undefined,
    rateCard: rateCard ?? [],
  };
}
