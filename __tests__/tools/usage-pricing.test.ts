/**
 * The usage report prices the project's own traffic: records that went through
 * tenant application inference profiles (--profiles), at the matrix rate card
 * (--matrix). Checked against an independent computation that reads the log
 * files itself, record by record, with no DuckDB and no shared code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  LOG_ACCOUNT,
  LOG_ALIASES,
  LOG_MODELS,
  LOG_TENANTS,
  PROFILE_ARN,
  generateLogTree,
  profileOutputs,
} from '../../tools/usage/generate-logs';
import {
  UsageReport,
  UsageReportError,
  dailyCostCsv,
  loadMatrixPrices,
  loadProfiles,
  tenantTotals,
  toCsv,
  usageReport,
} from '../../tools/usage/usage-report';
import { asObject } from '../../review/terraform-json';

jest.setTimeout(60_000);

let scratch: string;
beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-pricing-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

type Card = {
  model: string;
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  cacheReadPerMillionUsd?: number;
  cacheWritePerMillionUsd?: number;
  validFrom: string;
  validTo?: string;
}[];

// Haiku changes price in the middle of the generated period (2026-11-01 .. 2026-11-05).
const CARD: Card = [
  {
    model: 'haiku',
    inputPerMillionUsd: 0.25,
    outputPerMillionUsd: 1.25,
    cacheReadPerMillionUsd: 0.3,
    cacheWritePerMillionUsd: 3.75,
    validFrom: '2024-03-01',
    validTo: '2026-11-03',
  },
  {
    model: 'haiku',
    inputPerMillionUsd: 0.2,
    outputPerMillionUsd: 1.1,
    cacheReadPerMillionUsd: 0.25,
    cacheWritePerMillionUsd: 3,
    validFrom: '2026-11-03',
  },
  {
    model: 'nova-lite',
    inputPerMillionUsd: 0.06,
    outputPerMillionUsd: 0.24,
    cacheReadPerMillionUsd: 0.015,
    cacheWritePerMillionUsd: 0.07,
    validFrom: '2024-12-01',
  },
];

/** A matrix as a user writes it: the logging account, the two models, the tenants, and a rate card. */
function writeMatrix(card: Card, file = path.join(scratch, `matrix-${Math.random().toString(36).slice(2)}.json`)): string {
  const matrix = {
    accounts: [{ id: LOG_ACCOUNT, regions: ['us-east-1'] }],
    models: [
      { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
      { alias: 'nova-lite', source: 'amazon.nova-lite-v1:0', crossRegion: true },
    ],
    tenants: LOG_TENANTS.map((id) => ({ id, models: ['haiku', 'nova-lite'] })),
    rateCard: card,
  };
  fs.writeFileSync(file, JSON.stringify(matrix, null, 2));
  return file;
}

function writeProfiles(): string {
  const file = path.join(scratch, 'outputs.json');
  fs.writeFileSync(file, JSON.stringify(profileOutputs(), null, 2));
  return file;
}

/** Every record of a tree, read with zlib and JSON.parse, skipping what is not a record. */
/** The fields of a generated log record the expected costs are computed from. */
interface LogRecord {
  modelId: string;
  timestamp: string;
  input: { inputTokenCount: number; cacheReadInputTokenCount: number; cacheWriteInputTokenCount: number };
  output?: { outputTokenCount: number };
}

function* records(dir: string): Generator<LogRecord> {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json.gz') ? [path.join(d, e.name)] : []));
  for (const f of walk(dir))
    for (const line of zlib.gunzipSync(fs.readFileSync(f)).toString('utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line);
      if (r.schemaType === 'ModelInvocationLog') yield r;
    }
}

/** Cost per tenant computed record by record, in integer micro-dollars per million tokens. */
function independentCost(dir: string, card: Card): Map<string, number> {
  const owner = new Map(Object.entries(profileOutputs().inference_profile_arns.value).map(([key, arn]) => [arn, key.split('/')] as const));
  const out = new Map<string, number>();
  for (const r of records(dir)) {
    const [tenant, alias] = owner.get(r.modelId)!;
    const day = r.timestamp.slice(0, 10);
    const rate = card.find((c) => c.model === alias && c.validFrom <= day && (!c.validTo || day < c.validTo))!;
    const cost =
      (r.input.inputTokenCount * rate.inputPerMillionUsd +
        (r.output?.outputTokenCount ?? 0) * rate.outputPerMillionUsd +
        r.input.cacheReadInputTokenCount * rate.cacheReadPerMillionUsd! +
        r.input.cacheWriteInputTokenCount * rate.cacheWritePerMillionUsd!) /
      1e6;
    out.set(tenant, (out.get(tenant) ?? 0) + cost);
  }
  return out;
}

describe('all traffic through tenant profiles, priced from the matrix rate card', () => {
  const dir = () => path.join(scratch, 'profiles-only');
  let report: UsageReport;
  let generated: ReturnType<typeof generateLogTree>;
  beforeAll(async () => {
    generated = generateLogTree(dir(), { records: 6000, perFile: 400, days: 5, seed: 7, profileShare: 1 });
    report = await usageReport({ logs: dir(), profiles: loadProfiles(writeProfiles()), matrix: loadMatrixPrices(writeMatrix(CARD)) });
  });

  test('per-tenant cost equals an independent computation to the cent, cache tokens included', () => {
    const expected = independentCost(dir(), CARD);
    const totals = tenantTotals(report.rows);
    expect(totals.map((t) => t.tenant).sort()).toEqual([...LOG_TENANTS].sort());
    for (const t of totals) {
      expect(t.unpricedRecords).toBeUndefined();
      expect(t.estimatedCostUsd!.toFixed(2)).toBe(expected.get(t.tenant)!.toFixed(2));
      expect(Math.abs(t.estimatedCostUsd! - expected.get(t.tenant)!)).toBeLessThan(1e-5);
    }
    // Cache tokens are in the data, and they weigh: leaving them out would move each total by more than a cent.
    const withoutCache = independentCost(
      dir(),
      CARD.map((c) => ({ ...c, cacheReadPerMillionUsd: 0, cacheWritePerMillionUsd: 0 })),
    );
    for (const t of totals) expect(t.estimatedCostUsd! - withoutCache.get(t.tenant)!).toBeGreaterThan(0.01);
    expect(report.warnings).toEqual([]);
  });

  test('every record counts for the profile owner, with the model alias; untagged callers are not "untagged"', () => {
    expect(report.profileRecords).toBe(6000);
    expect(new Set(report.rows.map((r) => r.model))).toEqual(new Set(LOG_ALIASES));
    expect(report.rows.some((r) => r.tenant === 'untagged')).toBe(false);
    const found = new Map(
      report.rows.map(({ tenant, model, modelId, estimatedCostUsd, unpricedRecords, ...t }) => [`${tenant}|${modelId}`, t]),
    );
    expect(found).toEqual(generated.ownerTotals);
    expect(report.mismatches).toEqual([]);
  });

  test('the estimate per tenant and day (cost-per-tenant-per-day.csv, for the reconciliation) adds up to the tenant totals', () => {
    expect(new Set(report.dailyCost.map((d) => d.day)).size).toBe(5);
    for (const t of tenantTotals(report.rows)) {
      const sum = report.dailyCost.filter((d) => d.tenant === t.tenant).reduce((n, d) => n + d.estimatedCostUsd, 0);
      expect(sum).toBeCloseTo(t.estimatedCostUsd!, 5);
    }
    expect(dailyCostCsv(report.dailyCost).split('\n')[0]).toBe('day,tenant,estimated_cost_usd,unpriced_records');
  });

  test('usage.csv carries the alias next to the model ID', () => {
    const [head, first] = toCsv(report.rows).split('\n');
    expect(head).toBe(
      'tenant,model,model_id,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,errors,throttles,estimated_cost_usd,unpriced_records',
    );
    expect(first).toMatch(new RegExp(`^acme,haiku,${PROFILE_ARN('acme', LOG_MODELS[0]).replace(/[.:/]/g, '\\$&')},`));
  });
});

test("foundation-model and system-profile IDs still price directly, by the matrix models' sources", async () => {
  const dir = path.join(scratch, 'direct');
  generateLogTree(dir, { records: 600, perFile: 300, days: 2, seed: 3, profileShare: 0 });
  const r = await usageReport({ logs: dir, matrix: loadMatrixPrices(writeMatrix(CARD)) });
  // anthropic.claude-3-haiku-20240307-v1:0 is haiku; us.amazon.nova-lite-v1:0 is the us. profile of nova-lite.
  expect(new Set(r.rows.map((x) => `${x.model} <- ${x.modelId}`))).toEqual(
    new Set([`haiku <- ${LOG_MODELS[0]}`, `nova-lite <- ${LOG_MODELS[1]}`]),
  );
  expect(r.rows.every((x) => x.estimatedCostUsd! > 0 && x.unpricedRecords === undefined)).toBe(true);
});

test('a partly priced row carries the priced part and the count of unpriced records', async () => {
  const dir = path.join(scratch, 'partly');
  generateLogTree(dir, { records: 900, perFile: 300, days: 4, seed: 5, profileShare: 1 });
  // Haiku has no price before 2026-11-03.
  const card = CARD.filter((c) => c.validFrom !== '2024-03-01');
  const r = await usageReport({ logs: dir, profiles: loadProfiles(writeProfiles()), matrix: loadMatrixPrices(writeMatrix(card)) });
  const expected = new Map<string, { cost: number; unpriced: number }>();
  const owner = new Map(Object.entries(profileOutputs().inference_profile_arns.value).map(([key, arn]) => [arn, key.split('/')] as const));
  for (const rec of records(dir)) {
    const [tenant, alias] = owner.get(rec.modelId)!;
    const e = expected.get(tenant) ?? { cost: 0, unpriced: 0 };
    const rate = card.find((c) => c.model === alias && c.validFrom <= rec.timestamp.slice(0, 10));
    if (!rate) e.unpriced++;
    else
      e.cost +=
        (rec.input.inputTokenCount * rate.inputPerMillionUsd +
          (rec.output?.outputTokenCount ?? 0) * rate.outputPerMillionUsd +
          rec.input.cacheReadInputTokenCount * rate.cacheReadPerMillionUsd! +
          rec.input.cacheWriteInputTokenCount * rate.cacheWritePerMillionUsd!) /
        1e6;
    expected.set(tenant, e);
  }
  for (const t of tenantTotals(r.rows)) {
    expect(t.unpricedRecords).toBe(expected.get(t.tenant)!.unpriced);
    expect(t.unpricedRecords).toBeGreaterThan(0);
    expect(t.estimatedCostUsd!.toFixed(2)).toBe(expected.get(t.tenant)!.cost.toFixed(2));
  }
  const row = r.rows.find((x) => x.tenant === 'acme' && x.model === 'haiku')!;
  expect(row.unpricedRecords).toBeGreaterThan(0);
  expect(row.unpricedRecords).toBeLessThan(row.invocations);
  expect(row.estimatedCostUsd).toBeGreaterThan(0);
});

test('a missing cache price is a warning that names the model, not a silent $0', async () => {
  const dir = path.join(scratch, 'nocache');
  generateLogTree(dir, { records: 600, perFile: 300, days: 2, seed: 11, profileShare: 1 });
  const card: Card = [
    { model: 'haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: 1.25, validFrom: '2024-03-01' },
    { model: 'nova-lite', inputPerMillionUsd: 0.06, outputPerMillionUsd: 0.24, cacheReadPerMillionUsd: 0.015, validFrom: '2024-12-01' },
  ];
  const r = await usageReport({ logs: dir, profiles: loadProfiles(writeProfiles()), matrix: loadMatrixPrices(writeMatrix(card)) });
  expect(r.warnings).toEqual([
    expect.stringMatching(/^no cache-read price for haiku: \d+ cache-read tokens are left out of its estimate/),
    expect.stringMatching(/^no cache-write price for haiku: \d+ cache-write tokens/),
    expect.stringMatching(/^no cache-write price for nova-lite: \d+ cache-write tokens/),
  ]);
});

test('records whose requestMetadata tenant is not the profile owner are counted per pair and reported', async () => {
  const dir = path.join(scratch, 'mismatch');
  const g = generateLogTree(dir, { records: 1500, perFile: 500, days: 2, seed: 13, profileShare: 0.9, mismatchShare: 0.1 });
  const r = await usageReport({ logs: dir, profiles: loadProfiles(writeProfiles()) });
  const found = new Map<string, number>();
  for (const m of r.mismatches)
    found.set(`${m.profileTenant}|${m.metadataTenant}`, (found.get(`${m.profileTenant}|${m.metadataTenant}`) ?? 0) + m.records);
  expect(found).toEqual(g.mismatches);
  expect([...g.mismatches.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  expect(r.mismatches[0]).toMatchObject({
    profileTenant: 'acme',
    metadataTenant: 'globex',
    profileArn: expect.stringContaining(':application-inference-profile/acme'),
  });
  // The records count for the owner, as AWS bills them.
  expect(new Map(r.rows.map(({ tenant, model, modelId, estimatedCostUsd, unpricedRecords, ...t }) => [`${tenant}|${modelId}`, t]))).toEqual(
    g.ownerTotals,
  );
});

describe('--profiles reads what terraform and cdktf print', () => {
  const map = profileOutputs().inference_profile_arns.value;
  const write = (name: string, doc: unknown) => {
    fs.mkdirSync(path.join(scratch, 'docs'), { recursive: true });
    const f = path.join(scratch, 'docs', name);
    fs.writeFileSync(f, JSON.stringify(doc));
    return f;
  };
  test('terraform output -json, terraform output -json inference_profile_arns, cdktf output --outputs-file, a directory of them', () => {
    const expected = new Map(Object.entries(map).map(([k, arn]) => [arn, { tenant: k.split('/')[0], model: k.split('/')[1] }]));
    expect(loadProfiles(write('a.json', profileOutputs()))).toEqual(expected);
    expect(loadProfiles(write('b.json', map))).toEqual(expected);
    expect(
      loadProfiles(write('c.json', { 'bedrock-logging-111111111111-us-east-1': { bucket_arn: 'x', inference_profile_arns: map } })),
    ).toEqual(expected);
    const other = { 'zeta/haiku': 'arn:aws:bedrock:eu-west-1:222222222222:application-inference-profile/abc123' };
    write('d.json', { inference_profile_arns: { sensitive: false, type: ['map', 'string'], value: other } });
    expect(loadProfiles(path.join(scratch, 'docs')).size).toBe(expected.size + 1);
  });
  test('a document without the output, or with a value that is not a profile ARN, is refused by name', () => {
    const none = write('none.json', { bucket_arn: { value: 'x', type: 'string', sensitive: false } });
    expect(() => loadProfiles(none)).toThrow(
      new UsageReportError(
        `--profiles ${none}: no inference_profile_arns output in it; expected the output of \`terraform output -json\` (or \`cdktf output --outputs-file\`) of a logging stack with tenant profiles`,
      ),
    );
    const bad = write('bad.json', {
      inference_profile_arns: { value: { 'acme/haiku': 'arn:aws:bedrock:us-east-1::foundation-model/x' }, type: ['map', 'string'] },
    });
    expect(() => loadProfiles(bad)).toThrow(
      'inference_profile_arns["acme/haiku"] = "arn:aws:bedrock:us-east-1::foundation-model/x" -> expected "<tenant>/<model alias>" -> an application inference profile ARN',
    );
    expect(() => loadProfiles(path.join(scratch, 'nope.json'))).toThrow(UsageReportError);
  });
  test('a bad matrix is a clear error, not a stack trace', () => {
    const f = writeMatrix([{ model: 'haiku', inputPerMillionUsd: -1, outputPerMillionUsd: 1, validFrom: '2024-01-01' }]);
    expect(() => loadMatrixPrices(f)).toThrow(/^--matrix: .*rateCard\[0\]\.inputPerMillionUsd/s);
  });
});

test('--profiles reads the output the logging stacks synthesize: inference_profile_arns, "<tenant>/<alias>" -> profile ARN', async () => {
  const { synth, resolveMatrix } = await import('../helpers');
  const { EXAMPLE_MATRIX } = await import('../../config/example-matrix');
  const stack = resolveMatrix(EXAMPLE_MATRIX).stacks.find((s) => s.region === 'eu-west-1')!;
  const output = synth(stack).tf.output?.inference_profile_arns;
  // As `terraform output -json` prints it after apply: the references resolved to ARNs.
  const value = Object.fromEntries(
    Object.entries(asObject(output?.value)).map(([key, ref], i) => {
      expect(ref).toMatch(/^\$\{aws_bedrock_inference_profile\.[a-z0-9_-]+\.arn\}$/);
      return [key, `arn:aws:bedrock:eu-west-1:${stack.accountId}:application-inference-profile/p${i}abc`];
    }),
  );
  const file = path.join(scratch, 'synthesized-output.json');
  fs.writeFileSync(file, JSON.stringify({ inference_profile_arns: { sensitive: false, type: ['map', 'string'], value } }));
  const owners = [...loadProfiles(file).values()].map((o) => `${o.tenant}/${o.model}`).sort();
  expect(owners).toEqual(stack.profiles.map((p) => `${p.tenant}/${p.model}`).sort());
  expect(owners).toContain('initech/sonnet');
});
