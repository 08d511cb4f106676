/**
 * The offline reconciliation of billed against estimated cost per tenant and day:
 * CUR 2.0 Parquet files (a copy of the management stack's export, costExport) read
 * with DuckDB, against the usage report's estimates from the invocation logs. The
 * same question as the Athena query billed_vs_estimated_per_tenant_day
 * (stacks/management/cost-queries.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DailyCostRow } from './usage-report';

export class CurError extends Error {}

export interface ReconciliationRow {
  day: string;
  tenant: string;
  billedUsd: number;
  estimatedUsd: number;
  differenceUsd: number;
  /** (billed - estimated) / estimated, in percent; undefined without an estimate. */
  differencePct?: number;
}

export interface BilledDay {
  day: string;
  billedUsd: number;
  untaggedUsd: number;
  /** Untagged share of the day's billed Bedrock cost, in percent. */
  untaggedSharePct: number;
}

export interface Reconciliation {
  files: number;
  /** Bedrock usage line items read. */
  lineItems: number;
  rows: ReconciliationRow[];
  days: BilledDay[];
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const round = (v: number, digits = 6) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Reads every *.parquet file under `curDir` (the export's data/BILLING_PERIOD=YYYY-MM/
 * folders, or any copy of them), keeps Bedrock usage line items (product
 * AmazonBedrock or a Bedrock resource ARN, line item type Usage), and compares
 * their unblended cost per tenant tag and day with the estimates.
 */
export async function reconcile(input: { cur: string; estimates: DailyCostRow[]; tenantTagColumn?: string }): Promise<Reconciliation> {
  const dir = path.resolve(input.cur);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new CurError(`--cur ${input.cur}: expected a directory holding a copy of the CUR 2.0 export (its *.parquet files)`);
  const glob = path.join(dir, '**', '*.parquet');
  const tag = input.tenantTagColumn ?? 'user_tenant';
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const files = Number((await c.runAndReadAll(`SELECT count(*) FROM glob(${sqlString(glob)})`)).getRows()[0][0]);
    if (!files)
      throw new CurError(`--cur ${input.cur}: no *.parquet files under it (expected a copy of s3://<bucket>/<prefix>/<export>/data/)`);
    try {
      await c.run(`CREATE TABLE billed AS
        SELECT CAST(line_item_usage_start_date AS DATE) AS day,
               coalesce(nullif(resource_tags[${sqlString(tag)}], ''), 'untagged') AS tenant,
               sum(line_item_unblended_cost) AS billed_usd, count(*) AS line_items
        FROM read_parquet(${sqlString(glob)}, union_by_name = true, hive_partitioning = false)
        WHERE line_item_line_item_type = 'Usage'
          AND (line_item_product_code = 'AmazonBedrock' OR line_item_resource_id LIKE 'arn:%:bedrock:%')
        GROUP BY ALL`);
    } catch (e) {
      throw new CurError(
        `--cur ${input.cur}: the Parquet files lack a CUR 2.0 column the reconciliation needs (line_item_usage_start_date, line_item_line_item_type, line_item_product_code, line_item_resource_id, line_item_unblended_cost, resource_tags): ${(e as Error).message.split('\n')[0]}`,
      );
    }
    await c.run(`CREATE TABLE estimated (day DATE, tenant VARCHAR, estimated_usd DOUBLE)`);
    if (input.estimates.length)
      await c.run(
        `INSERT INTO estimated VALUES ${input.estimates.map((e) => `(DATE ${sqlString(e.day)}, ${sqlString(e.tenant)}, ${e.estimatedCostUsd})`).join(', ')}`,
      );
    const rows = (
      await c.runAndReadAll(`
      WITH b AS (SELECT day, tenant, sum(billed_usd) AS billed_usd FROM billed GROUP BY ALL),
           e AS (SELECT day, tenant, sum(estimated_usd) AS estimated_usd FROM estimated GROUP BY ALL)
      SELECT strftime(coalesce(b.day, e.day), '%Y-%m-%d'), coalesce(b.tenant, e.tenant), coalesce(b.billed_usd, 0), coalesce(e.estimated_usd, 0)
      FROM b FULL OUTER JOIN e ON b.day = e.day AND b.tenant = e.tenant
      ORDER BY 1, 2`)
    ).getRows();
    const days = (
      await c.runAndReadAll(
        `SELECT strftime(day, '%Y-%m-%d'), sum(billed_usd), coalesce(sum(billed_usd) FILTER (WHERE tenant = 'untagged'), 0) FROM billed GROUP BY day ORDER BY day`,
      )
    ).getRows();
    const lineItems = Number((await c.runAndReadAll(`SELECT coalesce(sum(line_items), 0) FROM billed`)).getRows()[0][0]);
    return {
      files,
      lineItems,
      rows: rows.map(([day, tenant, billed, estimated]) => {
        const [b, e] = [Number(billed), Number(estimated)];
        return {
          day: String(day),
          tenant: String(tenant),
          billedUsd: round(b),
          estimatedUsd: round(e),
          differenceUsd: round(b - e),
          ...(e ? { differencePct: round((100 * (b - e)) / e, 2) } : {}),
        };
      }),
      days: days.map(([day, billed, untagged]) => ({
        day: String(day),
        billedUsd: round(Number(billed)),
        untaggedUsd: round(Number(untagged)),
        untaggedSharePct: Number(billed) ? round((100 * Number(untagged)) / Number(billed), 2) : 0,
      })),
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

const money = (v: number) => v.toFixed(2);

/** The reconciliation as the CLI prints it: per tenant and day, then the untagged share per day. */
export function formatReconciliation(r: Reconciliation): string {
  const head = ['day', 'tenant', 'billed USD', 'estimated USD', 'difference USD', 'difference %'];
  const body = r.rows.map((x) => [
    x.day,
    x.tenant,
    money(x.billedUsd),
    money(x.estimatedUsd),
    money(x.differenceUsd),
    x.differencePct === undefined ? '-' : x.differencePct.toFixed(2),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const table = all
    .map((row) =>
      row
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const days = r.days
    .map((d) => `  ${d.day}  billed ${money(d.billedUsd)} USD, untagged ${money(d.untaggedUsd)} USD (${d.untaggedSharePct.toFixed(2)} %)`)
    .join('\n');
  return `${table}\n\nUntagged share of billed Bedrock cost per day:\n${days}`;
}

export function reconciliationCsv(r: Reconciliation): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const share = new Map(r.days.map((d) => [d.day, d.untaggedSharePct]));
  return (
    [
      'day,tenant,billed_usd,estimated_usd,difference_usd,difference_pct,untagged_share_pct',
      ...r.rows.map((x) =>
        [x.day, q(x.tenant), x.billedUsd, x.estimatedUsd, x.differenceUsd, x.differencePct ?? '', share.get(x.day) ?? ''].join(','),
      ),
    ].join('\n') + '\n'
  );
}
