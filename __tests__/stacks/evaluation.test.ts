/** Evaluation resources (matrix evaluation): the construct alone in a stack, the matrix levels, and the errors. */
import { Testing, TerraformStack } from 'cdktf';
import { MatrixError } from '../../config/errors';
import { validateMatrix } from '../../config/load';
import type { Matrix } from '../../config/schema';
import { EvaluationResources } from '../../stacks/evaluation/evaluation-resources';
import { LogKey } from '../../stacks/logging/log-key';
import { synth } from '../helpers';

const ACCOUNT = '111111111111';
const base: Matrix = {
  accounts: [{ id: ACCOUNT, regions: ['us-east-1', 'eu-west-1', { region: 'us-west-2', evaluation: false }] }],
  models: [
    { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
    { alias: 'sonnet', source: 'anthropic.claude-3-5-sonnet-20240620-v1:0', crossRegion: true },
  ],
  evaluation: { judgeModels: ['haiku'] },
};

test('the construct builds alone in a bare stack: a private bucket without Object Lock, a role trusted by Bedrock evaluation jobs, and its outputs', () => {
  const stack = new TerraformStack(Testing.app(), 'test');
  new EvaluationResources(stack, 'evaluation', {
    evaluation: {
      bucket: 'b',
      role: 'r',
      expirationDays: 30,
      judgeModels: [{ alias: 'haiku', arns: ['arn:aws:bedrock:us-east-1::foundation-model/x'] }],
    },
    target: { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT },
    key: new LogKey(stack, 'key', {
      target: { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT },
      alias: 'alias/k',
      existingKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
    }),
  });
  const tf = JSON.parse(Testing.synth(stack));
  expect(Object.keys(tf.resource).sort()).toEqual([
    'aws_iam_role',
    'aws_iam_role_policy',
    'aws_s3_bucket',
    'aws_s3_bucket_lifecycle_configuration',
    'aws_s3_bucket_ownership_controls',
    'aws_s3_bucket_policy',
    'aws_s3_bucket_public_access_block',
    'aws_s3_bucket_server_side_encryption_configuration',
    'aws_s3_bucket_versioning',
  ]);
  expect(tf.resource.aws_s3_bucket.evaluation).toMatchObject({ bucket: 'b', force_destroy: false, lifecycle: { prevent_destroy: true } });
  expect(tf.resource.aws_s3_bucket.evaluation.object_lock_enabled).toBeUndefined();
  expect(tf.resource.aws_s3_bucket_lifecycle_configuration.evaluation.rule[0].expiration).toEqual([{ days: 30 }]);
  expect(JSON.parse(tf.resource.aws_iam_role.evaluation.assume_role_policy).Statement[0].Condition.ArnLike['aws:SourceArn']).toBe(
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:evaluation-job/*`,
  );
  expect(Object.keys(tf.output).sort()).toEqual(['evaluation_bucket_name', 'evaluation_role_arn']);
});

test('matrix < account < region: on where a level says so, off with false, the judge models resolved per region', () => {
  const config = validateMatrix(
    {
      ...base,
      accounts: [
        ...base.accounts,
        { id: '222222222222', evaluation: { judgeModels: ['sonnet'], expirationDays: 10 }, regions: ['eu-west-1'] },
      ],
    },
    'test',
  );
  const ev = Object.fromEntries(config.stacks.map((s) => [s.stackName, s.evaluation]));
  expect(ev[`bedrock-logging-${ACCOUNT}-us-west-2`]).toBeUndefined();
  expect(ev[`bedrock-logging-${ACCOUNT}-us-east-1`]).toEqual({
    bucket: `bedrock-evaluation-${ACCOUNT}-us-east-1`,
    role: 'bedrock-evaluation-us-east-1',
    expirationDays: 90,
    judgeModels: [{ alias: 'haiku', arns: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'] }],
  });
  // A cross-region judge: the system profile of the region's geography and the model behind it in any region.
  expect(ev['bedrock-logging-222222222222-eu-west-1']).toMatchObject({
    expirationDays: 10,
    judgeModels: [
      {
        alias: 'sonnet',
        arns: [
          'arn:aws:bedrock:eu-west-1:222222222222:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0',
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
        ],
      },
    ],
  });
  const bootstrapScope = validateMatrix(
    { ...base, deployment: { bootstrap: { trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } } } as Matrix,
    'test',
  ).bootstraps[0].scope;
  expect(bootstrapScope.evaluation).toBe(true);
});

test('the logging stack holds the resources only where evaluation is on', () => {
  const config = validateMatrix(base, 'test');
  const on = synth(config.stacks.find((s) => s.region === 'us-east-1')!);
  const off = synth(config.stacks.find((s) => s.region === 'us-west-2')!);
  expect(on.resource('aws_iam_role', 'evaluation').name).toBe('bedrock-evaluation-us-east-1');
  expect(on.resource('aws_s3_bucket', 'evaluation').bucket).toBe(`bedrock-evaluation-${ACCOUNT}-us-east-1`);
  expect(on.tf.output?.evaluation_role_arn).toBeDefined();
  expect(off.resources('aws_iam_role').evaluation).toBeUndefined();
  expect(off.tf.output).toBeDefined();
  expect(off.tf.output?.evaluation_role_arn).toBeUndefined();
});

test.each([
  [
    { ...base, evaluation: { judgeModels: ['opus'] } },
    'evaluation.judgeModels[0]',
    '"opus"',
    'a model alias defined in models: haiku, sonnet',
  ],
  [
    { ...base, evaluation: {} },
    `accounts[0].regions[0] (us-east-1): evaluation.judgeModels`,
    'no judge model',
    'at least one judge model alias',
  ],
  [
    { ...base, evaluation: { judgeModels: ['haiku'], expirationDays: 0 } },
    'evaluation.expirationDays',
    '0',
    'a positive whole number of days',
  ],
])('a bad evaluation setting names the field, the value and what is allowed (%#)', (matrix, path, found, allowed) => {
  let err: unknown;
  try {
    validateMatrix(matrix as Matrix, 'test');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MatrixError);
  const issue = (err as MatrixError).issues.find((i) => i.path === path);
  expect(issue).toBeDefined();
  expect(`${issue!.found ?? JSON.stringify(issue!.value)} ${issue!.allowed}`).toContain(found);
  expect(issue!.allowed).toContain(allowed);
});
