/**
 * The billed-cost questions over the CUR 2.0 export, as Athena (Trino SQL) named
 * queries in the management account. Pure functions.
 */
import type { NamedQuery } from '../analytics/queries';

export const CUR_TABLE = 'cur';
export const ESTIMATES_TABLE = 'estimates';

/**
 * The CUR 2.0 columns the export selects (AWS Data Exports, table dictionary of
 * COST_AND_USAGE_REPORT), with their Glue types. line_item_resource_id exists only
 * with the INCLUDE_RESOURCES table configuration.
 */
export const CUR_COLUMNS = [
  { name: 'bill_billing_period_start_date', type: 'timestamp' },
  { name: 'line_item_usage_start_date', type: 'timestamp', comment: 'usage date (UTC)' },
  { name: 'line_item_usage_account_id', type: 'string' },
  { name: 'line_item_line_item_type', type: 'string', comment: 'Usage, Tax, Credit, ...' },
  { name: 'line_item_product_code', type: 'string', comment: 'the product, AmazonBedrock for Bedrock' },
  { name: 'line_item_usage_type', type: 'string', comment: 'e.g. USE1-Claude3Haiku-input-tokens' },
  { name: 'line_item_operation', type: 'string' },
  { name: 'line_item_resource_id', type: 'string', comment: 'the application inference profile ARN for calls through a profile' },
  { name: 'line_item_usage_amount', type: 'double' },
  { name: 'line_item_unblended_cost', type: 'double' },
  { name: 'resource_tags', type: 'map<string,string>', comment: 'activated cost-allocation tags, user_<key>' },
] as const;

/** The query of the export (Data Exports SQL over COST_AND_USAGE_REPORT). */
export const CUR_EXPORT_QUERY = `SELECT ${CUR_COLUMNS.map((c) => c.name).join(', ')} FROM COST_AND_USAGE_REPORT`;

export interface CostQueryInput {
  database: string;
  curTable: string;
  estimatesTable: string;
  /** resource_tags key of the tenant tag, e.g. user_tenant. */
  tenantTagColumn: string;
  days: number;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Bedrock usage line items of the last `days` days; the billing_period bound prunes the partitions (months) read. */
export const bedrockUsage = (days: number) =>
  `billing_period >= date_format(current_date - interval '${days}' day, '%Y-%m')
  AND line_item_usage_start_date >= current_date - interval '${days}' day
  AND line_item_line_item_type = 'Usage'
  AND (line_item_product_code = 'AmazonBedrock' OR line_item_resource_id LIKE 'arn:%:bedrock:%')`;

export function costQueries(q: CostQueryInput): NamedQuery[] {
  const cur = `"${q.database}"."${q.curTable}"`;
  const estimates = `"${q.database}"."${q.estimatesTable}"`;
  const tenant = `coalesce(nullif(element_at(resource_tags, ${sqlString(q.tenantTagColumn)}), ''), 'untagged')`;
  const where = bedrockUsage(q.days);
  const billedPerTenantDay = `SELECT date(line_item_usage_start_date) AS day, ${tenant} AS tenant, sum(line_item_unblended_cost) AS billed_usd
FROM ${cur}
WHERE ${where}
GROUP BY 1, 2`;
  return [
    {
      id: 'billed_cost_per_tenant_day',
      name: 'bedrock-cost: billed cost per tenant and day',
      description: `Billed (unblended) Bedrock usage cost per tenant tag (resource_tags ${q.tenantTagColumn}) and day, last ${q.days} days, from the CUR 2.0 export`,
      query: `${billedPerTenantDay}
ORDER BY 1, 2`,
    },
    {
      id: 'billed_cost_per_profile',
      name: 'bedrock-cost: billed cost per profile and day',
      description: `Billed (unblended) Bedrock usage cost per resource (the application inference profile ARN), tenant tag, usage type and day, last ${q.days} days`,
      query: `SELECT date(line_item_usage_start_date) AS day, line_item_resource_id AS profile_arn, ${tenant} AS tenant,
  line_item_usage_type AS usage_type, sum(line_item_usage_amount) AS usage_amount, sum(line_item_unblended_cost) AS billed_usd
FROM ${cur}
WHERE ${where}
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 4`,
    },
    {
      id: 'billed_vs_estimated_per_tenant_day',
      name: 'bedrock-cost: billed vs estimated per tenant and day',
      description: `Billed cost (CUR 2.0) against the cost estimated from the invocation logs (usage-report cost-per-tenant-per-day.csv under estimates/), per tenant and day, with the difference and the untagged share of the day's billed cost; last ${q.days} days`,
      query: `WITH billed AS (
${billedPerTenantDay}),
day_total AS (
  SELECT day, sum(billed_usd) AS total_usd, coalesce(sum(billed_usd) FILTER (WHERE tenant = 'untagged'), 0) AS untagged_usd FROM billed GROUP BY day),
estimated AS (
  SELECT day, tenant, sum(estimated_cost_usd) AS estimated_usd FROM ${estimates}
  WHERE day >= current_date - interval '${q.days}' day
  GROUP BY 1, 2)
SELECT coalesce(b.day, e.day) AS day, coalesce(b.tenant, e.tenant) AS tenant,
  round(coalesce(b.billed_usd, 0), 6) AS billed_usd, round(coalesce(e.estimated_usd, 0), 6) AS estimated_usd,
  round(coalesce(b.billed_usd, 0) - coalesce(e.estimated_usd, 0), 6) AS difference_usd,
  round(100 * (coalesce(b.billed_usd, 0) - coalesce(e.estimated_usd, 0)) / nullif(e.estimated_usd, 0), 2) AS difference_pct,
  round(100 * t.untagged_usd / nullif(t.total_usd, 0), 2) AS untagged_share_pct
FROM billed b
FULL OUTER JOIN estimated e ON b.day = e.day AND b.tenant = e.tenant
LEFT JOIN day_total t ON t.day = coalesce(b.day, e.day)
ORDER BY 1, 2`,
    },
  ];
}
