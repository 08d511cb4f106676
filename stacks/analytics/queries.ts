/**
 * The usage questions, as Athena (Trino SQL) named queries over the Glue tables
 * and as CloudWatch Logs Insights queries over the log group. Pure functions.
 */
export interface QueryInput {
  database: string;
  table: string;
  rateTable: string;
  /** requestMetadata key that names the tenant. */
  tenantKey: string;
  /** How many days back the Athena queries read (partition projection prunes the rest). */
  days?: number;
}

export interface NamedQuery {
  id: string;
  name: string;
  description: string;
  query: string;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The tenant of a record in Athena: its requestMetadata key, or "untagged". */
export const tenantSql = (tenantKey: string) => `coalesce(nullif(element_at(requestmetadata, ${sqlString(tenantKey)}), ''), 'untagged')`;

/**
 * The partitions of the last `days` days: a bound on `dt` (the yyyy/MM/dd/HH key path,
 * partition projection), so Athena reads only those hours' objects. A query without
 * it reads the whole log history and stops at the workgroup's bytes-scanned cutoff.
 */
export const recentPartitions = (days: number) => `dt >= date_format(current_date - interval '${days}' day, '%Y/%m/%d/00')`;

export function athenaQueries(q: QueryInput): NamedQuery[] {
  const days = q.days ?? 30;
  const from = `"${q.database}"."${q.table}"`;
  const tenant = tenantSql(q.tenantKey);
  const recent = `schematype = 'ModelInvocationLog' AND ${recentPartitions(days)}`;
  const day = `date(from_iso8601_timestamp("timestamp"))`;
  return [
    {
      id: 'tokens_per_tenant_model_day',
      name: 'bedrock-usage: tokens per tenant, model and day',
      description: `Invocations and tokens per tenant (requestMetadata ${q.tenantKey}), model and day, last ${days} days`,
      query: `SELECT ${day} AS day, ${tenant} AS tenant, modelid AS model, count(*) AS invocations,
  sum(input.inputtokencount) AS input_tokens, sum(output.outputtokencount) AS output_tokens
FROM ${from}
WHERE ${recent}
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`,
    },
    {
      id: 'estimated_cost_per_tenant',
      name: 'bedrock-usage: estimated cost per tenant',
      description: `Estimated cost per tenant and model from the rate card table (prices valid on the day of use), last ${days} days; reconcile with CUR`,
      query: `WITH usage AS (
  SELECT ${day} AS day, ${tenant} AS tenant, modelid AS model,
    sum(coalesce(input.inputtokencount, 0)) AS input_tokens, sum(coalesce(output.outputtokencount, 0)) AS output_tokens,
    sum(coalesce(input.cachereadinputtokencount, 0)) AS cache_read_tokens, sum(coalesce(input.cachewriteinputtokencount, 0)) AS cache_write_tokens
  FROM ${from}
  WHERE ${recent}
  GROUP BY 1, 2, 3)
SELECT u.tenant, coalesce(r.model_alias, u.model) AS model, sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
  round(sum((u.input_tokens * r.input_per_million + u.output_tokens * r.output_per_million
    + u.cache_read_tokens * r.cache_read_per_million + u.cache_write_tokens * r.cache_write_per_million) / 1e6), 4) AS estimated_cost_usd,
  count_if(r.model_id IS NULL) AS days_without_rate
FROM usage u
LEFT JOIN "${q.database}"."${q.rateTable}" r
  ON r.model_id = u.model AND u.day >= r.valid_from AND (r.valid_to IS NULL OR u.day < r.valid_to)
GROUP BY 1, 2
ORDER BY estimated_cost_usd DESC NULLS LAST`,
    },
    {
      id: 'top_users_per_tenant',
      name: 'bedrock-usage: top users per tenant',
      description: `The 10 users (requestMetadata userId) with the most tokens in each tenant, last ${days} days`,
      query: `SELECT tenant, user_id, tokens, invocations FROM (
  SELECT ${tenant} AS tenant, coalesce(element_at(requestmetadata, 'userId'), '(none)') AS user_id,
    sum(coalesce(input.inputtokencount, 0) + coalesce(output.outputtokencount, 0)) AS tokens, count(*) AS invocations,
    row_number() OVER (PARTITION BY ${tenant} ORDER BY sum(coalesce(input.inputtokencount, 0) + coalesce(output.outputtokencount, 0)) DESC) AS rank
  FROM ${from}
  WHERE ${recent}
  GROUP BY 1, 2)
WHERE rank <= 10
ORDER BY tenant, tokens DESC`,
    },
    {
      id: 'errors_and_throttles_per_tenant',
      name: 'bedrock-usage: errors and throttles per tenant',
      description: `Failed invocations per tenant, model and error code, with throttles counted apart, last ${days} days`,
      query: `SELECT ${tenant} AS tenant, modelid AS model, count(*) AS invocations, count(errorcode) AS errors,
  count_if(errorcode LIKE '%Throttl%') AS throttles, round(100.0 * count(errorcode) / count(*), 2) AS error_rate_pct,
  array_agg(DISTINCT errorcode) FILTER (WHERE errorcode IS NOT NULL) AS error_codes
FROM ${from}
WHERE ${recent}
GROUP BY 1, 2
ORDER BY errors DESC`,
    },
    {
      id: 'cache_token_use',
      name: 'bedrock-usage: prompt cache use',
      description: `Cache-read and cache-write tokens per tenant and model, and the share of input served from cache, last ${days} days`,
      query: `SELECT ${tenant} AS tenant, modelid AS model, sum(input.inputtokencount) AS input_tokens,
  sum(input.cachereadinputtokencount) AS cache_read_tokens, sum(input.cachewriteinputtokencount) AS cache_write_tokens,
  round(100.0 * sum(input.cachereadinputtokencount) / nullif(sum(input.inputtokencount) + sum(input.cachereadinputtokencount), 0), 2) AS cache_read_pct
FROM ${from}
WHERE ${recent}
GROUP BY 1, 2
ORDER BY cache_read_tokens DESC`,
    },
  ];
}

/** Logs Insights versions of the same questions (cost needs the rate card: Athena only). */
export function insightsQueries(tenantKey: string): NamedQuery[] {
  const tenant = `requestMetadata.${tenantKey}`;
  const base = 'filter schemaType = "ModelInvocationLog"';
  return [
    {
      id: 'tokens_per_tenant_model_day',
      name: 'bedrock-usage/tokens per tenant, model and day',
      description: '',
      query: `${base}\n| stats count(*) as invocations, sum(input.inputTokenCount) as input_tokens, sum(output.outputTokenCount) as output_tokens by bin(1d) as day, ${tenant} as tenant, modelId\n| sort day desc`,
    },
    {
      id: 'top_users_per_tenant',
      name: 'bedrock-usage/top users per tenant',
      description: '',
      query: `${base}\n| fields coalesce(input.inputTokenCount, 0) + coalesce(output.outputTokenCount, 0) as tokens\n| stats sum(tokens) as total_tokens, count(*) as invocations by ${tenant} as tenant, requestMetadata.userId as user\n| sort total_tokens desc\n| limit 100`,
    },
    {
      id: 'errors_and_throttles_per_tenant',
      name: 'bedrock-usage/errors and throttles per tenant',
      description: '',
      query: `${base}\n| filter ispresent(errorCode)\n| stats count(*) as errors by ${tenant} as tenant, modelId, errorCode\n| sort errors desc`,
    },
    {
      id: 'cache_token_use',
      name: 'bedrock-usage/prompt cache use',
      description: '',
      query: `${base}\n| stats sum(input.inputTokenCount) as input_tokens, sum(input.cacheReadInputTokenCount) as cache_read_tokens, sum(input.cacheWriteInputTokenCount) as cache_write_tokens by ${tenant} as tenant, modelId\n| sort cache_read_tokens desc`,
    },
    {
      id: 'untagged_invocations',
      name: 'bedrock-usage/invocations without a tenant',
      description: '',
      query: `${base}\n| filter not ispresent(${tenant})\n| stats count(*) as invocations, sum(input.inputTokenCount) as input_tokens by identity.arn, modelId\n| sort invocations desc`,
    },
  ];
}
