/**
 * The offline usage report: generated log trees with known totals, checked
 * exactly; a hand-written tree for the cost arithmetic and rate validity. The CLI:
 * usage-report.cli.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { GeneratedLogs, LOG_ACCOUNT, generateLogTree } from '../../tools/usage/generate-logs';
import { Rate, UsageReport, loadRates, tenantTotals, usageReport } from '../../tools/usage/usage-report';

jest.setTimeout(60_000);

let scratch: string;
let generated: GeneratedLogs;
let report: UsageReport;
beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-'));
  generated = generateLogTree(path.join(scratch, 'gen'), { records: 5000, perFile: 300, days: 4, seed: 99, prefix: 'invocation-logs' });
  report = await usageReport({ logs: path.join(scratch, 'gen') });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('every tenant x model total of a generated tree is found exactly, untagged records included', () => {
  expect(report.files).toBe(generated.files);
  expect(report.records).toBe(5000);
  const found = new Map(
    report.rows.map(({ tenant, model, modelId, estimatedCostUsd, unpricedRecords, ...t }) => [`${tenant}|${modelId}`, t]),
  );
  expect(found).toEqual(generated.totals);
  expect([...found.keys()].some((k) => k.startsWith('untagged|'))).toBe(true);
  expect(report.rows.every((r) => r.estimatedCostUsd === undefined)).toBe(true);
});

test('tokens per tenant per day match, for the chart', () => {
  expect(new Map(report.daily.map((d) => [`${d.day}|${d.tenant}`, d.tokens]))).toEqual(generated.daily);
  expect(new Set(report.daily.map((d) => d.day)).size).toBe(4);
});

/** Writes records by hand into the real key layout: [hour folder, lines]. */
function handTree(dir: string, files: [string, string[]][]): string {
  for (const [hour, lines] of files) {
    const folder = path.join(dir, 'AWSLogs', LOG_ACCOUNT, 'BedrockModelInvocationLogs', 'eu-west-1', ...hour.split('/'));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${hour.replace(/\//g, '')}_0001.json.gz`), zlib.gzipSync(lines.join('\n') + '\n'));
  }
  return dir;
}

const rec = (
  ts: string,
  modelId: string,
  tokens: [number, number, number?, number?],
  metadata?: Record<string, string>,
  errorCode?: string,
) =>
  JSON.stringify({
    schemaType: 'ModelInvocationLog',
    timestamp: ts,
    modelId,
    ...(metadata ? { requestMetadata: metadata } : {}),
    input: { inputTokenCount: tokens[0], cacheReadInputTokenCount: tokens[2] ?? 0, cacheWriteInputTokenCount: tokens[3] ?? 0 },
    ...(errorCode ? { errorCode } : { output: { outputTokenCount: tokens[1] } }),
  });

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const PROFILE = `arn:aws:bedrock:eu-west-1:${LOG_ACCOUNT}:application-inference-profile/abc123`;

test("cost: the most specific rate valid on the record's day, per million tokens, cache tokens priced apart", async () => {
  const dir = handTree(path.join(scratch, 'hand'), [
    [
      '2026/10/31/23',
      [
        'Amazon Bedrock permission check line',
        rec('2026-10-31T23:10:00Z', HAIKU, [1_000_000, 200_000, 100_000, 10_000], { tenantId: 'acme', userId: 'u1' }),
        rec('2026-10-31T23:20:00Z', PROFILE, [2_000_000, 0], { tenantId: 'globex' }, 'ThrottlingException'),
      ],
    ],
    [
      '2026/11/01/00',
      [
        rec('2026-11-01T00:05:00Z', HAIKU, [1_000_000, 1_000_000], { tenantId: 'acme' }),
        rec('2026-11-01T00:06:00Z', HAIKU, [500_000, 100_000], { useCase: 'batch' }),
        rec('2026-11-01T00:07:00Z', 'amazon.titan-embed-text-v2:0', [1_000, 0], { tenantId: 'acme' }),
        '{"truncated": ',
      ],
    ],
  ]);
  const rates: Rate[] = [
    // Haiku: one price in October, another from November.
    {
      match: 'claude-3-haiku',
      inputPerMillionUsd: 0.25,
      outputPerMillionUsd: 1.25,
      cacheReadPerMillionUsd: 0.03,
      cacheWritePerMillionUsd: 0.3,
      validTo: '2026-11-01',
    },
    { match: 'claude-3-haiku', inputPerMillionUsd: 0.2, outputPerMillionUsd: 1.0, validFrom: '2026-11-01' },
    // A profile priced by its ARN; a broader rate that must lose to it.
    { match: 'application-inference-profile/abc123', inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
    { match: 'application-inference-profile', inputPerMillionUsd: 100, outputPerMillionUsd: 100 },
  ];
  const r = await usageReport({ logs: dir, rates });
  expect(r.records).toBe(5);
  const row = (tenant: string, model: string) => r.rows.find((x) => x.tenant === tenant && x.modelId === model);
  // October: 1M in x 0.25 + 0.2M out x 1.25 + 0.1M cache read x 0.03 + 0.01M cache write x 0.3 = 0.25 + 0.25 + 0.003 + 0.003
  // November: 1M x 0.2 + 1M x 1.0
  expect(row('acme', HAIKU)).toEqual({
    tenant: 'acme',
    model: HAIKU,
    modelId: HAIKU,
    invocations: 2,
    inputTokens: 2_000_000,
    outputTokens: 1_200_000,
    cacheReadTokens: 100_000,
    cacheWriteTokens: 10_000,
    errors: 0,
    throttles: 0,
    estimatedCostUsd: 0.506 + 1.2,
  });
  expect(row('globex', PROFILE)).toMatchObject({ invocations: 1, errors: 1, throttles: 1, inputTokens: 2_000_000, estimatedCostUsd: 6 });
  expect(row('untagged', HAIKU)).toMatchObject({ invocations: 1, inputTokens: 500_000, estimatedCostUsd: 0.1 + 0.1 });
  // No rate for the embedding model: no estimate rather than a wrong one; the tenant total carries the priced part and says what is left out.
  expect(row('acme', 'amazon.titan-embed-text-v2:0')).toMatchObject({ inputTokens: 1000, estimatedCostUsd: undefined, unpricedRecords: 1 });
  expect(tenantTotals(r.rows).find((t) => t.tenant === 'acme')).toMatchObject({
    invocations: 3,
    inputTokens: 2_001_000,
    estimatedCostUsd: 1.706,
    unpricedRecords: 1,
  });
  expect(tenantTotals(r.rows).find((t) => t.tenant === 'globex')).toMatchObject({ estimatedCostUsd: 6 });
});

test('the tenant key is configurable', async () => {
  const dir = handTree(path.join(scratch, 'key'), [
    ['2026/11/02/10', [rec('2026-11-02T10:00:00Z', HAIKU, [10, 5], { team: 'payments', tenantId: 'acme' })]],
  ]);
  expect((await usageReport({ logs: dir, tenantKey: 'team' })).rows.map((x) => x.tenant)).toEqual(['payments']);
});

test('a rate card with a bad price or date is refused, naming the entry and field', () => {
  const file = path.join(scratch, 'rates.json');
  fs.writeFileSync(file, JSON.stringify([{ match: 'haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: '1.25' }]));
  expect(() => loadRates(file)).toThrow(
    `--rates ${file}: [0].outputPerMillionUsd: "1.25" -> expected a price in US dollars per million tokens`,
  );
  fs.writeFileSync(file, JSON.stringify([{ match: 'haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: 1, validFrom: '1/11/2026' }]));
  expect(() => loadRates(file)).toThrow('[0].validFrom: "1/11/2026" -> expected a date YYYY-MM-DD');
});
