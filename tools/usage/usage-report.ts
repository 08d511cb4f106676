/**
 * npm run usage-report -- --logs <dir> [--profiles <file|dir>] [--matrix <file>] [--rates <file>] [--out <dir>] [--tenant-key <key>]
 *
 * Per-tenant Bedrock usage from a local copy of the invocation logs in S3 (for
 * example `aws s3 sync s3://<bucket>/<prefix>/AWSLogs ./logs`): the real key layout,
 * gzipped JSON-lines files. DuckDB reads them with a glob and aggregates in SQL, so
 * the size of the input only costs time, never memory in this process. Prints
 * per-tenant and per-model token totals and estimated cost, and writes
 * usage.csv, usage.json and tokens-per-tenant-per-day.svg to --out.
 *
 * The tenant of a record that went through a tenant profile (--profiles) is the
 * profile's owner, as AWS bills it; otherwise requestMetadata[<tenant-key>]
 * (default tenantId); records without either are reported as "untagged". Records
 * whose requestMetadata names another tenant than the profile's owner are counted
 * and listed. Lines that are not JSON records (the plain-text
 * permission check) are skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { RateCardEntry, UsageRate } from '../../config/analytics';
import { MatrixError, fromZod, show } from '../../config/errors';
import { loadMatrixFile } from '../../config/load';
import { resourceTagsKey } from '../../config/cost-export';
import { CurError, formatReconciliation, reconcile, reconciliationCsv } from './cur';
import { GEOGRAPHIES } from '../../config/rules';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { dailyChartSvg } from './usage-chart';

export { dailyChartSvg };

export type Rate = z.infer<typeof UsageRate>;

export interface UsageRow {
  tenant: string;
  /** The matrix model alias where the record's model ID is known (a tenant profile, or a matrix model's source); otherwise the model ID. */
  model: string;
  modelId: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  errors: number;
  throttles: number;
  /** The cost of the priced records; undefined when none of them has a rate. */
  estimatedCostUsd?: number;
  /** Records without a rate (only when a price source was given): the estimate leaves them out. */
  unpricedRecords?: number;
}

export interface DailyRow {
  day: string;
  tenant: string;
  tokens: number;
}

/** Records whose requestMetadata tenant is not the tenant owning the profile they went through. */
export interface TenantMismatch {
  profileArn: string;
  /** The tenant owning the profile (the --profiles output key); the report counts the records for it, as AWS bills them. */
  profileTenant: string;
  model: string;
  /** requestMetadata[<tenant key>] of the records. */
  metadataTenant: string;
  records: number;
}

/** Estimated cost per tenant and day: what the reconciliation with the bill compares (cost-per-tenant-per-day.csv). */
export interface DailyCostRow {
  day: string;
  tenant: string;
  estimatedCostUsd: number;
  unpricedRecords: number;
}

export interface UsageReport {
  rows: UsageRow[];
  daily: DailyRow[];
  dailyCost: DailyCostRow[];
  files: number;
  records: number;
  /** Records through a profile of the --profiles documents. */
  profileRecords: number;
  mismatches: TenantMismatch[];
  /** Prices that are missing where tokens need them, each naming the model. */
  warnings: string[];
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

/** A tenant profile as the logging stacks' `inference_profile_arns` output names it: "<tenant>/<model alias>" -> ARN. */
export interface ProfileOwner {
  tenant: string;
  model: string;
}

const PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/[a-z0-9]+$/;

/**
 * The `inference_profile_arns` map of one output document, in any of the shapes the
 * tools write: `terraform output -json` (`{"inference_profile_arns": {"value": {...}}}`),
 * `terraform output -json inference_profile_arns` (the bare map), and
 * `cdktf output --outputs-file` (`{"<stack>": {"inference_profile_arns": {...}}}`).
 */
function profileMaps(doc: unknown): Record<string, unknown>[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const o = doc as Record<string, unknown>;
  if ('inference_profile_arns' in o) {
    const v = o.inference_profile_arns;
    // A parsed output file: the map of profile ARNs, bare or wrapped as { value, type }.
    return [(v && typeof v === 'object' && 'value' in v && 'type' in v ? v.value : v) as Record<string, unknown>];
  }
  const values = Object.values(o);
  if (values.length && values.every((v) => typeof v === 'string') && Object.keys(o).every((k) => k.includes('/'))) return [o];
  return values.flatMap((v) => (v && typeof v === 'object' && 'inference_profile_arns' in v ? profileMaps(v) : []));
}

/** Reads --profiles: a file, or every *.json file of a directory; profile ARN -> owner. */
export function loadProfiles(fileOrDir: string): Map<string, ProfileOwner> {
  let files: string[];
  try {
    files = fs.statSync(fileOrDir).isDirectory()
      ? fs
          .readdirSync(fileOrDir)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => path.join(fileOrDir, f))
      : [fileOrDir];
  } catch {
    throw new UsageReportError(`--profiles ${fileOrDir}: expected a file or a directory of terraform output -json documents`);
  }
  const out = new Map<string, ProfileOwner>();
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageReportError(`--profiles ${file}: expected JSON from terraform output -json (${(e as Error).message})`);
    }
    const maps = profileMaps(doc);
    if (!maps.length)
      throw new UsageReportError(
        `--profiles ${file}: no inference_profile_arns output in it; expected the output of \`terraform output -json\` (or \`cdktf output --outputs-file\`) of a logging stack with tenant profiles`,
      );
    for (const map of maps)
      for (const [key, arn] of Object.entries(map ?? {})) {
        const m = /^([^/]+)\/([^/]+)$/.exec(key);
        if (!m || typeof arn !== 'string' || !PROFILE_ARN.test(arn))
          throw new UsageReportError(
            `--profiles ${file}: inference_profile_arns["${key}"] = ${show(arn)} -> expected "<tenant>/<model alias>" -> an application inference profile ARN`,
          );
        const prior = out.get(arn);
        if (prior && (prior.tenant !== m[1] || prior.model !== m[2]))
          throw new UsageReportError(
            `--profiles ${file}: ${arn} is "${m[1]}/${m[2]}" here and "${prior.tenant}/${prior.model}" in another document`,
          );
        out.set(arn, { tenant: m[1], model: m[2] });
      }
  }
  return out;
}

/** What --matrix contributes: the rate card, and the model sources that name an alias. */
export interface MatrixPrices {
  rates: RateCardEntry[];
  /** Model alias -> its source model ID, without a geography prefix. */
  sources: Map<string, string>;
  /** The tenant tag's key in the CUR 2.0 resource_tags map (costExport.tenantTagColumn, or user_<tenant key>). */
  tenantTagColumn: string;
}

/** Reads --matrix (the environment matrix, JSON or YAML), checked as synth checks it. */
export function loadMatrixPrices(file: string): MatrixPrices {
  let config;
  try {
    config = loadMatrixFile(file);
  } catch (e) {
    if (e instanceof MatrixError) throw new UsageReportError(`--matrix: ${e.message}`);
    throw e;
  }
  const sources = new Map(config.models.map((m) => [m.alias, stripGeography(m.source)]));
  const tenantTagColumn = config.management?.costExport?.tenantTagColumn ?? resourceTagsKey(config.tagKeys.tenant);
  return { rates: config.rateCard, sources, tenantTagColumn };
}

const GEO_PREFIX = new RegExp(`^(${Object.keys(GEOGRAPHIES).join('|')})\\.`);
const stripGeography = (id: string) => id.replace(GEO_PREFIX, '');
/** The model ID in a foundation-model or system-profile ID or ARN, without its geography prefix. */
const baseModelId = (modelId: string) => stripGeography(modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId);

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlOrNull = (s: string | undefined) => (s === undefined ? 'NULL' : sqlString(s));
const numOrNull = (n: number | undefined) => (n === undefined ? 'NULL' : String(n));
const num = (v: unknown) => Number(v ?? 0);

export interface UsageReportInput {
  logs: string;
  /** --rates: matched on the model ID, the model alias and the source model ID (the longest match wins); they win over the matrix rate card. */
  rates?: Rate[];
  /** --matrix: prices per model alias. */
  matrix?: MatrixPrices;
  /** --profiles: profile ARN -> owning tenant and model alias. */
  profiles?: Map<string, ProfileOwner>;
  tenantKey?: string;
}

/** Aggregates a log tree. All the work is in DuckDB; this process holds only the aggregates. */
export async function usageReport(input: UsageReportInput): Promise<UsageReport> {
  const logs = path.resolve(input.logs);
  if (!fs.existsSync(logs) || !fs.statSync(logs).isDirectory())
    throw new UsageReportError(`--logs ${input.logs}: expected a directory holding a copy of the invocation logs (the AWSLogs/ tree)`);
  const glob = path.join(logs, '**', '*.json.gz');
  const tenantKey = input.tenantKey ?? 'tenantId';
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const files = num((await c.runAndReadAll(`SELECT count(*) FROM glob(${sqlString(glob)})`)).getRows()[0][0]);
    if (files === 0)
      throw new UsageReportError(
        `--logs ${input.logs}: no *.json.gz files under it (expected the key layout .../AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz)`,
      );

    const columns = `{schemaType: 'VARCHAR', timestamp: 'VARCHAR', modelId: 'VARCHAR', requestMetadata: 'MAP(VARCHAR, VARCHAR)',
      input: 'STRUCT(inputTokenCount BIGINT, cacheReadInputTokenCount BIGINT, cacheWriteInputTokenCount BIGINT)',
      output: 'STRUCT(outputTokenCount BIGINT)', errorCode: 'VARCHAR'}`;
    // One pass over the files: aggregates per day, requestMetadata tenant and model ID.
    await c.run(`CREATE TABLE raw AS
      SELECT CAST(CAST("timestamp" AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS DATE) AS day,
             nullif(requestMetadata[${sqlString(tenantKey)}], '') AS meta_tenant,
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

    // What each model ID in the logs is: a tenant's profile (owner and alias), or a model the matrix names.
    const aliasOfSource = new Map([...(input.matrix?.sources ?? [])].map(([alias, source]) => [source, alias]));
    const ids = (await c.runAndReadAll(`SELECT DISTINCT model_id FROM raw WHERE model_id IS NOT NULL`)).getRows().map((r) => String(r[0]));
    await c.run(`CREATE TABLE models (model_id VARCHAR, owner VARCHAR, alias VARCHAR, source VARCHAR)`);
    const known = ids.flatMap((id) => {
      const profile = input.profiles?.get(id);
      if (profile) return [[id, profile.tenant, profile.model, input.matrix?.sources.get(profile.model)]];
      const alias = aliasOfSource.get(baseModelId(id));
      return alias ? [[id, undefined, alias, baseModelId(id)]] : [];
    });
    if (known.length) await c.run(`INSERT INTO models VALUES ${known.map((k) => `(${k.map(sqlOrNull).join(', ')})`).join(', ')}`);

    // The tenant is the profile's owner (as AWS bills it), else requestMetadata, else "untagged".
    await c.run(`CREATE TABLE agg AS
      SELECT r.*, coalesce(m.owner, r.meta_tenant, 'untagged') AS tenant, m.owner, coalesce(m.alias, r.model_id) AS model, m.alias, m.source
      FROM raw r LEFT JOIN models m USING (model_id)`);

    // Rates: the --rates entries first (matched on the model ID, alias or source), then the matrix card (on the alias).
    const rates = input.rates ?? [];
    const card = input.matrix?.rates ?? [];
    const priced = rates.length + card.length > 0;
    await c.run(
      `CREATE TABLE rates (id INTEGER, from_file BOOLEAN, match VARCHAR, alias VARCHAR, input DOUBLE, output DOUBLE, cache_read DOUBLE, cache_write DOUBLE, valid_from DATE, valid_to DATE)`,
    );
    const date = (d: string | undefined) => (d ? `DATE ${sqlString(d)}` : 'NULL');
    const values = [
      ...rates.map((r) => [true, r.match, undefined, r] as const),
      ...card.map((r) => [false, undefined, r.model, r] as const),
    ].map(
      ([file, match, alias, r], i) =>
        `(${i}, ${file}, ${sqlOrNull(match)}, ${sqlOrNull(alias)}, ${r.inputPerMillionUsd}, ${r.outputPerMillionUsd}, ${numOrNull(r.cacheReadPerMillionUsd)}, ${numOrNull(r.cacheWritePerMillionUsd)}, ${date(r.validFrom)}, ${date(r.validTo)})`,
    );
    if (values.length) await c.run(`INSERT INTO rates VALUES ${values.join(', ')}`);
    // The rate valid on the day: a --rates entry (the longest match), else the matrix rate of the alias.
    await c.run(`CREATE TABLE priced AS
      SELECT a.*, r.input, r.output, r.cache_read, r.cache_write, r.id IS NOT NULL AS has_rate,
        (a.input_tokens * r.input + a.output_tokens * r.output + a.cache_read_tokens * coalesce(r.cache_read, 0) + a.cache_write_tokens * coalesce(r.cache_write, 0)) / 1e6 AS cost
      FROM agg a LEFT JOIN rates r ON r.id = (
        SELECT r2.id FROM rates r2
        WHERE (r2.from_file AND (contains(a.model_id, r2.match) OR contains(coalesce(a.alias, ''), r2.match) OR contains(coalesce(a.source, ''), r2.match))
               OR NOT r2.from_file AND r2.alias = a.alias)
          AND (r2.valid_from IS NULL OR a.day >= r2.valid_from) AND (r2.valid_to IS NULL OR a.day < r2.valid_to)
        ORDER BY r2.from_file DESC, length(r2.match) DESC LIMIT 1)`);

    const rows = (
      await c.runAndReadAll(`
      SELECT tenant, model, model_id, sum(invocations), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
             sum(errors), sum(throttles), sum(cost), sum(invocations) FILTER (WHERE NOT has_rate)
      FROM priced GROUP BY tenant, model, model_id ORDER BY tenant, model, model_id`)
    ).getRows();
    const warnings = (
      await c.runAndReadAll(`
      SELECT model, sum(cache_read_tokens) FILTER (WHERE cache_read IS NULL), sum(cache_write_tokens) FILTER (WHERE cache_write IS NULL)
      FROM priced WHERE has_rate GROUP BY model
      HAVING sum(cache_read_tokens) FILTER (WHERE cache_read IS NULL) > 0 OR sum(cache_write_tokens) FILTER (WHERE cache_write IS NULL) > 0
      ORDER BY model`)
    )
      .getRows()
      .flatMap(([model, read, write]) => [
        ...(num(read) > 0
          ? [`no cache-read price for ${model}: ${num(read)} cache-read tokens are left out of its estimate (set cacheReadPerMillionUsd)`]
          : []),
        ...(num(write) > 0
          ? [
              `no cache-write price for ${model}: ${num(write)} cache-write tokens are left out of its estimate (set cacheWritePerMillionUsd)`,
            ]
          : []),
      ]);
    const mismatches = (
      await c.runAndReadAll(`
      SELECT model_id, owner, model, meta_tenant, sum(invocations) FROM agg
      WHERE owner IS NOT NULL AND meta_tenant IS NOT NULL AND meta_tenant <> owner
      GROUP BY ALL ORDER BY owner, model, meta_tenant, model_id`)
    )
      .getRows()
      .map((r) => ({
        profileArn: String(r[0]),
        profileTenant: String(r[1]),
        model: String(r[2]),
        metadataTenant: String(r[3]),
        records: num(r[4]),
      }));
    const daily = (
      await c.runAndReadAll(
        `SELECT strftime(day, '%Y-%m-%d'), tenant, sum(input_tokens + output_tokens) FROM agg GROUP BY ALL ORDER BY 1, 2`,
      )
    ).getRows();
    const dailyCost = (
      await c.runAndReadAll(
        `SELECT strftime(day, '%Y-%m-%d'), tenant, coalesce(sum(cost), 0), coalesce(sum(invocations) FILTER (WHERE NOT has_rate), 0) FROM priced GROUP BY ALL ORDER BY 1, 2`,
      )
    ).getRows();
    const [records, profileRecords] = (
      await c.runAndReadAll(`SELECT sum(invocations), coalesce(sum(invocations) FILTER (WHERE owner IS NOT NULL), 0) FROM agg`)
    )
      .getRows()[0]
      .map(num);
    return {
      files,
      records,
      profileRecords,
      mismatches,
      warnings,
      rows: rows.map((r) => {
        const unpriced = num(r[11]);
        return {
          tenant: String(r[0]),
          model: String(r[1]),
          modelId: String(r[2]),
          invocations: num(r[3]),
          inputTokens: num(r[4]),
          outputTokens: num(r[5]),
          cacheReadTokens: num(r[6]),
          cacheWriteTokens: num(r[7]),
          errors: num(r[8]),
          throttles: num(r[9]),
          estimatedCostUsd: r[10] === null ? undefined : roundUsd(Number(r[10])),
          ...(priced && unpriced > 0 ? { unpricedRecords: unpriced } : {}),
        };
      }),
      daily: daily.map((r) => ({ day: String(r[0]), tenant: String(r[1]), tokens: num(r[2]) })),
      dailyCost: priced
        ? dailyCost.map((r) => ({
            day: String(r[0]),
            tenant: String(r[1]),
            estimatedCostUsd: roundUsd(Number(r[2])),
            unpricedRecords: num(r[3]),
          }))
        : [],
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Dollars to a millionth: the sums stay exact to the cent over millions of rows. */
const roundUsd = (v: number) => Math.round(v * 1e6) / 1e6;

/** Rows summed per tenant and model label (the alias where known): what the printed table shows. */
export function byModel(rows: UsageRow[]): UsageRow[] {
  return sumRows(
    rows,
    (r) => `${r.tenant}\u0000${r.model}`,
    (r) => ({ tenant: r.tenant, model: r.model, modelId: r.model }),
  );
}

/** Per-tenant totals of a report. */
export function tenantTotals(rows: UsageRow[]): UsageRow[] {
  return sumRows(
    rows,
    (r) => r.tenant,
    (r) => ({ tenant: r.tenant, model: '(all)', modelId: '(all)' }),
  );
}

function sumRows(
  rows: UsageRow[],
  key: (r: UsageRow) => string,
  head: (r: UsageRow) => Pick<UsageRow, 'tenant' | 'model' | 'modelId'>,
): UsageRow[] {
  const by = new Map<string, UsageRow>();
  for (const r of rows) {
    const k = key(r);
    const t = by.get(k) ?? {
      ...head(r),
      invocations: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      errors: 0,
      throttles: 0,
    };
    t.invocations += r.invocations;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.cacheReadTokens += r.cacheReadTokens;
    t.cacheWriteTokens += r.cacheWriteTokens;
    t.errors += r.errors;
    t.throttles += r.throttles;
    if (r.estimatedCostUsd !== undefined) t.estimatedCostUsd = roundUsd((t.estimatedCostUsd ?? 0) + r.estimatedCostUsd);
    if (r.unpricedRecords !== undefined) t.unpricedRecords = (t.unpricedRecords ?? 0) + r.unpricedRecords;
    by.set(k, t);
  }
  return [...by.values()];
}

const HEADER = [
  'tenant',
  'model',
  'invocations',
  'input tokens',
  'output tokens',
  'cache read',
  'cache write',
  'errors',
  'throttles',
  'est. cost USD',
];
const costCell = (r: UsageRow) =>
  r.estimatedCostUsd === undefined
    ? 'no rate'
    : `${r.estimatedCostUsd.toFixed(2)}${r.unpricedRecords ? ` + ${r.unpricedRecords} unpriced records` : ''}`;
const cells = (r: UsageRow) => [
  r.tenant,
  r.model,
  String(r.invocations),
  String(r.inputTokens),
  String(r.outputTokens),
  String(r.cacheReadTokens),
  String(r.cacheWriteTokens),
  String(r.errors),
  String(r.throttles),
  costCell(r),
];

export function formatTable(rows: UsageRow[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function toCsv(rows: UsageRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head =
    'tenant,model,model_id,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,errors,throttles,estimated_cost_usd,unpriced_records';
  return (
    [
      head,
      ...rows.map((r) =>
        [
          q(r.tenant),
          q(r.model),
          q(r.modelId),
          r.invocations,
          r.inputTokens,
          r.outputTokens,
          r.cacheReadTokens,
          r.cacheWriteTokens,
          r.errors,
          r.throttles,
          r.estimatedCostUsd ?? '',
          r.unpricedRecords ?? '',
        ].join(','),
      ),
    ].join('\n') + '\n'
  );
}

/** cost-per-tenant-per-day.csv: the estimates the management account's reconciliation query reads (Glue table estimates). */
export function dailyCostCsv(rows: DailyCostRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return (
    [
      'day,tenant,estimated_cost_usd,unpriced_records',
      ...rows.map((r) => [r.day, q(r.tenant), r.estimatedCostUsd, r.unpricedRecords].join(',')),
    ].join('\n') + '\n'
  );
}

/** The mismatch lines the CLI prints. */
export function formatMismatches(mismatches: TenantMismatch[]): string {
  const total = mismatches.reduce((n, m) => n + m.records, 0);
  return [
    `${total} records carry a requestMetadata tenant other than the owner of the profile they used (a misconfigured caller, or a tenant using another tenant's profile; counted for the owner):`,
    ...mismatches.map(
      (m) => `  ${m.records} records: profile of ${m.profileTenant}/${m.model} (${m.profileArn}) called as tenant "${m.metadataTenant}"`,
    ),
  ].join('\n');
}

/** Writes usage.csv, usage.json and the chart; returns their paths. */
export function writeReport(report: UsageReport, out: string): string[] {
  fs.mkdirSync(out, { recursive: true });
  const json = {
    records: report.records,
    files: report.files,
    profileRecords: report.profileRecords,
    /** Per tenant and model ID; `model` is the alias where known. */
    rows: report.rows,
    byTenant: tenantTotals(report.rows),
    tenantMismatches: report.mismatches,
    warnings: report.warnings,
    daily: report.daily,
  };
  const files: Record<string, string> = {
    'usage.csv': toCsv(report.rows),
    'usage.json': JSON.stringify(json, null, 2) + '\n',
    'tokens-per-tenant-per-day.svg': dailyChartSvg(report.daily),
  };
  if (report.dailyCost.length) files['cost-per-tenant-per-day.csv'] = dailyCostCsv(report.dailyCost);
  return Object.entries(files).map(([name, text]) => {
    fs.writeFileSync(path.join(out, name), text);
    return path.join(out, name);
  });
}

export const COMMAND = defineCommand({
  command: 'npm run usage-report',
  usage: [
    '-- --logs <dir> [--profiles <file|dir>] [--matrix <file>] [--rates <file>] [--out <dir>] [--tenant-key <key>]',
    '-- --logs <dir> --cur <dir> (--matrix <file> | --rates <file>) [--profiles <file|dir>] [...]',
  ],
  summary: `Per-tenant Bedrock usage and estimated cost from a local copy of the S3 invocation
logs (aws s3 sync s3://<bucket>/<prefix>/AWSLogs <dir>/AWSLogs). docs/cost.md explains it.
The tables go to stdout; progress (the files found, the query, the elapsed time) and
warnings to stderr. Only logged calls are here: inference through bedrock-mantle (and batch,
agents, knowledge bases, flows) is missing from the logs and shows only in CUR
(docs/model-access-paths.md).`,
  options: [
    { name: '--logs', value: '<dir>', help: 'the copy: .../BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz (required)' },
    {
      name: '--profiles',
      value: '<f|dir>',
      help: `\`terraform output -json\` of logging stacks (a file, or a directory of *.json):
their inference_profile_arns map each profile ARN in the logs to its tenant
and model alias; records through a profile count for the profile's owner`,
    },
    {
      name: '--matrix',
      value: '<file>',
      help: `the environment matrix (JSON or YAML): prices from its rateCard per model alias;
its models' source IDs name the alias of direct model calls`,
    },
    {
      name: '--rates',
      value: '<file>',
      help: `rate card, JSON: [{"match": "anthropic.claude-3-haiku", "inputPerMillionUsd": 0.25,
"outputPerMillionUsd": 1.25, "cacheReadPerMillionUsd": 0.03, "cacheWritePerMillionUsd": 0.3,
"validFrom": "2024-01-01", "validTo": "2027-01-01"}]; "match" is found in the model ID,
the alias or the source model ID (the longest wins); it wins over --matrix
Without --matrix or --rates no cost is estimated.`,
    },
    {
      name: '--out',
      value: '<dir>',
      help: `where usage.csv, usage.json, tokens-per-tenant-per-day.svg and (with prices)
cost-per-tenant-per-day.csv go (default usage-report)`,
    },
    { name: '--tenant-key', value: '<key>', help: 'the requestMetadata key that names the tenant (default tenantId)' },
    {
      name: '--cur',
      value: '<dir>',
      help: `a copy of the CUR 2.0 export (costExport; its *.parquet files): prints billed against
estimated cost per tenant and day, the difference and the untagged share, and writes
reconciliation.csv; the tenant is resource_tags[user_<tenant tag key>] (from --matrix)`,
    },
    { name: '--quiet', help: 'no progress on stderr (warnings still)' },
  ],
  exits: { failed: 'failed: no logs, a bad --profiles, --matrix, --rates or --cur input' },
});

/** The CLI; returns the exit code, or undefined where cliOptions or usageError has set it. */
export async function main(argv: string[]): Promise<number | undefined> {
  const cli = cliOptions(COMMAND, argv);
  if (!cli) return undefined;
  const opts = cli.values;
  const log = progress(cli.switches.has('--quiet'));
  const logs = opts['--logs'];
  if (!logs) {
    usageError(COMMAND, '--logs is required');
    return undefined;
  }
  if (opts['--cur'] && !opts['--matrix'] && !opts['--rates']) {
    usageError(COMMAND, '--cur compares the bill with estimated cost: give prices with --matrix or --rates');
    return undefined;
  }
  try {
    const rates = opts['--rates'] ? loadRates(opts['--rates']) : undefined;
    const matrix = opts['--matrix'] ? loadMatrixPrices(opts['--matrix']) : undefined;
    const profiles = opts['--profiles'] ? loadProfiles(opts['--profiles']) : undefined;
    log.step(`reading the invocation logs under ${logs} with DuckDB`);
    const report = await usageReport({ logs, rates, matrix, profiles, tenantKey: opts['--tenant-key'] });
    log.step(`${report.records} records in ${report.files} files aggregated`);
    const priced = rates || matrix;
    console.log(
      `${report.records} invocation records in ${report.files} files under ${logs}${priced ? '' : ' (no --matrix or --rates: no cost estimate)'}`,
    );
    if (profiles) console.log(`${report.profileRecords} of them through the ${profiles.size} tenant profiles of --profiles`);
    console.log(`\n${formatTable(byModel(report.rows))}`);
    console.log(`\nPer tenant:\n${formatTable(tenantTotals(report.rows))}`);
    if (report.mismatches.length) console.log(`\n${formatMismatches(report.mismatches)}`);
    if (priced) console.log('\nCosts are estimates from the rate card; reconcile them with the Cost and Usage Report (docs/cost.md).');
    for (const w of report.warnings) process.stderr.write(`Warning: ${w}\n`);
    const written = writeReport(report, opts['--out'] ?? 'usage-report');
    if (opts['--cur']) {
      log.step(`reading the CUR 2.0 export under ${opts['--cur']}`);
      const r = await reconcile({ cur: opts['--cur'], estimates: report.dailyCost, tenantTagColumn: matrix?.tenantTagColumn });
      console.log(
        `\nBilled (CUR 2.0, ${r.lineItems} Bedrock usage line items in ${r.files} files) against estimated cost per tenant and day:\n${formatReconciliation(r)}`,
      );
      const file = path.join(opts['--out'] ?? 'usage-report', 'reconciliation.csv');
      fs.writeFileSync(file, reconciliationCsv(r));
      written.push(file);
    }
    console.log(`\nWrote ${written.join(', ')}`);
    log.done(`usage report of ${report.records} records done`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageReportError || e instanceof CurError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
