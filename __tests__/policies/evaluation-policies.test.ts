/**
 * The evaluation role, simulated (@cloud-copilot/iam-simulate) as deployed: it reads
 * and writes only its bucket's prefixes, cannot read the invocation-log bucket, and
 * invokes only the judge models; only Bedrock evaluation jobs of its account and
 * region may assume it.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { validateMatrix } from '../../config/load';
import { logKeyPolicy } from '../../policies/log-key-policy';
import { synth } from '../helpers';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const config = validateMatrix(
  {
    accounts: [{ id: ACCOUNT, regions: [REGION] }],
    models: [
      { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
      { alias: 'nova', source: 'amazon.nova-pro-v1:0', crossRegion: true },
    ],
    evaluation: { judgeModels: ['nova'] },
  },
  'test',
);
const stack = config.stacks[0];
const tf = synth(stack);
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** The role policy as deployed, with the key's Terraform reference replaced by its ARN. */
const rolePolicy = JSON.parse(
  String(tf.resource('aws_iam_role_policy', 'evaluation').policy).replace(/\$\{aws_kms_key\.[a-z_]+\.arn\}/g, KEY),
);
const trust = tf.policy('aws_iam_role', 'evaluation', 'assume_role_policy');
const ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/bedrock-evaluation-${REGION}/job`;
const EVAL = `arn:aws:s3:::bedrock-evaluation-${ACCOUNT}-${REGION}`;

async function decide(action: string, resource: string, context: Record<string, string> = {}, resourcePolicy?: unknown, principal = ROLE) {
  const r = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', ...context },
      },
      identityPolicies: principal === ROLE ? [{ name: 'evaluation-jobs', policy: rolePolicy }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
  return r.overallResult;
}

test('reads datasets/ and writes results/ of its bucket only', async () => {
  expect(await decide('s3:GetObject', `${EVAL}/datasets/acme.jsonl`)).toBe('Allowed');
  expect(await decide('s3:PutObject', `${EVAL}/results/job/out.jsonl`)).toBe('Allowed');
  expect(await decide('s3:ListBucket', EVAL)).toBe('Allowed');
  expect(await decide('s3:PutObject', `${EVAL}/datasets/acme.jsonl`)).toBe('ImplicitlyDenied');
  expect(await decide('s3:DeleteObject', `${EVAL}/results/job/out.jsonl`)).toBe('ImplicitlyDenied');
  expect(await decide('s3:GetObject', `${EVAL}/other/file`)).toBe('ImplicitlyDenied');
});

test('cannot read the invocation-log bucket or another bucket', async () => {
  const logs = `arn:aws:s3:::${stack.names.bucket}`;
  expect(await decide('s3:GetObject', `${logs}/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/11/01/10/x.json.gz`)).toBe(
    'ImplicitlyDenied',
  );
  expect(await decide('s3:ListBucket', logs)).toBe('ImplicitlyDenied');
  expect(await decide('s3:GetObject', `arn:aws:s3:::bedrock-evaluation-222222222222-${REGION}/datasets/x.jsonl`)).toBe('ImplicitlyDenied');
});

test('uses the stack key only through S3 (with the key policy that delegates to IAM)', async () => {
  const keyPolicy = logKeyPolicy({ target: { partition: 'aws', region: REGION, accountId: ACCOUNT } });
  expect(await decide('kms:Decrypt', KEY, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, keyPolicy)).toBe('Allowed');
  expect(await decide('kms:Decrypt', KEY, { 'kms:ViaService': `logs.${REGION}.amazonaws.com` }, keyPolicy)).toBe('ImplicitlyDenied');
});

test('invokes only the judge models: through the geography profile and the model behind it, nothing else', async () => {
  expect(await decide('bedrock:InvokeModel', `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.amazon.nova-pro-v1:0`)).toBe(
    'Allowed',
  );
  expect(await decide('bedrock:InvokeModel', 'arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0')).toBe('Allowed');
  expect(await decide('bedrock:InvokeModel', `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`)).toBe(
    'ImplicitlyDenied',
  );
  expect(await decide('bedrock:InvokeModel', `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/abc`)).toBe(
    'ImplicitlyDenied',
  );
});

test('only Bedrock evaluation jobs of this account and region may assume the role', async () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/bedrock-evaluation-${REGION}`;
  const assume = (context: Record<string, string>) => decide('sts:AssumeRole', role, context, trust, 'bedrock.amazonaws.com');
  expect(await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:evaluation-job/abc` })).toBe(
    'Allowed',
  );
  expect(
    await assume({ 'aws:SourceAccount': '222222222222', 'aws:SourceArn': `arn:aws:bedrock:${REGION}:222222222222:evaluation-job/abc` }),
  ).toBe('ImplicitlyDenied');
  expect(
    await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-job/abc` }),
  ).toBe('ImplicitlyDenied');
  expect(await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${ACCOUNT}:evaluation-job/abc` })).toBe(
    'ImplicitlyDenied',
  );
});
