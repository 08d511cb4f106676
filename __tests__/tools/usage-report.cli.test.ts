/** The usage-report CLI: what it prints and writes, and its errors. Needs dist/ (the cli tier builds it). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOG_ACCOUNT, LOG_TENANTS, generateLogTree, profileOutputs } from '../../tools/usage/generate-logs';

jest.setTimeout(60_000);

const CLI = path.join(__dirname, '..', '..', 'dist', 'tools', 'usage', 'usage-report.js');
let scratch: string;
beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-cli-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: scratch });

test('--profiles and --matrix: per tenant and alias, the priced part, unpriced records, warnings and tenant mismatches', () => {
  const logs = path.join(scratch, 'logs');
  generateLogTree(logs, { records: 2000, perFile: 500, days: 3, seed: 21, profileShare: 0.9, mismatchShare: 0.05 });
  fs.mkdirSync(path.join(scratch, 'outputs'));
  fs.writeFileSync(path.join(scratch, 'outputs', 'bedrock-logging-111111111111-us-east-1.json'), JSON.stringify(profileOutputs()));
  const matrix = path.join(scratch, 'matrix.yaml');
  // No price for nova-lite before 2026-11-02; no cache-write price for haiku.
  fs.writeFileSync(
    matrix,
    `accounts: [{ id: "${LOG_ACCOUNT}", regions: [us-east-1] }]
models:
  - { alias: haiku, source: anthropic.claude-3-haiku-20240307-v1:0 }
  - { alias: nova-lite, source: amazon.nova-lite-v1:0, crossRegion: true }
tenants: [${LOG_TENANTS.map((t) => `{ id: ${t} }`).join(', ')}]
rateCard:
  - { model: haiku, inputPerMillionUsd: 0.25, outputPerMillionUsd: 1.25, cacheReadPerMillionUsd: 0.03, validFrom: "2024-03-01" }
  - { model: nova-lite, inputPerMillionUsd: 0.06, outputPerMillionUsd: 0.24, cacheReadPerMillionUsd: 0.015, cacheWritePerMillionUsd: 0.07, validFrom: "2026-11-02" }
`,
  );
  const out = path.join(scratch, 'report');
  // --quiet: no progress, so stderr holds the warnings alone.
  const r = cli('--logs', logs, '--profiles', path.join(scratch, 'outputs'), '--matrix', matrix, '--out', out, '--quiet');
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(
    /^Warning: no cache-write price for haiku: \d+ cache-write tokens are left out of its estimate \(set cacheWritePerMillionUsd\)\n$/,
  );
  expect(r.stdout).toMatch(/^2000 invocation records in \d+ files under .*\n\d+ of them through the 6 tenant profiles of --profiles\n/);
  expect(r.stdout).toMatch(/^acme +haiku +\d+ .* \d+\.\d\d$/m);
  expect(r.stdout).toMatch(/^acme +nova-lite +\d+ .* \d+\.\d\d \+ \d+ unpriced records$/m);
  expect(r.stdout).toMatch(/^\d+ records carry a requestMetadata tenant other than the owner of the profile they used/m);
  expect(r.stdout).toMatch(
    /^ {2}\d+ records: profile of acme\/haiku \(arn:aws:bedrock:us-east-1:111111111111:application-inference-profile\/acme\w+\) called as tenant "globex"$/m,
  );
  const json = JSON.parse(fs.readFileSync(path.join(out, 'usage.json'), 'utf8'));
  expect(
    json.rows.every((row: { tenant: unknown; model: unknown }) => typeof row.tenant === 'string' && typeof row.model === 'string'),
  ).toBe(true);
  const nova = json.rows.find(
    (row: { tenant: string; model: string; modelId: string }) =>
      row.tenant === 'acme' && row.model === 'nova-lite' && row.modelId.includes('application-inference-profile'),
  );
  expect(nova).toMatchObject({ estimatedCostUsd: expect.any(Number), unpricedRecords: expect.any(Number) });
  expect(json.tenantMismatches.length).toBeGreaterThan(0);
  expect(json.warnings).toEqual([expect.stringContaining('no cache-write price for haiku')]);
});

test('bad --profiles and --matrix files: exit 1 with the reason, no stack trace', () => {
  fs.mkdirSync(path.join(scratch, 'l2'));
  generateLogTree(path.join(scratch, 'l2'), { records: 10, perFile: 10, days: 1 });
  const p = path.join(scratch, 'p.json');
  fs.writeFileSync(p, '{"bucket_arn": {"value": "x"}}');
  const bad = cli('--logs', path.join(scratch, 'l2'), '--profiles', p);
  expect([bad.status, bad.stderr]).toEqual([1, expect.stringContaining('no inference_profile_arns output in it')]);
  const m = cli('--logs', path.join(scratch, 'l2'), '--matrix', path.join(scratch, 'none.yaml'));
  expect([m.status, m.stderr]).toEqual([1, expect.stringMatching(/^Error: --matrix: .*MATRIX_FILE/s)]);
  expect(bad.stderr + m.stderr).not.toMatch(/\n\s+at /);
});

test('the CLI prints the tables and writes CSV, JSON and an SVG chart', () => {
  const generated = generateLogTree(path.join(scratch, 'gen'), {
    records: 5000,
    perFile: 300,
    days: 4,
    seed: 99,
    prefix: 'invocation-logs',
  });
  const rates = path.join(scratch, 'cli-rates.json');
  fs.writeFileSync(rates, JSON.stringify([{ match: 'claude-3-haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: 1.25 }]));
  const out = path.join(scratch, 'report');
  const r = cli('--logs', path.join(scratch, 'gen'), '--rates', rates, '--out', out);
  // The rate has no cache prices: said, naming the model, not priced as $0 in silence.
  expect(r.stderr).toMatch(
    /^Warning: no cache-read price for anthropic\.claude-3-haiku-20240307-v1:0: \d+ cache-read tokens are left out of its estimate \(set cacheReadPerMillionUsd\)\nWarning: no cache-write price for anthropic\.claude-3-haiku-20240307-v1:0: /m,
  );
  // Progress on stderr (stdout keeps the tables): the steps with the time since the start, and the summary with the elapsed time.
  expect(r.stderr).toMatch(
    /^\[\d+\.\d s\] reading the invocation logs under .*gen with DuckDB\n\[\d+\.\d s\] 5000 records in \d+ files aggregated\n/,
  );
  expect(r.stderr).toMatch(/\nusage report of 5000 records done \(\d+\.\d s\)\n$/);
  expect(r.stdout).not.toContain('aggregated');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`5000 invocation records in ${generated.files} files`);
  expect(r.stdout).toMatch(
    /^tenant +model +invocations +input tokens +output tokens +cache read +cache write +errors +throttles +est\. cost USD$/m,
  );
  expect(r.stdout).toMatch(/^untagged +\(all\) +\d+/m);
  expect(r.stdout).toContain('no rate');
  const csv = fs.readFileSync(path.join(out, 'usage.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe(
    'tenant,model,model_id,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,errors,throttles,estimated_cost_usd,unpriced_records',
  );
  expect(csv.length - 1).toBe(generated.totals.size);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'usage.json'), 'utf8'));
  expect(json.records).toBe(5000);
  expect(json.byTenant.map((t: { tenant: string }) => t.tenant)).toEqual(['acme', 'globex', 'initech', 'untagged']);
  const svg = fs.readFileSync(path.join(out, 'tokens-per-tenant-per-day.svg'), 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect((svg.match(/<rect [^>]*><title>/g) ?? []).length).toBe(generated.daily.size);
  for (const t of ['acme', 'globex', 'initech', 'untagged']) expect(svg).toContain(`>${t}</text>`);
});

test('the CLI explains bad use: exit 2 for usage, 1 for bad input, no stack trace', () => {
  expect(cli('--help').stdout).toContain('Usage: npm run usage-report -- --logs <dir>');
  const none = cli();
  expect([none.status, none.stderr]).toEqual([2, expect.stringContaining('Error: --logs is required')]);
  const missing = cli('--logs', path.join(scratch, 'nope'));
  expect([missing.status, missing.stderr]).toEqual([
    1,
    expect.stringContaining('expected a directory holding a copy of the invocation logs'),
  ]);
  fs.mkdirSync(path.join(scratch, 'empty'));
  const empty = cli('--logs', path.join(scratch, 'empty'));
  expect([empty.status, empty.stderr]).toEqual([1, expect.stringContaining('no *.json.gz files under it')]);
  expect(missing.stderr + empty.stderr).not.toMatch(/\n\s+at /);
});

test('--cur prints billed against estimated per tenant and day and writes reconciliation.csv; without prices it is a usage error', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const cur = path.join(scratch, 'cur', 'data', 'BILLING_PERIOD=2026-11');
  fs.mkdirSync(cur, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2026-11-01 00:00:00' AS line_item_usage_start_date, 'Usage' AS line_item_line_item_type, 'AmazonBedrock' AS line_item_product_code,
    'arn:aws:bedrock:us-east-1:${LOG_ACCOUNT}:application-inference-profile/x' AS line_item_resource_id, 12.5 AS line_item_unblended_cost,
    MAP {'user_tenant': 'acme'} AS resource_tags) TO '${path.join(cur, 'part-0.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  const out = path.join(scratch, 'recon');
  const r = cli(
    '--logs',
    path.join(scratch, 'logs'),
    '--profiles',
    path.join(scratch, 'outputs'),
    '--matrix',
    path.join(scratch, 'matrix.yaml'),
    '--cur',
    path.join(scratch, 'cur'),
    '--out',
    out,
  );
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Billed (CUR 2.0, 1 Bedrock usage line items in 1 files) against estimated cost per tenant and day:');
  expect(r.stdout).toMatch(/^day +tenant +billed USD +estimated USD +difference USD +difference %$/m);
  expect(r.stdout).toMatch(/^2026-11-01 +acme +12\.50 +\d+\.\d\d +-?\d+\.\d\d +-?\d+\.\d\d$/m);
  expect(r.stdout).toContain('Untagged share of billed Bedrock cost per day:\n  2026-11-01  billed 12.50 USD, untagged 0.00 USD (0.00 %)');
  expect(fs.readFileSync(path.join(out, 'reconciliation.csv'), 'utf8')).toMatch(
    /^day,tenant,billed_usd,estimated_usd,difference_usd,difference_pct,untagged_share_pct\n2026-11-01,acme,12.5,/,
  );
  const noPrices = cli('--logs', path.join(scratch, 'logs'), '--cur', path.join(scratch, 'cur'));
  expect([noPrices.status, noPrices.stderr]).toEqual([
    2,
    expect.stringContaining('Error: --cur compares the bill with estimated cost: give prices with --matrix or --rates'),
  ]);
});
