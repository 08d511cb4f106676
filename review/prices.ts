/**
 * The price table of the review's cost estimate (review/cost.ts): one entry per price and region
 * where the price differs, each with the date it was read, its source and how sure it is.
 *
 * - `aws-page`: read on the AWS pricing page named in `source`.
 * - `aws-price-list`: AWS's own Price List data (the offer file named in `source`, with AWS's price
 *   description quoted in `note`), read from a public copy of that file, not fetched from AWS here.
 * - `unverified`: the search tool could not show the rate on an AWS page or a copy of the price list;
 *   the figure is what third-party summaries give. Check it before relying on it.
 *
 * A region without its own entry for a price uses the us-east-1 entry, and the report says so
 * (`fallback`). Update an entry by reading its source again and changing `asOf`.
 */

/** How sure an entry is (see the file comment). */
export type Evidence = 'aws-page' | 'aws-price-list' | 'unverified';

export type PriceId =
  | 'kms.key'
  | 'cloudwatch.alarm.standard'
  | 'cloudwatch.alarm.high-resolution'
  | 'cloudwatch.dashboard'
  | 'cloudwatch.metric.custom'
  | 'cloudwatch.logs.ingestion'
  | 'cloudwatch.logs.storage'
  | 'cloudwatch.logs.data-protection'
  | 's3.standard.storage'
  | 'athena.scan'
  | 'budgets.budget';

export interface PriceEntry {
  id: PriceId;
  /** A region code, or "global" where one price holds everywhere. */
  region: string;
  usd: number;
  /** What one `usd` buys. */
  unit: string;
  /** When the figure was read (YYYY-MM-DD). */
  asOf: string;
  source: string;
  evidence: Evidence;
  note?: string;
}

const READ = '2026-12-04';
const CW = 'https://aws.amazon.com/cloudwatch/pricing/';
/** The AWS Price List offer file of CloudWatch in eu-west-1 (publication 2026-09-22), as copied on 2026-10-02. */
const CW_EU_OFFER = 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonCloudWatch/current/eu-west-1/index.json';
const CW_EU_COPY =
  'copied from the offer file in the public repository mamtha4u/SDLC (backend/config/pricing_eu-west-1.json, fetched 2026-10-02)';
const CW_THIRD_PARTY =
  'the official page\'s paid-tier tables did not load in the search tool (it showed the free tier and "Pricing varies by Region"); rate from third-party summaries';

export const PRICE_TABLE: { asOf: string; fallbackRegion: string; entries: PriceEntry[] } = {
  asOf: READ,
  fallbackRegion: 'us-east-1',
  entries: [
    {
      id: 'kms.key',
      region: 'global',
      usd: 1.0,
      unit: 'key-month',
      asOf: READ,
      source: 'https://aws.amazon.com/kms/pricing/',
      evidence: 'aws-page',
      note: '"Each AWS KMS key that you create in KMS costs $1/month", no regional table; with automatic rotation each newly generated backing key adds $1/month (not counted: the first rotation is a year after creation); requests are usage-priced',
    },
    {
      id: 'cloudwatch.alarm.standard',
      region: 'us-east-1',
      usd: 0.1,
      unit: 'alarm metric-month',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY} (c3x.dev, cloudburn.io)`,
    },
    {
      id: 'cloudwatch.alarm.standard',
      region: 'eu-west-1',
      usd: 0.1,
      unit: 'alarm metric-month',
      asOf: READ,
      source: CW_EU_OFFER,
      evidence: 'aws-price-list',
      note: `EU-CW:AlarmMonitorUsage, "$0.10 per alarm metric month (standard resolution) - EU (Ireland)", ${CW_EU_COPY}`,
    },
    {
      id: 'cloudwatch.alarm.high-resolution',
      region: 'us-east-1',
      usd: 0.3,
      unit: 'alarm metric-month',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY} (c3x.dev); an alarm with a period under 60 seconds`,
    },
    {
      id: 'cloudwatch.dashboard',
      region: 'global',
      usd: 3.0,
      unit: 'dashboard-month',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY}; one price everywhere (a public price-list collector notes the dashboard product has location "Any")`,
    },
    {
      id: 'cloudwatch.metric.custom',
      region: 'us-east-1',
      usd: 0.3,
      unit: 'metric-month',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY} (signoz.io: first 10,000 metrics)`,
    },
    {
      id: 'cloudwatch.logs.ingestion',
      region: 'us-east-1',
      usd: 0.5,
      unit: 'GB ingested',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY} (standard log class, custom logs)`,
    },
    {
      id: 'cloudwatch.logs.ingestion',
      region: 'eu-west-1',
      usd: 0.57,
      unit: 'GB ingested',
      asOf: READ,
      source: CW_EU_OFFER,
      evidence: 'aws-price-list',
      note: `EU-DataProcessing-Bytes, "$0.57 per GB custom log data ingested in Standard log class - EU (Ireland)", ${CW_EU_COPY}`,
    },
    {
      id: 'cloudwatch.logs.storage',
      region: 'us-east-1',
      usd: 0.03,
      unit: 'GB-month stored',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: CW_THIRD_PARTY,
    },
    {
      id: 'cloudwatch.logs.storage',
      region: 'eu-west-1',
      usd: 0.03,
      unit: 'GB-month stored',
      asOf: READ,
      source: CW_EU_OFFER,
      evidence: 'aws-price-list',
      note: `EU-TimedStorage-ByteHrs, "$0.03 per GB-mo of log storage - EU (Ireland)", ${CW_EU_COPY}`,
    },
    {
      id: 'cloudwatch.logs.data-protection',
      region: 'us-east-1',
      usd: 0.12,
      unit: 'GB scanned',
      asOf: READ,
      source: CW,
      evidence: 'unverified',
      note: `${CW_THIRD_PARTY} (hykell.com, c3x.dev)`,
    },
    {
      id: 's3.standard.storage',
      region: 'us-east-1',
      usd: 0.023,
      unit: 'GB-month',
      asOf: READ,
      source: 'https://aws.amazon.com/s3/pricing/',
      evidence: 'unverified',
      note: 'S3 Standard, first 50 TB; the official page says prices vary by Region but its tables did not load in the search tool; rate from third-party summaries',
    },
    {
      id: 'athena.scan',
      region: 'us-east-1',
      usd: 5.0,
      unit: 'TB scanned',
      asOf: READ,
      source: 'https://aws.amazon.com/athena/pricing/',
      evidence: 'unverified',
      note: 'SQL queries, 10 MB minimum per query; rate from third-party summaries (athena.guide, Stanford rcpedia), not read on the official page',
    },
    {
      id: 'budgets.budget',
      region: 'global',
      usd: 0,
      unit: 'budget-month',
      asOf: READ,
      source: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSBudgets/current/index.json',
      evidence: 'aws-price-list',
      note: 'BudgetsUsage "$0.00 for Budget-days" (location Any, effective 2020-10-01), copied in the public dataset labofsahil/aws-pricing-dataset (AWSBudgets.csv); action-enabled budgets cost $0.10 a budget-day after 62 free budget-days a month, and the stacks create no budget actions',
    },
  ],
};

/** The entry of a price for a region: its own, the global one, or the fallback region's (`fallback`). */
export function lookupPrice(id: PriceId, region: string): { entry: PriceEntry; fallback: boolean } {
  const of = (r: string) => PRICE_TABLE.entries.find((e) => e.id === id && e.region === r);
  const own = of('global') ?? of(region);
  if (own) return { entry: own, fallback: false };
  const entry = of(PRICE_TABLE.fallbackRegion);
  if (!entry) throw new Error(`review/prices.ts: no ${PRICE_TABLE.fallbackRegion} or global entry for ${id}`);
  return { entry, fallback: true };
}
