/** eval-dataset: the prompt dataset from invocation logs (shapes, sampling, large bodies, skips) and the job request. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  MAX_PROMPTS,
  evalDataset,
  evaluationJobRequest,
  jobName,
  modelIdentifier,
  promptText,
  responseText,
} from '../../tools/usage/eval-dataset';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const PROFILE = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/abc123`;
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-dataset-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const record = (i: number, over: Record<string, unknown> = {}) => ({
  schemaType: 'ModelInvocationLog',
  timestamp: `2026-11-0${1 + (i % 3)}T10:00:00Z`,
  accountId: ACCOUNT,
  region: REGION,
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  requestMetadata: { tenantId: 'acme' },
  input: { inputBodyJson: { messages: [{ role: 'user', content: [{ text: `question ${i}` }] }] } },
  output: { outputBodyJson: { output: { message: { role: 'assistant', content: [{ text: `answer ${i}` }] } } } },
  ...over,
});

/** Writes records as Bedrock does: gzipped JSON lines under AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/. */
function writeLogs(records: object[], perFile = 50) {
  const base = path.join(dir, 'logs', 'AWSLogs', ACCOUNT, 'BedrockModelInvocationLogs', REGION, '2026', '11', '01');
  for (let f = 0; f * perFile < records.length; f++) {
    const folder = path.join(base, String(f).padStart(2, '0'));
    fs.mkdirSync(folder, { recursive: true });
    const lines = records.slice(f * perFile, (f + 1) * perFile).map((r) => JSON.stringify(r));
    if (f === 0) lines.unshift('Amazon Bedrock permission check');
    fs.writeFileSync(path.join(folder, `part-${f}.json.gz`), zlib.gzipSync(lines.join('\n') + '\n'));
  }
  return path.join(dir, 'logs');
}

describe('body shapes', () => {
  test.each([
    ['Converse', { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }, 'Hi'],
    [
      'Converse with a system prompt',
      { system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }] },
      'Be brief.\n\nHi',
    ],
    ['Anthropic messages, string content', { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: 'Hi' }] }, 'Hi'],
    [
      'Anthropic messages, text blocks',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Hi' },
              { type: 'image', source: {} },
            ],
          },
        ],
      },
      'Hi',
    ],
    [
      'several turns',
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: 'c' },
        ],
      },
      'user: a\n\nassistant: b\n\nuser: c',
    ],
    ['Titan', { inputText: 'Hi' }, 'Hi'],
    ['Llama / Mistral', { prompt: 'Hi' }, 'Hi'],
  ])('prompt: %s', (_, body, expected) => expect(promptText(body)).toBe(expected));

  test('no prompt text: an image-only message, an embedding request, no body', () => {
    expect(promptText({ messages: [{ role: 'user', content: [{ image: {} }] }] })).toBeUndefined();
    expect(promptText({ texts: ['x'], input_type: 'search_document' })).toBeUndefined();
    expect(promptText(undefined)).toBeUndefined();
  });

  test.each([
    ['Converse / Nova', { output: { message: { content: [{ text: 'A' }] } } }, 'A'],
    ['Anthropic', { content: [{ type: 'text', text: 'A' }] }, 'A'],
    ['Titan', { results: [{ outputText: 'A' }] }, 'A'],
    ['Llama', { generation: 'A' }, 'A'],
    ['Mistral', { outputs: [{ text: 'A' }] }, 'A'],
    ['Cohere', { generations: [{ text: 'A' }] }, 'A'],
    [
      'ConverseStream chunks',
      [{ contentBlockDelta: { delta: { text: 'A' } } }, { contentBlockDelta: { delta: { text: 'B' } } }, { metadata: {} }],
      'AB',
    ],
    ['Anthropic stream chunks', [{ type: 'content_block_delta', delta: { type: 'text_delta', text: 'A' } }, { type: 'message_stop' }], 'A'],
  ])('response: %s', (_, body, expected) => expect(responseText(body)).toBe(expected));

  test('an embedding response has no text', () => expect(responseText({ embedding: [0.1, 0.2] })).toBeUndefined());
});

test('model identifiers fit the API pattern of inferenceSourceIdentifier', () => {
  const pattern = /^[a-zA-Z0-9]([a-zA-Z0-9._-]){0,255}$/;
  for (const id of ['anthropic.claude-3-haiku-20240307-v1:0', PROFILE, 'us.amazon.nova-lite-v1:0', ':odd', 'x'.repeat(400)])
    expect(modelIdentifier(id)).toMatch(pattern);
  expect(modelIdentifier('anthropic.claude-3-haiku-20240307-v1:0')).toBe('anthropic.claude-3-haiku-20240307-v1-0');
});

test('job names fit the API pattern [a-z0-9](-*[a-z0-9]){0,62}', () => {
  for (const n of [jobName('Acme_EU', 'anthropic.claude-3-haiku-20240307-v1-0', '2026-11-01'), jobName('a'.repeat(100)), jobName('--')])
    expect(n).toMatch(/^[a-z0-9](-*[a-z0-9]){0,62}$/);
});

test('one dataset per model of the tenant, with the documented keys only; other tenants, errors and bodies without text are left out and counted', () => {
  const logs = writeLogs([
    record(0),
    record(1, { modelId: 'us.amazon.nova-lite-v1:0' }),
    record(2, { requestMetadata: { tenantId: 'globex' } }),
    record(3, { errorCode: 'ThrottlingException', output: undefined }),
    record(4, { input: { inputBodyJson: { messages: [{ role: 'user', content: [{ image: {} }] }] } } }),
    record(5, { output: { outputBodyJson: { embedding: [1] } } }),
    record(6, { timestamp: '2026-10-01T00:00:00Z' }),
  ]);
  const r = evalDataset({ logs, tenant: 'acme', since: '2026-11-01' });
  expect(r).toMatchObject({
    records: 7,
    tenantRecords: 6,
    skipped: { error: 1, 'no prompt text': 1, 'no response text': 1, 'before --since': 1 },
  });
  expect(r.datasets.map((d) => [d.modelIdentifier, d.lines.length, d.account, d.region])).toEqual([
    ['anthropic.claude-3-haiku-20240307-v1-0', 1, ACCOUNT, REGION],
    ['us.amazon.nova-lite-v1-0', 1, ACCOUNT, REGION],
  ]);
  for (const d of r.datasets)
    for (const line of d.lines) {
      expect(Object.keys(line)).toEqual(['prompt', 'modelResponses']);
      expect(line.modelResponses).toHaveLength(1);
      expect(Object.keys(line.modelResponses[0]).sort()).toEqual(['modelIdentifier', 'response']);
      expect(line.modelResponses[0].modelIdentifier).toBe(d.modelIdentifier);
    }
  expect(r.datasets[0].lines[0]).toEqual({
    prompt: 'question 0',
    modelResponses: [{ response: 'answer 0', modelIdentifier: 'anthropic.claude-3-haiku-20240307-v1-0' }],
  });
});

test('with --profiles, a record through a tenant profile belongs to its owner and is labelled <tenant>-<alias>', () => {
  const logs = writeLogs([
    record(0, { modelId: PROFILE, requestMetadata: {} }),
    record(1, { modelId: PROFILE, requestMetadata: { tenantId: 'globex' } }),
  ]);
  const r = evalDataset({ logs, tenant: 'acme', profiles: new Map([[PROFILE, { tenant: 'acme', model: 'haiku' }]]) });
  expect(r.datasets.map((d) => [d.modelIdentifier, d.modelIds, d.lines.length])).toEqual([['acme-haiku', [PROFILE], 2]]);
});

test('bodies delivered to S3 are read from the local copy of the bucket (gzipped or not); a missing one is skipped and counted', () => {
  const big = 'x'.repeat(120_000);
  const key = `AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/11/01/10/data/abc_input.json.gz`;
  const outKey = `AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/11/01/10/data/abc_output.json`;
  const logs = writeLogs([
    record(0, { input: { inputBodyS3Path: `s3://bucket/prefix/${key}` }, output: { outputBodyS3Path: `s3://bucket/prefix/${outKey}` } }),
    record(1, { input: { inputBodyS3Path: `s3://bucket/prefix/AWSLogs/${ACCOUNT}/missing.json.gz` } }),
  ]);
  fs.mkdirSync(path.dirname(path.join(logs, key)), { recursive: true });
  fs.writeFileSync(path.join(logs, key), zlib.gzipSync(JSON.stringify({ messages: [{ role: 'user', content: [{ text: big }] }] })));
  fs.writeFileSync(path.join(logs, outKey), JSON.stringify({ output: { message: { content: [{ text: 'long answer' }] } } }));
  const r = evalDataset({ logs, tenant: 'acme' });
  expect(r.skipped).toEqual({ 'large body missing': 1 });
  expect(r.datasets[0].lines).toEqual([
    { prompt: big, modelResponses: [{ response: 'long answer', modelIdentifier: 'anthropic.claude-3-haiku-20240307-v1-0' }] },
  ]);
});

test('sampling is uniform-sized and deterministic for a seed, and differs across seeds', () => {
  const logs = writeLogs(Array.from({ length: 300 }, (_, i) => record(i)));
  const prompts = (seed: number) => evalDataset({ logs, tenant: 'acme', sample: 40, seed }).datasets[0].lines.map((l) => l.prompt);
  expect(prompts(7)).toHaveLength(40);
  expect(prompts(7)).toEqual(prompts(7));
  expect(prompts(8)).not.toEqual(prompts(7));
  // Not simply the first 40 records.
  expect(prompts(7).some((p) => Number(p.split(' ')[1]) >= 40)).toBe(true);
  expect(evalDataset({ logs, tenant: 'acme' }).datasets[0].lines).toHaveLength(300);
  expect(MAX_PROMPTS).toBe(1000);
});

test('the job request names the stack evaluation role and bucket and the precomputed inference source', () => {
  const logs = writeLogs([record(0)]);
  const [d] = evalDataset({ logs, tenant: 'acme' }).datasets;
  const req = evaluationJobRequest(d, 'acme-x.jsonl', 'amazon.nova-pro-v1:0', 'acme-x');
  expect(req.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/bedrock-evaluation-${REGION}`);
  expect(req.evaluationConfig.automated.datasetMetricConfigs[0].dataset.datasetLocation.s3Uri).toBe(
    `s3://bedrock-evaluation-${ACCOUNT}-${REGION}/datasets/acme-x.jsonl`,
  );
  expect(req.inferenceConfig.models[0].precomputedInferenceSource.inferenceSourceIdentifier).toBe(d.modelIdentifier);
  expect(req.evaluationConfig.automated.evaluatorModelConfig.bedrockEvaluatorModels[0].modelIdentifier).toBe('amazon.nova-pro-v1:0');
});
