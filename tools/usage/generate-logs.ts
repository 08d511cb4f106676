/**
 * Generates a realistic tree of Bedrock invocation logs as Bedrock writes them to
 * S3 (key layout, gzipped JSON lines, the permission-check object and line,
 * untagged records, errors, throttles, cache tokens), deterministically, and
 * returns the totals a correct report must find. For tests and the usage-report
 * benchmark (npm run bench:usage).
 */
import { DEFAULT_BUCKET_NAME_PREFIX, logBucketName } from '../../config/naming';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { DailyRow, UsageRow } from './usage-report';

export const LOG_ACCOUNT = '111111111111';
export const LOG_REGION = 'us-east-1';
export const PROFILE_ARN = (tenant: string, model: string) =>
  `arn:aws:bedrock:${LOG_REGION}:${LOG_ACCOUNT}:application-inference-profile/${tenant}${model.replace(/[^a-z0-9]/g, '')}`;
export const LOG_MODELS = ['anthropic.claude-3-haiku-20240307-v1:0', 'us.amazon.nova-lite-v1:0'];
/** The matrix model alias of each of LOG_MODELS. */
export const LOG_ALIASES = ['haiku', 'nova-lite'];
export const LOG_TENANTS = ['acme', 'globex', 'initech'];

/**
 * The logging stacks' outputs as `terraform output -json` prints them, for the
 * profiles the generator uses: "<tenant>/<model alias>" -> profile ARN.
 */
export function profileOutputs(tenants: string[] = LOG_TENANTS) {
  const value = Object.fromEntries(tenants.flatMap((t) => LOG_MODELS.map((m, i) => [`${t}/${LOG_ALIASES[i]}`, PROFILE_ARN(t, m)])));
  return {
    bucket_arn: {
      sensitive: false,
      type: 'string',
      value: `arn:aws:s3:::${logBucketName(DEFAULT_BUCKET_NAME_PREFIX, LOG_ACCOUNT, LOG_REGION)}`,
    },
    inference_profile_arns: { sensitive: false, type: ['map', 'string'], value },
  };
}

/** What the usage report must find for one tenant and model. */
export type Totals = Omit<UsageRow, 'tenant' | 'model' | 'modelId' | 'estimatedCostUsd' | 'unpricedRecords'>;

export interface GeneratedLogs {
  /** "<tenant>|<modelId>" -> totals, the tenant as requestMetadata names it (or "untagged") */
  totals: Map<string, Totals>;
  /** The same with the tenant of a profile record being the profile's owner (the report with --profiles) */
  ownerTotals: Map<string, Totals>;
  /** "<day>|<tenant>" -> input + output tokens, the tenant as in `totals` */
  daily: Map<string, number>;
  /** Records whose requestMetadata tenant is not the profile's owner: "<owner>|<metadata tenant>" -> records */
  mismatches: Map<string, number>;
  files: number;
  records: number;
  bytes: { json: number; gzip: number };
}

/** A small deterministic PRNG (mulberry32), so a seed gives the same tree everywhere. */
export function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const empty = (): Totals => ({
  invocations: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  errors: 0,
  throttles: 0,
});

/**
 * Writes `records` records spread over `days` days (from 2026-11-01, UTC), a
 * file per `perFile` records. A record goes through its tenant's profile with
 * probability `profileShare` (default 0.8), otherwise it names the model ID. About
 * 1 in 12 records carries no tenant in requestMetadata, a share `mismatchShare`
 * (default 0) names another tenant than the profile's owner; 1 in 40 is an error,
 * 1 in 60 a throttle. `bodyBytes` pads prompts to make records realistic in size.
 */
export function generateLogTree(
  dir: string,
  options: {
    records: number;
    days?: number;
    perFile?: number;
    seed?: number;
    bodyBytes?: number;
    prefix?: string;
    tenants?: string[];
    profileShare?: number;
    mismatchShare?: number;
  },
): GeneratedLogs {
  const {
    records,
    days = 3,
    perFile = 500,
    seed = 1,
    bodyBytes = 600,
    prefix = '',
    tenants = LOG_TENANTS,
    profileShare = 0.8,
    mismatchShare = 0,
  } = options;
  const rand = prng(seed);
  const pick = <T>(l: T[]) => l[Math.floor(rand() * l.length)];
  const root = path.join(dir, prefix, 'AWSLogs', LOG_ACCOUNT, 'BedrockModelInvocationLogs', LOG_REGION);
  const out: GeneratedLogs = {
    totals: new Map(),
    ownerTotals: new Map(),
    daily: new Map(),
    mismatches: new Map(),
    files: 0,
    records: 0,
    bytes: { json: 0, gzip: 0 },
  };
  // Prompts are slices of a large text of random words, so they compress about as well as real prompts do.
  const words = [
    'cost',
    'report',
    'quarter',
    'platform',
    'team',
    'summarize',
    'invoice',
    'customer',
    'model',
    'latency',
    'budget',
    'region',
    'account',
    'the',
    'a',
    'of',
    'for',
    'with',
    'and',
    'please',
  ];
  const corpus = Array.from(
    { length: 200_000 },
    () => pick(words) + (rand() < 0.1 ? `-${Math.floor(rand() * 1e6).toString(36)}` : ''),
  ).join(' ');
  const filler = () => {
    const at = Math.floor(rand() * (corpus.length - bodyBytes));
    return corpus.slice(at, at + bodyBytes);
  };
  const start = Date.UTC(2026, 10, 1);
  const span = days * 86400_000;

  // Bedrock's permission check: a zero-byte object next to the logs.
  fs.mkdirSync(path.join(dir, prefix, 'AWSLogs', LOG_ACCOUNT, 'BedrockModelInvocationLogs'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, prefix, 'AWSLogs', LOG_ACCOUNT, 'BedrockModelInvocationLogs', 'amazon-bedrock-logs-permission-check'),
    '',
  );

  for (let written = 0, file = 0; written < records; file++) {
    const n = Math.min(perFile, records - written);
    // Each file covers one hour, as Bedrock's do; timestamps stay in order across files.
    const t0 = start + Math.floor((written / records) * span);
    const hour = new Date(t0 - (t0 % 3600_000));
    const lines: string[] = [];
    if (file === 0) lines.push('Amazon Bedrock permission check: this line is not a log record');
    for (let i = 0; i < n; i++) {
      const ts = new Date(Math.min(hour.getTime() + 3599_000, t0 + i * 1000));
      const owner = pick(tenants);
      const r0 = rand();
      const tenant = r0 < 1 / 12 ? undefined : r0 < 1 / 12 + mismatchShare ? tenants[(tenants.indexOf(owner) + 1) % tenants.length] : owner;
      const model = pick(LOG_MODELS);
      const viaProfile = rand() < profileShare;
      const modelId = viaProfile ? PROFILE_ARN(owner, model) : model;
      const r = rand();
      const errorCode = r < 1 / 60 ? 'ThrottlingException' : r < 1 / 60 + 1 / 40 ? 'ValidationException' : undefined;
      const inputTokens = 20 + Math.floor(rand() * 2000);
      const outputTokens = errorCode ? 0 : 5 + Math.floor(rand() * 800);
      const cacheRead = rand() < 0.2 ? Math.floor(rand() * 1000) : 0;
      const cacheWrite = rand() < 0.05 ? Math.floor(rand() * 500) : 0;
      const metadata: Record<string, string> = {
        useCase: pick(['chat', 'summarize', 'classify']),
        userId: `u-${Math.floor(rand() * 500)}`,
      };
      if (tenant) metadata.tenantId = tenant;
      const record: { timestamp: string; [field: string]: unknown } = {
        schemaType: 'ModelInvocationLog',
        schemaVersion: '1.0',
        timestamp: ts.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        accountId: LOG_ACCOUNT,
        region: LOG_REGION,
        requestId: `${file.toString(16).padStart(8, '0')}-${i.toString(16).padStart(4, '0')}-4000-8000-${Math.floor(rand() * 2 ** 40)
          .toString(16)
          .padStart(12, '0')}`,
        operation: pick(['Converse', 'ConverseStream', 'InvokeModel']),
        modelId,
        inferenceRegion: LOG_REGION,
        identity: { arn: `arn:aws:sts::${LOG_ACCOUNT}:assumed-role/${tenant ?? 'shared'}-app/session` },
        ...(rand() < 0.5 || tenant ? { requestMetadata: metadata } : {}),
        input: {
          inputContentType: 'application/json',
          inputBodyJson: { messages: [{ role: 'user', content: [{ text: filler() }] }] },
          inputTokenCount: inputTokens,
          cacheReadInputTokenCount: cacheRead,
          cacheWriteInputTokenCount: cacheWrite,
        },
      };
      if (errorCode) record.errorCode = errorCode;
      else
        record.output = {
          outputContentType: 'application/json',
          outputBodyJson: { output: { message: { role: 'assistant', content: [{ text: 'The costs rose 4%.' }] } } },
          outputTokenCount: outputTokens,
        };
      lines.push(JSON.stringify(record));

      for (const [totals, who] of [
        [out.totals, tenant],
        [out.ownerTotals, viaProfile ? owner : tenant],
      ] as const) {
        const key = `${who ?? 'untagged'}|${modelId}`;
        const t = totals.get(key) ?? empty();
        t.invocations++;
        t.inputTokens += inputTokens;
        t.outputTokens += outputTokens;
        t.cacheReadTokens += cacheRead;
        t.cacheWriteTokens += cacheWrite;
        if (errorCode) t.errors++;
        if (errorCode === 'ThrottlingException') t.throttles++;
        totals.set(key, t);
      }
      if (viaProfile && tenant && tenant !== owner)
        out.mismatches.set(`${owner}|${tenant}`, (out.mismatches.get(`${owner}|${tenant}`) ?? 0) + 1);
      const dayKey = `${record.timestamp.slice(0, 10)}|${tenant ?? 'untagged'}`;
      out.daily.set(dayKey, (out.daily.get(dayKey) ?? 0) + inputTokens + outputTokens);
    }
    const p = (v: number) => String(v).padStart(2, '0');
    const folder = path.join(root, String(hour.getUTCFullYear()), p(hour.getUTCMonth() + 1), p(hour.getUTCDate()), p(hour.getUTCHours()));
    fs.mkdirSync(folder, { recursive: true });
    const text = lines.join('\n') + '\n';
    const gz = zlib.gzipSync(text, { level: 1 });
    fs.writeFileSync(
      path.join(folder, `${hour.toISOString().replace(/[-:]|\.\d{3}/g, '')}_${file.toString(16).padStart(8, '0')}.json.gz`),
      gz,
    );
    out.bytes.json += Buffer.byteLength(text);
    out.bytes.gzip += gz.length;
    out.files++;
    out.records += n;
    written += n;
  }
  return out;
}

/**
 * Tokens per tenant per day of a landing zone at scale, for the chart: 25 tenants
 * over 75 days from 2026-09-01 (tenant-01 uses the most, tenant-25 the least), with
 * days that have no data at all (days 5, 9, 22, 32, 39, 55, 56, 73).
 */
export function manyTenantsDaily(): DailyRow[] {
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: DailyRow[] = [];
  for (let d = 0; d < 75; d++) {
    if (d % 17 === 5 || d % 23 === 9) continue;
    const day = new Date(Date.UTC(2026, 8, 1) + d * 86400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 25; i++)
      if (rand() < 0.8)
        out.push({ day, tenant: `tenant-${String(i + 1).padStart(2, '0')}`, tokens: Math.round((2_000_000 / (i + 1)) * (0.5 + rand())) });
  }
  return out;
}
