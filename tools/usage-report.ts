/**
 * npm run usage-report -- --logs <dir> [--rates <file>] [--out <dir>] [--tenant-key <key>]
 *
 * Per-tenant Bedrock usage from a local copy of the invocation logs in S3 (for
 * example `aws s3 sync s3://<bucket>/<prefix>/AWSLogs ./logs`): the real key layout,
 * gzipped JSON-lines files. DuckDB reads them with a glob and aggregates in SQL, so
 * the size of the input only costs time, never memory in this process. Prints
 * per-tenant and per-model token totals and estimated cost, and writes
 * usage.csv, usage.json and tokens-per-tenant-per-day.svg to --out.
 *
 * The tenant is requestMetadata[<tenant-key>] (default tenantId); records without
 * it are reported as "untagged". Lines that are not JSON records (the plain-text
 * permission check) are skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { UsageRate } from '../config/analytics';
import { fromZod, show } from '../config/errors';
import { cliOptions, usageError } from './args';

export type Rate = z.infer<typeof UsageRate>;

export interface UsageRow {
  tenant: string;
  modelId: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  errors: number;
  throttles: number;
  /** Undefined when no rate applies to some of the model's records. */
  estimatedCostUsd?: number;
}

export interface DailyRow {
  day: string;
  tenant: string;
  tokens: number;
}

export interface UsageReport {
  rows: UsageRow[];
  daily: DailyRow[];
  files: number;
  records: number;
}

export class UsageReportError extends Error {}

/** Reads and checks a rate card file (JSON: a list of rates, config/analytics.ts UsageRate). */
export function loadRates(file: string): Rate[] {
  let rates: unknown;
  try {
    rates = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageReportError(`--rates ${file}: expected a readable JSON file with a list of rates (${(e as Error).message})`);
  }
  const schema = z.array(UsageRate);
  const parsed = schema.safeParse(rates);
  if (!parsed.success) {
    const [issue] = fromZod(schema, rates, parsed.error);
    throw new UsageReportError(`--rates ${file}: ${issue.path}: ${issue.found ?? show(issue.value)} -> expected ${issue.allowed}`);
  }
  return parsed.data;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const num = (v: unknown) => Number(v ?? 0);

/** Aggregates a log tree. All the work is in DuckDB; this process holds only the aggregates. */
export async function usageReport(input: { logs: string; rates?: Rate[]; tenantKey?: string }): Promise<UsageReport> {
  const logs = path.resolve(input.logs);
  if (!fs.existsSync(logs) || !fs.statSync(logs).isDirectory()) throw new UsageReportError(`--logs ${input.logs}: expected a directory holding a copy of the invocation logs (the AWSLogs/ tree)`);
  const glob = path.join(logs, '**', '*.json.gz');
  const tenantKey = input.tenantKey ?? 'tenantId';
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const files = num((await c.runAndReadAll(`SELECT count(*) FROM glob(${sqlString(glob)})`)).getRows()[0][0]);
    if (files === 0) throw new UsageReportError(`--logs ${input.logs}: no *.json.gz files under it (expected the key layout .../AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz)`);

    const columns = `{schemaType: 'VARCHAR', timestamp: 'VARCHAR', modelId: 'VARCHAR', requestMetadata: 'MAP(VARCHAR, VARCHAR)',
      input: 'STRUCT(inputTokenCount BIGINT, cacheReadInputTokenCount BIGINT, cacheWriteInputTokenCount BIGINT)',
      output: 'STRUCT(outputTokenCount BIGINT)', errorCode: 'VARCHAR'}`;
    // One pass over the files: aggregates per day, tenant and model.
    await c.run(`CREATE TABLE agg AS
      SELECT CAST(CAST("timestamp" AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS DATE) AS day,
             coalesce(nullif(requestMetadata[${sqlString(tenantKey)}], ''), 'untagged') AS tenant,
             modelId AS model_id,
             count(*) AS invocations,
             sum(coalesce(input.inputTokenCount, 0)) AS input_tokens,
             sum(coalesce(output.outputTokenCount, 0)) AS output_tokens,
             sum(coalesce(input.cacheReadInputTokenCount, 0)) AS cache_read_tokens,
             sum(coalesce(input.cacheWriteInputTokenCount, 0)) AS cache_write_tokens,
             count(errorCode) AS errors,
             count(*) FILTER (WHERE errorCode ILIKE '%throttl%') AS throttles
      FROM read_json(${sqlString(glob)}, format = 'newline_delimited', ignore_errors = true, compression = 'gzip', columns = ${columns})
      WHERE schemaType = 'ModelInvocationLog'
      GROUP BY ALL`);

    const rates = input.rates ?? [];
    await c.run(`CREATE TABLE rates (match VARCHAR, input DOUBLE, output DOUBLE, cache_read DOUBLE, cache_write DOUBLE, valid_from DATE, valid_to DATE)`);
    if (rates.length)
      await c.run(
        `INSERT INTO rates VALUES ${rates
          .map((r) => `(${sqlString(r.match)}, ${r.inputPerMillionUsd}, ${r.outputPerMillionUsd}, ${r.cacheReadPerMillionUsd ?? 0}, ${r.cacheWritePerMillionUsd ?? 0}, ${r.validFrom ? `DATE ${sqlString(r.validFrom)}` : 'NULL'}, ${r.validTo ? `DATE ${sqlString(r.validTo)}` : 'NULL'})`)
          .join(', ')}`,
      );
    // The most specific rate valid on that day; NULL cost where none applies.
    const rows = (
      await c.runAndReadAll(`
      WITH priced AS (
        SELECT a.*, (
          SELECT (a.input_tokens * r.input + a.output_tokens * r.output + a.cache_read_tokens * r.cache_read + a.cache_write_tokens * r.cache_write) / 1e6
          FROM rates r
          WHERE contains(a.model_id, r.match) AND (r.valid_from IS NULL OR a.day >= r.valid_from) AND (r.valid_to IS NULL OR a.day < r.valid_to)
          ORDER BY length(r.match) DESC LIMIT 1) AS cost
        FROM agg a)
      SELECT tenant, model_id, sum(invocations), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
             sum(errors), sum(throttles), CASE WHEN count(*) = count(cost) THEN sum(cost) END
      FROM priced GROUP BY tenant, model_id ORDER BY tenant, model_id`)
    ).getRows();
    const daily = (await c.runAndReadAll(`SELECT strftime(day, '%Y-%m-%d'), tenant, sum(input_tokens + output_tokens) FROM agg GROUP BY ALL ORDER BY 1, 2`)).getRows();
    const records = num((await c.runAndReadAll(`SELECT sum(invocations) FROM agg`)).getRows()[0][0]);
    return {
      files,
      records,
      rows: rows.map((r) => ({
        tenant: String(r[0]),
        modelId: String(r[1]),
        invocations: num(r[2]),
        inputTokens: num(r[3]),
        outputTokens: num(r[4]),
        cacheReadTokens: num(r[5]),
        cacheWriteTokens: num(r[6]),
        errors: num(r[7]),
        throttles: num(r[8]),
        estimatedCostUsd: r[9] === null ? undefined : Math.round(Number(r[9]) * 1e6) / 1e6,
      })),
      daily: daily.map((r) => ({ day: String(r[0]), tenant: String(r[1]), tokens: num(r[2]) })),
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Per-tenant totals of a report. */
export function tenantTotals(rows: UsageRow[]): UsageRow[] {
  const by = new Map<string, UsageRow>();
  for (const r of rows) {
    const t = by.get(r.tenant) ?? { ...r, modelId: '(all)', invocations: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, errors: 0, throttles: 0, estimatedCostUsd: 0 };
    t.invocations += r.invocations;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.cacheReadTokens += r.cacheReadTokens;
    t.cacheWriteTokens += r.cacheWriteTokens;
    t.errors += r.errors;
    t.throttles += r.throttles;
    t.estimatedCostUsd = t.estimatedCostUsd === undefined || r.estimatedCostUsd === undefined ? undefined : Math.round((t.estimatedCostUsd + r.estimatedCostUsd) * 1e6) / 1e6;
    by.set(r.tenant, t);
  }
  return [...by.values()];
}

const HEADER = ['tenant', 'model', 'invocations', 'input tokens', 'output tokens', 'cache read', 'cache write', 'errors', 'throttles', 'est. cost USD'];
const cells = (r: UsageRow) => [
  r.tenant,
  r.modelId,
  String(r.invocations),
  String(r.inputTokens),
  String(r.outputTokens),
  String(r.cacheReadTokens),
  String(r.cacheWriteTokens),
  String(r.errors),
  String(r.throttles),
  r.estimatedCostUsd === undefined ? 'no rate' : r.estimatedCostUsd.toFixed(2),
];

export function formatTable(rows: UsageRow[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function toCsv(rows: UsageRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = 'tenant,model_id,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,errors,throttles,estimated_cost_usd';
  return [head, ...rows.map((r) => [q(r.tenant), q(r.modelId), r.invocations, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.errors, r.throttles, r.estimatedCostUsd ?? ''].join(','))].join('\n') + '\n';
}

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A stacked bar chart (SVG) of input + output tokens per tenant per day. */
export function dailyChartSvg(daily: DailyRow[]): string {
  const days = [...new Set(daily.map((d) => d.day))].sort();
  const tenants = [...new Set(daily.map((d) => d.tenant))].sort();
  const totals = days.map((day) => daily.filter((d) => d.day === day).reduce((n, d) => n + d.tokens, 0));
  const max = Math.max(1, ...totals);
  const [w, h, left, top, bottom] = [Math.max(480, 80 + days.length * 40), 360, 70, 40, 60];
  const barW = (w - left - 140) / Math.max(1, days.length);
  const y = (v: number) => top + (h - top - bottom) * (1 - v / max);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="20" font-size="14">Tokens (input + output) per tenant per day</text>`,
    `<line x1="${left}" y1="${y(0)}" x2="${w - 140}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${left - 6}" y="${y(max) + 4}" text-anchor="end">${max}</text>`,
    `<text x="${left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`,
  ];
  days.forEach((day, i) => {
    let base = 0;
    const x = left + i * barW + 4;
    for (const [ti, tenant] of tenants.entries()) {
      const v = daily.find((d) => d.day === day && d.tenant === tenant)?.tokens ?? 0;
      if (!v) continue;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${(barW - 8).toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${COLORS[ti % COLORS.length]}"><title>${escapeXml(`${tenant} ${day}: ${v}`)}</title></rect>`);
      base += v;
    }
    parts.push(`<text x="${(x + (barW - 8) / 2).toFixed(1)}" y="${y(0) + 14}" text-anchor="end" transform="rotate(-45 ${(x + (barW - 8) / 2).toFixed(1)} ${y(0) + 14})">${day}</text>`);
  });
  tenants.forEach((t, i) => {
    parts.push(`<rect x="${w - 130}" y="${top + i * 18}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`, `<text x="${w - 112}" y="${top + i * 18 + 10}">${escapeXml(t)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Writes usage.csv, usage.json and the chart; returns their paths. */
export function writeReport(report: UsageReport, out: string): string[] {
  fs.mkdirSync(out, { recursive: true });
  const files = {
    'usage.csv': toCsv(report.rows),
    'usage.json': JSON.stringify({ records: report.records, files: report.files, byTenantAndModel: report.rows, byTenant: tenantTotals(report.rows), daily: report.daily }, null, 2) + '\n',
    'tokens-per-tenant-per-day.svg': dailyChartSvg(report.daily),
  };
  return Object.entries(files).map(([name, text]) => {
    fs.writeFileSync(path.join(out, name), text);
    return path.join(out, name);
  });
}

const USAGE = `Usage: npm run usage-report -- --logs <dir> [--rates <file>] [--out <dir>] [--tenant-key <key>]

Per-tenant Bedrock usage and estimated cost from a local copy of the S3 invocation
logs (aws s3 sync s3://<bucket>/<prefix>/AWSLogs <dir>/AWSLogs).

  --logs <dir>         the copy: .../BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz
  --rates <file>       rate card, JSON: [{"match": "anthropic.claude-3-haiku", "inputPerMillionUsd": 0.25,
                       "outputPerMillionUsd": 1.25, "cacheReadPerMillionUsd": 0.03, "cacheWritePerMillionUsd": 0.3,
                       "validFrom": "2024-01-01", "validTo": "2027-01-01"}]; without it no cost is estimated
  --out <dir>          where usage.csv, usage.json and tokens-per-tenant-per-day.svg go (default usage-report)
  --tenant-key <key>   the requestMetadata key that names the tenant (default tenantId)
  -h, --help           show this help
`;

/** The CLI; returns the exit code, or undefined where cliOptions or usageError has set it. */
export async function main(argv: string[]): Promise<number | undefined> {
  const opts = cliOptions(USAGE, { values: ['--logs', '--rates', '--out', '--tenant-key'] }, argv)?.values;
  if (!opts) return undefined;
  const logs = opts['--logs'];
  if (!logs) {
    usageError(USAGE, '--logs is required');
    return undefined;
  }
  try {
    const rates = opts['--rates'] ? loadRates(opts['--rates']) : undefined;
    const report = await usageReport({ logs, rates, tenantKey: opts['--tenant-key'] });
    console.log(`${report.records} invocation records in ${report.files} files under ${logs}${rates ? '' : ' (no --rates: no cost estimate)'}\n`);
    console.log(formatTable(report.rows));
    console.log(`\nPer tenant:\n${formatTable(tenantTotals(report.rows))}`);
    if (rates) console.log('\nCosts are estimates from the rate card; reconcile them with the Cost and Usage Report.');
    const written = writeReport(report, opts['--out'] ?? 'usage-report');
    console.log(`\nWrote ${written.join(', ')}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageReportError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
