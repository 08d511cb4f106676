/**
 * The CUR 2.0 reconciliation (usage-report --cur) on a hand-computed example:
 * invocation logs through tenant profiles, priced from a matrix rate card, against
 * small Parquet files that DuckDB writes in the CUR 2.0 column layout of the
 * management stack's export (with line items the reconciliation must leave out).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { CUR_COLUMNS } from '../../stacks/management/cost-queries';
import { CurError, reconcile, reconciliationCsv } from '../../tools/usage/cur';
import { loadMatrixPrices, loadProfiles, usageReport } from '../../tools/usage/usage-report';

jest.setTimeout(60_000);

const ACCOUNT = '111111111111';
const ACME = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/acme0haiku`;
const GLOBEX = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/globex0haiku`;

let scratch: string;
beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-cur-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** One CUR 2.0 line item: [usage day, product, line item type, resource ID, unblended cost, resource_tags]. */
type Line = [string, string, string, string, number, Record<string, string>];

/** Writes line items as a Parquet file of the export's columns, at <dir>/data/BILLING_PERIOD=<period>/<name>. */
async function writeCur(dir: string, period: string, lines: Line[]): Promise<void> {
  const folder = path.join(dir, 'cur2', 'bedrock-cost', 'data', `BILLING_PERIOD=${period}`);
  fs.mkdirSync(folder, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const types: Record<string, string> = {
    timestamp: 'TIMESTAMP',
    string: 'VARCHAR',
    double: 'DOUBLE',
    'map<string,string>': 'MAP(VARCHAR, VARCHAR)',
  };
  await c.run(`CREATE TABLE cur (${CUR_COLUMNS.map((col) => `${col.name} ${types[col.type]}`).join(', ')})`);
  for (const [day, product, type, resource, cost, tags] of lines) {
    const map = Object.keys(tags).length
      ? `MAP {${Object.entries(tags)
          .map(([k, v]) => `${q(k)}: ${q(v)}`)
          .join(', ')}}`
      : 'MAP()::MAP(VARCHAR, VARCHAR)';
    await c.run(`INSERT INTO cur VALUES (TIMESTAMP '${period}-01 00:00:00', TIMESTAMP '${day} 00:00:00', '${ACCOUNT}', ${q(type)}, ${q(product)},
      'USE1-Claude3Haiku-input-tokens', 'InvokeModelInference', ${q(resource)}, 1000, ${cost}, ${map})`);
  }
  await c.run(`COPY cur TO ${q(path.join(folder, 'bedrock-cost-00001.snappy.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);
  c.closeSync();
  db.closeSync();
}

/** Log records through the two profiles, in the real key layout. */
function writeLogs(dir: string, records: [string, string, string, number, number, number][]): void {
  const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'BedrockModelInvocationLogs', 'us-east-1', '2026', '11', '01', '00');
  fs.mkdirSync(folder, { recursive: true });
  const lines = records.map(([ts, modelId, tenant, input, output, cacheRead]) =>
    JSON.stringify({
      schemaType: 'ModelInvocationLog',
      timestamp: ts,
      modelId,
      requestMetadata: { tenantId: tenant },
      input: { inputTokenCount: input, cacheReadInputTokenCount: cacheRead, cacheWriteInputTokenCount: 0 },
      output: { outputTokenCount: output },
    }),
  );
  fs.writeFileSync(path.join(folder, 'x_0001.json.gz'), zlib.gzipSync(lines.join('\n') + '\n'));
}

test('billed against estimated per tenant and day, by hand', async () => {
  const logs = path.join(scratch, 'logs');
  writeLogs(logs, [
    // acme 11-01: 1M in x 0.25 + 0.1M out x 1.25 = 0.25 + 0.125 = 0.375
    ['2026-11-01T10:00:00Z', ACME, 'acme', 1_000_000, 100_000, 0],
    // acme 11-02: 2M in x 0.25 + 1M cache read x 0.03 = 0.5 + 0.03 = 0.53
    ['2026-11-02T10:00:00Z', ACME, 'acme', 2_000_000, 0, 1_000_000],
    // globex 11-01: 4M in x 0.25 + 0.4M out x 1.25 = 1.0 + 0.5 = 1.5
    ['2026-11-01T11:00:00Z', GLOBEX, 'globex', 4_000_000, 400_000, 0],
  ]);
  const outputs = path.join(scratch, 'outputs.json');
  fs.writeFileSync(
    outputs,
    JSON.stringify({
      inference_profile_arns: { sensitive: false, type: ['map', 'string'], value: { 'acme/haiku': ACME, 'globex/haiku': GLOBEX } },
    }),
  );
  const matrix = path.join(scratch, 'matrix.json');
  fs.writeFileSync(
    matrix,
    JSON.stringify({
      accounts: [{ id: ACCOUNT, regions: ['us-east-1'] }],
      models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
      tenants: [{ id: 'acme' }, { id: 'globex' }],
      rateCard: [
        {
          model: 'haiku',
          inputPerMillionUsd: 0.25,
          outputPerMillionUsd: 1.25,
          cacheReadPerMillionUsd: 0.03,
          cacheWritePerMillionUsd: 0.3,
          validFrom: '2024-01-01',
        },
      ],
    }),
  );
  const prices = loadMatrixPrices(matrix);
  expect(prices.tenantTagColumn).toBe('user_tenant');
  const report = await usageReport({ logs, profiles: loadProfiles(outputs), matrix: prices });
  expect(report.dailyCost).toEqual([
    { day: '2026-11-01', tenant: 'acme', estimatedCostUsd: 0.375, unpricedRecords: 0 },
    { day: '2026-11-01', tenant: 'globex', estimatedCostUsd: 1.5, unpricedRecords: 0 },
    { day: '2026-11-02', tenant: 'acme', estimatedCostUsd: 0.53, unpricedRecords: 0 },
  ]);

  const cur = path.join(scratch, 'cur');
  const tenant = (t: string) => ({ user_tenant: t, user_cost_center: 'cc-1' });
  await writeCur(cur, '2026-11', [
    // acme 11-01: input 0.25 + output 0.125 = 0.375 billed
    ['2026-11-01', 'AmazonBedrock', 'Usage', ACME, 0.25, tenant('acme')],
    ['2026-11-01', 'AmazonBedrock', 'Usage', ACME, 0.125, tenant('acme')],
    // acme 11-02: 0.50 + 0.03 + 0.02 = 0.55 billed
    ['2026-11-02', 'AmazonBedrock', 'Usage', ACME, 0.5, tenant('acme')],
    ['2026-11-02', 'AmazonBedrock', 'Usage', ACME, 0.03, tenant('acme')],
    ['2026-11-02', 'AmazonBedrock', 'Usage', ACME, 0.02, tenant('acme')],
    // globex 11-01: 1.40 billed
    ['2026-11-01', 'AmazonBedrock', 'Usage', GLOBEX, 1.4, tenant('globex')],
    // Untagged Bedrock use on 11-01 (a direct model call): 0.225
    [
      '2026-11-01',
      'AmazonBedrock',
      'Usage',
      `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`,
      0.225,
      {},
    ],
    // Left out: another product, even with the tenant tag; tax; a credit.
    ['2026-11-01', 'AmazonS3', 'Usage', 'arn:aws:s3:::some-bucket', 5, tenant('acme')],
    ['2026-11-01', 'AmazonBedrock', 'Tax', '', 0.3, {}],
    ['2026-11-02', 'AmazonBedrock', 'Credit', ACME, -0.2, tenant('acme')],
  ]);
  // The next billing period, in its own folder: acme 12-01, 0.10 billed, nothing estimated.
  await writeCur(cur, '2026-12', [['2026-12-01', 'AmazonBedrock', 'Usage', ACME, 0.1, tenant('acme')]]);

  const r = await reconcile({ cur, estimates: report.dailyCost, tenantTagColumn: prices.tenantTagColumn });
  expect(r.files).toBe(2);
  expect(r.lineItems).toBe(8);
  expect(r.rows).toEqual([
    // 0.375 - 0.375
    { day: '2026-11-01', tenant: 'acme', billedUsd: 0.375, estimatedUsd: 0.375, differenceUsd: 0, differencePct: 0 },
    // 1.40 - 1.50 = -0.10, -0.10 / 1.50 = -6.67 %
    { day: '2026-11-01', tenant: 'globex', billedUsd: 1.4, estimatedUsd: 1.5, differenceUsd: -0.1, differencePct: -6.67 },
    { day: '2026-11-01', tenant: 'untagged', billedUsd: 0.225, estimatedUsd: 0, differenceUsd: 0.225 },
    // 0.55 - 0.53 = 0.02, 0.02 / 0.53 = 3.77 %
    { day: '2026-11-02', tenant: 'acme', billedUsd: 0.55, estimatedUsd: 0.53, differenceUsd: 0.02, differencePct: 3.77 },
    { day: '2026-12-01', tenant: 'acme', billedUsd: 0.1, estimatedUsd: 0, differenceUsd: 0.1 },
  ]);
  // 11-01: 0.225 untagged of 0.375 + 1.40 + 0.225 = 2.00 billed: 11.25 %.
  expect(r.days).toEqual([
    { day: '2026-11-01', billedUsd: 2, untaggedUsd: 0.225, untaggedSharePct: 11.25 },
    { day: '2026-11-02', billedUsd: 0.55, untaggedUsd: 0, untaggedSharePct: 0 },
    { day: '2026-12-01', billedUsd: 0.1, untaggedUsd: 0, untaggedSharePct: 0 },
  ]);
  expect(reconciliationCsv(r).split('\n').slice(0, 3)).toEqual([
    'day,tenant,billed_usd,estimated_usd,difference_usd,difference_pct,untagged_share_pct',
    '2026-11-01,acme,0.375,0.375,0,0,11.25',
    '2026-11-01,globex,1.4,1.5,-0.1,-6.67,11.25',
  ]);
});

test('a directory without Parquet files, or files without the CUR 2.0 columns, is a clear error', async () => {
  fs.mkdirSync(path.join(scratch, 'empty'));
  await expect(reconcile({ cur: path.join(scratch, 'empty'), estimates: [] })).rejects.toThrow(
    new CurError(
      `--cur ${path.join(scratch, 'empty')}: no *.parquet files under it (expected a copy of s3://<bucket>/<prefix>/<export>/data/)`,
    ),
  );
  await expect(reconcile({ cur: path.join(scratch, 'nope'), estimates: [] })).rejects.toThrow(
    'expected a directory holding a copy of the CUR 2.0 export',
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  fs.mkdirSync(path.join(scratch, 'other'));
  await c.run(`COPY (SELECT 1 AS x) TO '${path.join(scratch, 'other', 'x.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  await expect(reconcile({ cur: path.join(scratch, 'other'), estimates: [] })).rejects.toThrow(
    /lack a CUR 2.0 column the reconciliation needs/,
  );
});
