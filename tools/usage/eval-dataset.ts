/**
 * npm run eval-dataset -- --logs <dir> --tenant <id> [--profiles <file|dir>] [--since <date>] [--sample <n>] [--seed <n>] [--out <dir>]
 *
 * Turns what production actually answered into an Amazon Bedrock evaluation
 * dataset. From a local copy of the invocation logs (the same input as
 * usage-report), it samples up to --sample records of one tenant, per model, and
 * writes a "bring your own inference responses" prompt dataset per model: JSON
 * Lines, one `{"prompt", "modelResponses": [{"response", "modelIdentifier"}]}`
 * object a line (Bedrock user guide, "Create a prompt dataset for a model
 * evaluation job that uses a model as judge": at most 1,000 prompts a job, one
 * generator model a job; the `modelIdentifier` must equal the job's
 * `precomputedInferenceSource.inferenceSourceIdentifier`, whose API pattern is
 * `[a-zA-Z0-9]([a-zA-Z0-9._-]){0,255}`, so model IDs are rewritten to fit it).
 * Beside each dataset it writes the CreateEvaluationJob request, and prints the
 * `aws` commands that upload the dataset and start the job with the stack's
 * evaluation role and bucket (config/naming.ts).
 *
 * Bodies that Bedrock delivered to S3 instead of inline (over 100 KB, or binary:
 * `input.inputBodyS3Path`, `output.outputBodyS3Path`) are read from --large-data,
 * a local copy of that bucket (default: --logs). Records without text on either
 * side (errors, images, embeddings, unknown body shapes) are skipped and counted.
 * The same logs, options and seed always give the same datasets.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { evaluationBucketName, evaluationRoleName } from '../../config/naming';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { prng } from './generate-logs';
import { ProfileOwner, UsageReportError, loadProfiles } from './usage-report';

/** Bedrock's limit of prompts in one evaluation job's dataset. */
export const MAX_PROMPTS = 1000;

/** One line of the dataset (the documented keys for a judge job with your own inference responses). */
export interface DatasetLine {
  prompt: string;
  modelResponses: [{ response: string; modelIdentifier: string }];
}

/** Why a record of the tenant was left out. */
export type SkipReason = 'error' | 'no prompt text' | 'no response text' | 'large body missing' | 'before --since';

export interface EvalDataset {
  /** The model identifier of the dataset (inferenceSourceIdentifier). */
  modelIdentifier: string;
  /** The model ID or profile ARN the records called. */
  modelIds: string[];
  account?: string;
  region?: string;
  lines: DatasetLine[];
  /** Records of this model that could have been sampled. */
  candidates: number;
}

export interface EvalDatasetResult {
  datasets: EvalDataset[];
  files: number;
  records: number;
  /** Records of the tenant. */
  tenantRecords: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export interface EvalDatasetInput {
  logs: string;
  tenant: string;
  profiles?: Map<string, ProfileOwner>;
  tenantKey?: string;
  /** ISO date or timestamp: records before it are left out. */
  since?: string;
  sample?: number;
  seed?: number;
  /** A local copy of the bucket that holds large bodies (default: logs). */
  largeData?: string;
}

/** An object (or array) of a log record or body, read by key. */
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
/** The value at a path of keys, or undefined where a step is absent or not an object (optional chaining for unknown JSON). */
const get = (v: unknown, ...path: string[]): unknown => path.reduce((c, k) => (isObj(c) ? c[k] : undefined), v);

const text = (v: unknown): string[] => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v))
    return v.flatMap((b: unknown) => {
      const t = get(b, 'text');
      return typeof b === 'string' ? [b] : typeof t === 'string' ? [t] : [];
    });
  return [];
};
const joined = (parts: string[]) => parts.join('\n').trim() || undefined;

/**
 * The prompt of a request body, in the shapes the invocation log records hold:
 * Converse and Nova (`messages[].content[].text`, `system[].text`), Anthropic
 * messages (`messages[].content` as a string or text blocks, `system`), Titan
 * text (`inputText`), and `prompt` (Llama, Mistral, Cohere). A conversation of
 * several turns becomes a transcript, one "role: text" paragraph a turn.
 */
export function promptText(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  if (Array.isArray(body.messages)) {
    const turns = body.messages
      .map((m: unknown) => ({ role: String(get(m, 'role') ?? 'user'), text: joined(text(get(m, 'content'))) }))
      .filter((t) => t.text);
    const system = joined(text(body.system));
    if (!turns.length) return undefined;
    const conversation = turns.length === 1 ? turns[0].text : turns.map((t) => `${t.role}: ${t.text}`).join('\n\n');
    return system ? `${system}\n\n${conversation}` : conversation;
  }
  return joined(text(body.inputText ?? body.prompt));
}

/**
 * The answer in a response body: Converse and Nova (`output.message.content[].text`),
 * Anthropic (`content[].text`), Titan (`results[].outputText`), Llama
 * (`generation`), Mistral (`outputs[].text`), Cohere (`generations[].text`), and a
 * streamed answer (a list of chunks whose `delta.text` or `contentBlockDelta.delta.text` add up).
 */
export function responseText(body: unknown): string | undefined {
  if (Array.isArray(body))
    return joined([
      body
        .map(
          (c: unknown) =>
            get(c, 'contentBlockDelta', 'delta', 'text') ?? get(c, 'delta', 'text') ?? get(c, 'outputText') ?? get(c, 'generation') ?? '',
        )
        .join(''),
    ]);
  if (!isObj(body)) return undefined;
  if (get(body, 'output', 'message')) return joined(text(get(body, 'output', 'message', 'content')));
  if (Array.isArray(body.content)) return joined(text(body.content));
  if (Array.isArray(body.results))
    return joined(body.results.map((r: unknown) => get(r, 'outputText')).filter((t): t is string => typeof t === 'string'));
  if (typeof body.generation === 'string') return joined([body.generation]);
  if (Array.isArray(body.outputs)) return joined(text(body.outputs));
  if (Array.isArray(body.generations)) return joined(text(body.generations));
  return undefined;
}

/** A model ID, profile ARN or alias as an inferenceSourceIdentifier: `[a-zA-Z0-9]([a-zA-Z0-9._-]){0,255}`. */
export function modelIdentifier(id: string): string {
  const s = id
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, 256);
  return s || 'model';
}

/** The file of a body that Bedrock put in S3: the longest tail of its key that exists under the local copy. */
function largeBody(s3Path: string, root: string): unknown {
  const key = s3Path.replace(/^s3:\/\/[^/]+\//, '').split('/');
  for (let i = 0; i < key.length; i++) {
    const file = path.join(root, ...key.slice(i));
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
    const raw = fs.readFileSync(file);
    const data = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
    try {
      return JSON.parse(data.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function logFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json.gz')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The fields of an invocation log record (schemaType ModelInvocationLog) read here. */
interface LogRecord {
  schemaType?: string;
  timestamp: string;
  accountId?: string;
  region?: string;
  modelId: string;
  errorCode?: string;
  requestMetadata?: Record<string, string>;
  input?: { inputBodyJson?: unknown; inputBodyS3Path?: string };
  output?: { outputBodyJson?: unknown; outputBodyS3Path?: string };
}

/**
 * Reads the log tree in a fixed order (files by path, lines in order) and keeps a
 * uniform sample of each model's records of the tenant (reservoir sampling with a
 * seeded generator), so a seed always gives the same datasets.
 */
export function evalDataset(input: EvalDatasetInput): EvalDatasetResult {
  const logs = path.resolve(input.logs);
  if (!fs.existsSync(logs) || !fs.statSync(logs).isDirectory())
    throw new UsageReportError(`--logs ${input.logs}: expected a directory holding a copy of the invocation logs (the AWSLogs/ tree)`);
  const files = logFiles(logs);
  if (!files.length)
    throw new UsageReportError(
      `--logs ${input.logs}: no *.json.gz files under it (expected .../AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz)`,
    );
  const sample = input.sample ?? MAX_PROMPTS;
  const since = input.since ? Date.parse(input.since) : undefined;
  const tenantKey = input.tenantKey ?? 'tenantId';
  const largeRoot = path.resolve(input.largeData ?? input.logs);
  const rand = prng(input.seed ?? 1);
  const groups = new Map<string, EvalDataset>();
  const result: EvalDatasetResult = { datasets: [], files: files.length, records: 0, tenantRecords: 0, skipped: {} };
  const skip = (why: SkipReason) => (result.skipped[why] = (result.skipped[why] ?? 0) + 1);

  for (const file of files) {
    for (const line of zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')) {
      let r: LogRecord | null;
      try {
        r = JSON.parse(line);
      } catch {
        continue; // the plain-text permission check, or a blank line
      }
      if (r?.schemaType !== 'ModelInvocationLog') continue;
      result.records++;
      const owner = input.profiles?.get(r.modelId);
      const tenant = owner ? owner.tenant : r.requestMetadata?.[tenantKey];
      if (tenant !== input.tenant) continue;
      result.tenantRecords++;
      if (since !== undefined && !(Date.parse(r.timestamp) >= since)) {
        skip('before --since');
        continue;
      }
      if (r.errorCode) {
        skip('error');
        continue;
      }
      const inBody = r.input?.inputBodyJson ?? (r.input?.inputBodyS3Path ? largeBody(r.input.inputBodyS3Path, largeRoot) : undefined);
      const outBody =
        r.output?.outputBodyJson ?? (r.output?.outputBodyS3Path ? largeBody(r.output.outputBodyS3Path, largeRoot) : undefined);
      if (inBody === undefined && r.input?.inputBodyS3Path) {
        skip('large body missing');
        continue;
      }
      if (outBody === undefined && r.output?.outputBodyS3Path) {
        skip('large body missing');
        continue;
      }
      const prompt = promptText(inBody);
      if (!prompt) {
        skip('no prompt text');
        continue;
      }
      const response = responseText(outBody);
      if (!response) {
        skip('no response text');
        continue;
      }
      const id = modelIdentifier(owner ? `${owner.tenant}-${owner.model}` : String(r.modelId));
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { modelIdentifier: id, modelIds: [], account: r.accountId, region: r.region, lines: [], candidates: 0 }));
      if (!g.modelIds.includes(r.modelId)) g.modelIds.push(r.modelId);
      if (g.account !== r.accountId) g.account = undefined;
      if (g.region !== r.region) g.region = undefined;
      g.candidates++;
      const entry: DatasetLine = { prompt, modelResponses: [{ response, modelIdentifier: id }] };
      // Reservoir sampling (Algorithm R): every record of the group is kept with the same probability.
      if (g.lines.length < sample) g.lines.push(entry);
      else {
        const j = Math.floor(rand() * g.candidates);
        if (j < sample) g.lines[j] = entry;
      }
    }
  }
  result.datasets = [...groups.values()].sort((a, b) => (a.modelIdentifier < b.modelIdentifier ? -1 : 1));
  return result;
}

/** The CreateEvaluationJob request for a dataset uploaded to the stack's evaluation bucket. */
export function evaluationJobRequest(d: EvalDataset, file: string, judge: string, jobName: string) {
  const account = d.account ?? '<account>';
  const region = d.region ?? '<region>';
  const bucket = evaluationBucketName(account, region);
  return {
    jobName,
    roleArn: `arn:aws:iam::${account}:role/${evaluationRoleName(region)}`,
    applicationType: 'ModelEvaluation',
    evaluationConfig: {
      automated: {
        datasetMetricConfigs: [
          {
            taskType: 'General',
            dataset: { name: file.replace(/\.jsonl$/, '').slice(0, 63), datasetLocation: { s3Uri: `s3://${bucket}/datasets/${file}` } },
            metricNames: ['Builtin.Correctness', 'Builtin.Completeness', 'Builtin.Helpfulness'],
          },
        ],
        evaluatorModelConfig: { bedrockEvaluatorModels: [{ modelIdentifier: judge }] },
      },
    },
    inferenceConfig: { models: [{ precomputedInferenceSource: { inferenceSourceIdentifier: d.modelIdentifier } }] },
    outputDataConfig: { s3Uri: `s3://${bucket}/results/` },
  };
}

/** A job name of the API's pattern `[a-z0-9](-*[a-z0-9]){0,62}`. */
export function jobName(...parts: string[]): string {
  return (
    parts
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 63)
      .replace(/^-+|-+$/g, '') || 'evaluation'
  );
}

export const COMMAND = defineCommand({
  command: 'npm run eval-dataset',
  usage: '-- --logs <dir> --tenant <id> [--profiles <file|dir>] [--since <date>] [--sample <n>] [--seed <n>] [--out <dir>]',
  summary: `Samples what one tenant's models actually answered in production (a local copy of the
invocation logs, as for usage-report) into Amazon Bedrock evaluation datasets: one JSON
Lines file per model of "bring your own inference responses" prompts (prompt, the
response the model gave, its modelIdentifier), at most 1,000 prompts each. Beside each,
<name>.job.json is the CreateEvaluationJob request for a model-as-judge job with the
stack's evaluation role and bucket; the commands to upload it and start the job are
printed. Records without text (errors, images, embeddings) are skipped and counted.
The dataset holds real prompts and answers: see docs/evaluation.md for what personal
data it may carry and how masking applies.`,
  options: [
    { name: '--logs', value: '<dir>', help: 'a local copy of the invocation logs (aws s3 sync s3://<bucket>/<prefix>/AWSLogs ./logs)' },
    { name: '--tenant', value: '<id>', help: 'the tenant whose records are sampled (its profiles with --profiles, else requestMetadata)' },
    {
      name: '--profiles',
      value: '<file|dir>',
      help: 'terraform output -json of the logging stacks: a record through a tenant profile\nbelongs to its owner, as in usage-report',
    },
    { name: '--tenant-key', value: '<key>', help: 'the requestMetadata key that names the tenant (default tenantId)' },
    { name: '--since', value: '<date>', help: 'leave out records before this date or timestamp (ISO 8601, UTC)' },
    { name: '--sample', value: '<n>', help: `records per model, 1 to ${MAX_PROMPTS} (default ${MAX_PROMPTS}, Bedrock's limit per job)` },
    { name: '--seed', value: '<n>', help: 'the sampling seed (default 1): the same logs and seed give the same datasets' },
    { name: '--large-data', value: '<dir>', help: 'a local copy of the bucket that holds bodies delivered to S3 (default: --logs)' },
    { name: '--judge', value: '<model>', help: 'the evaluator model ID for the job request (default: a placeholder to fill in)' },
    { name: '--out', value: '<dir>', help: 'where the datasets and job requests go (default eval-dataset)' },
    { name: '--quiet', help: 'no progress on stderr' },
  ],
  exits: { failed: 'failed: no logs, a bad --profiles file, or no usable record of the tenant' },
});

const positiveInt = (v: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | string | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : `${name} ${v}: expected a whole number from 1 to ${max}`;
};

/** The CLI; returns the exit code, or undefined where cliOptions or usageError has set it. */
export function main(argv: string[]): number | undefined {
  const cli = cliOptions(COMMAND, argv);
  if (!cli) return undefined;
  const opts = cli.values;
  const log = progress(cli.switches.has('--quiet'));
  const { '--logs': logs, '--tenant': tenant } = opts;
  if (!logs || !tenant) {
    usageError(COMMAND, `${logs ? '--tenant' : '--logs'} is required`);
    return undefined;
  }
  const sample = positiveInt(opts['--sample'], '--sample', MAX_PROMPTS);
  const seed = positiveInt(opts['--seed'], '--seed');
  for (const v of [sample, seed])
    if (typeof v === 'string') {
      usageError(COMMAND, v);
      return undefined;
    }
  if (opts['--since'] && Number.isNaN(Date.parse(opts['--since']))) {
    usageError(COMMAND, `--since ${opts['--since']}: expected an ISO 8601 date such as 2026-11-01`);
    return undefined;
  }
  try {
    const profiles = opts['--profiles'] ? loadProfiles(opts['--profiles']) : undefined;
    log.step(`reading the invocation logs under ${logs}`);
    const r = evalDataset({
      logs: logs,
      tenant,
      profiles,
      tenantKey: opts['--tenant-key'],
      since: opts['--since'],
      sample: sample as number | undefined,
      seed: seed as number | undefined,
      largeData: opts['--large-data'],
    });
    const skipped = Object.entries(r.skipped).map(([why, n]) => `${n} ${why}`);
    console.log(
      `${r.records} invocation records in ${r.files} files; ${r.tenantRecords} of tenant ${tenant}${skipped.length ? `, skipped: ${skipped.join(', ')}` : ''}`,
    );
    if (!r.datasets.length) {
      process.stderr.write(`Error: no record of tenant ${tenant} with a prompt and a response text under ${logs}\n`);
      return EXIT.failed;
    }
    const out = opts['--out'] ?? 'eval-dataset';
    fs.mkdirSync(out, { recursive: true });
    const judge = opts['--judge'] ?? '<judge model ID, one of evaluation.judgeModels>';
    for (const d of r.datasets) {
      // A profile's identifier already starts with its tenant ("acme-haiku").
      const name = d.modelIdentifier.startsWith(`${tenant}-`) ? d.modelIdentifier : `${tenant}-${d.modelIdentifier}`;
      const file = `${name}.jsonl`;
      fs.writeFileSync(path.join(out, file), d.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const request = evaluationJobRequest(d, file, judge, jobName(tenant, d.modelIdentifier, opts['--since']?.slice(0, 10) ?? ''));
      const requestFile = path.join(out, `${name}.job.json`);
      fs.writeFileSync(requestFile, JSON.stringify(request, null, 2) + '\n');
      console.log(`\n${path.join(out, file)}: ${d.lines.length} of ${d.candidates} records of ${d.modelIds.join(', ')}`);
      console.log(
        `  aws s3 cp ${path.join(out, file)} ${request.evaluationConfig.automated.datasetMetricConfigs[0].dataset.datasetLocation.s3Uri}`,
      );
      console.log(`  aws bedrock create-evaluation-job --region ${d.region ?? '<region>'} --cli-input-json file://${requestFile}`);
    }
    if (!opts['--judge'])
      console.log(`\nSet evaluatorModelConfig's modelIdentifier in each *.job.json (or pass --judge) before starting a job.`);
    log.done(`${r.datasets.length} dataset(s) written to ${out}`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageReportError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  if (code !== undefined) process.exitCode = code;
}
