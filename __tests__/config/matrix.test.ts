import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { DEFAULT_LOGGING } from '../../config/logging';
import { DEV, PROD, minimalMatrix, problems, resolveMatrix } from '../helpers';

describe('the interface other tools rely on', () => {
  test('a file with only the documented keys is valid', () => {
    // GIVEN the matrix from the issue text, key for key
    const m = {
      managementAccountId: '999999999999',
      accounts: [{ id: PROD, name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-west-1'] }],
      models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
      tenants: [{ id: 'acme', models: ['haiku'], monthlyBudgetUsd: 500 }],
    };
    // WHEN it is resolved
    const { stacks } = resolveMatrix(m);
    // THEN there is one stack per account x region, named from IDs only
    expect(stacks.map((s) => s.stackName)).toEqual([`bedrock-logging-${PROD}-us-east-1`, `bedrock-logging-${PROD}-eu-west-1`]);
  });

  test('only accounts[].id and accounts[].regions are required', () => {
    const [stack] = resolveMatrix({ accounts: [{ id: PROD, regions: ['eu-central-1'] }] }).stacks;
    expect(stack.logging).toEqual(DEFAULT_LOGGING);
    expect(stack.accountName).toBe(PROD);
    expect(stack.environment).toBe('default');
    expect(stack.names.bucket).toBe(`bedrock-invocation-logs-${PROD}-eu-central-1`);
  });

  test('the embedded example has at least two accounts and three stacks', () => {
    const { stacks } = resolveMatrix(EXAMPLE_MATRIX);
    expect(new Set(stacks.map((s) => s.accountId)).size).toBeGreaterThanOrEqual(2);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
  });
});

describe('options merge matrix < account < region', () => {
  const m = minimalMatrix({
    logging: { logRetentionDays: 90, delivery: { video: false }, s3KeyPrefix: 'org' },
    tags: { team: 'platform', tier: 'org' },
    accounts: [
      {
        id: PROD,
        logging: { logRetentionDays: 180, delivery: { image: false } },
        tags: { tier: 'account' },
        regions: ['us-east-1', { region: 'eu-west-1', logging: { destinations: ['s3'], logRetentionDays: 7 }, tags: { tier: 'region' } }],
      },
    ],
  });
  const [use1, euw1] = resolveMatrix(m).stacks;

  test('the most specific level wins, field by field', () => {
    expect(use1.logging.logRetentionDays).toBe(180);
    expect(use1.logging.delivery).toEqual({ text: true, image: false, embedding: true, video: false });
    expect(use1.logging.s3KeyPrefix).toBe('org');
    expect(use1.logging.destinations).toEqual(['s3', 'cloudwatch']);
    expect(euw1.logging.logRetentionDays).toBe(7);
    expect(euw1.logging.destinations).toEqual(['s3']);
  });

  test('tags merge by key and the app adds managed-by, stack and environment', () => {
    expect(use1.tags).toEqual({
      team: 'platform',
      tier: 'account',
      'managed-by': 'bedrock-governance',
      stack: use1.stackName,
      environment: 'default',
    });
    expect(euw1.tags.tier).toBe('region');
  });
});

describe('bad matrices: every problem, with path, value and what is allowed', () => {
  test('a bad region names its path, its value and the allowed form', () => {
    const p = problems({
      accounts: [
        { id: PROD, regions: ['us-east-1'] },
        { id: DEV, regions: ['us-east-9x'] },
      ],
    });
    expect(p).toEqual([{ path: 'accounts[1].regions[0]', value: 'us-east-9x', allowed: expect.stringContaining('AWS region code') }]);
  });

  test('all problems are reported at once', () => {
    const p = problems({
      accounts: [
        { id: '123', regions: ['mars-1'] },
        { id: 42, regions: [] },
      ],
    });
    expect(p.map((i) => i.path)).toEqual(['accounts[0].id', 'accounts[0].regions[0]', 'accounts[1].id', 'accounts[1].regions']);
  });

  test('a typo in a key is an error with a suggestion', () => {
    const p = problems({ accounts: [{ id: PROD, regions: ['us-east-1'], loging: {} }] });
    expect(p).toHaveLength(1);
    expect(p[0].path).toBe('accounts[0].loging');
    expect(p[0].allowed).toContain('did you mean "logging"?');
  });

  test('a typo inside a region entry object is caught too', () => {
    const p = problems({ accounts: [{ id: PROD, regions: [{ region: 'us-east-1', logging: { retentionDays: 30 } }] }] });
    expect(p[0].path).toBe('accounts[0].regions[0].logging.retentionDays');
    expect(p[0].allowed).toContain('logRetentionDays');
  });

  test.each([
    ['an account ID of 11 digits', { accounts: [{ id: '11111111111', regions: ['us-east-1'] }] }, 'accounts[0].id', '12-digit'],
    ['an account ID as a number', { accounts: [{ id: 111111111111, regions: ['us-east-1'] }] }, 'accounts[0].id', 'string'],
    ['a missing accounts list', {}, 'accounts', 'required'],
    ['no regions', { accounts: [{ id: PROD, regions: [] }] }, 'accounts[0].regions', 'at least one region'],
    ['a retention CloudWatch does not allow', minimalMatrix({ logging: { logRetentionDays: 100 } }), 'logging.logRetentionDays', '90, 120'],
    ['no destination', minimalMatrix({ logging: { destinations: [] } }), 'logging.destinations', 'at least one destination'],
    [
      'an unknown destination',
      { ...minimalMatrix(), logging: { destinations: ['firehose'] } },
      'logging.destinations[0]',
      '"s3", "cloudwatch"',
    ],
    ['a prefix with a leading slash', minimalMatrix({ logging: { s3KeyPrefix: '/logs' } }), 'logging.s3KeyPrefix', 'leading or trailing'],
    [
      'a delivery flag that is not a boolean',
      { ...minimalMatrix(), logging: { delivery: { text: 'yes' } } },
      'logging.delivery.text',
      'boolean',
    ],
    [
      'STANDARD_IA before 30 days',
      minimalMatrix({ logging: { lifecycle: { transitions: [{ days: 10, storageClass: 'STANDARD_IA' }] } } }),
      'logging.lifecycle.transitions[0].days',
      '30 days',
    ],
    [
      'an unknown storage class',
      { ...minimalMatrix(), logging: { lifecycle: { transitions: [{ days: 40, storageClass: 'COLD' }] } } },
      'logging.lifecycle.transitions[0].storageClass',
      'GLACIER_IR',
    ],
    ['a tag key with the aws: prefix', minimalMatrix({ tags: { 'aws:owner': 'x' } }), 'tags.aws:owner', 'reserved'],
    ['a tag value with a forbidden character', minimalMatrix({ tags: { owner: 'a;b' } }), 'tags.owner', 'letters, digits'],
    ['a tag value over 256 characters', minimalMatrix({ tags: { owner: 'x'.repeat(257) } }), 'tags.owner', '0-256'],
    [
      'an account name with capitals',
      { accounts: [{ id: PROD, name: 'GenAI', regions: ['us-east-1'] }] },
      'accounts[0].name',
      'lower-case',
    ],
    ['a bad KMS key ARN', minimalMatrix({ logging: { kmsKeyArn: 'alias/mine' } }), 'logging.kmsKeyArn', 'KMS key ARN'],
    ['a negative budget', minimalMatrix({ tenants: [{ id: 'acme', monthlyBudgetUsd: -1 }] }), 'tenants[0].monthlyBudgetUsd', 'positive'],
  ])('%s', (_what, matrix, path, allowed) => {
    const p = problems(matrix);
    expect(p.map((i) => i.path)).toContain(path);
    expect(p.find((i) => i.path === path)!.allowed).toContain(allowed);
  });

  test.each([
    [
      'a duplicate account ID',
      {
        accounts: [
          { id: PROD, regions: ['us-east-1'] },
          { id: PROD, regions: ['eu-west-1'] },
        ],
      },
      'accounts[1].id',
      'also at accounts[0].id',
    ],
    [
      'a duplicate region',
      { accounts: [{ id: PROD, regions: ['us-east-1', 'eu-west-1', 'us-east-1'] }] },
      'accounts[0].regions[2]',
      'also at accounts[0].regions[0]',
    ],
    [
      'a duplicate account name',
      {
        accounts: [
          { id: PROD, name: 'a', regions: ['us-east-1'] },
          { id: DEV, name: 'a', regions: ['us-east-1'] },
        ],
      },
      'accounts[1].name',
      'only once',
    ],
    [
      'a duplicate model alias',
      minimalMatrix({
        models: [
          { alias: 'm', source: 'a.b' },
          { alias: 'm', source: 'c.d' },
        ],
      }),
      'models[1].alias',
      'only once',
    ],
    ['a duplicate tenant', minimalMatrix({ tenants: [{ id: 't' }, { id: 't' }] }), 'tenants[1].id', 'only once'],
    [
      'a tenant using an unknown model',
      minimalMatrix({ models: [{ alias: 'haiku', source: 'a.b' }], tenants: [{ id: 't', models: ['sonnet'] }] }),
      'tenants[0].models[0]',
      'haiku',
    ],
    [
      'a bucket name over 63 characters',
      { logging: { bucketNamePrefix: 'a'.repeat(40) }, accounts: [{ id: PROD, regions: ['us-east-1', 'ap-southeast-2'] }] },
      'accounts[0].regions[1]',
      'at most 63',
    ],
    [
      'a KMS key from another region',
      minimalMatrix({ logging: { kmsKeyArn: `arn:aws:kms:eu-west-1:${PROD}:key/abc` } }),
      'accounts[0].regions[0] (logging.kmsKeyArn)',
      'own account and region',
    ],
    [
      'an expiration before the last transition',
      minimalMatrix({ logging: { lifecycle: { expirationDays: 60 } } }),
      'accounts[0].regions[0] (logging.lifecycle.expirationDays)',
      'last transition (90)',
    ],
  ])('%s', (_what, matrix, path, allowed) => {
    const p = problems(matrix);
    expect(p.map((i) => i.path)).toContain(path);
    expect(p.find((i) => i.path === path)!.allowed).toContain(allowed);
  });

  test('more than 50 tags on a resource, counting the ones the app adds', () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
    expect(problems(minimalMatrix({ tags }))).toEqual([
      { path: 'accounts[0].regions[0] (tags)', value: 51, allowed: expect.stringContaining('at most 50 tags') },
    ]);
    expect(problems(minimalMatrix({ tags: Object.fromEntries(Object.entries(tags).slice(0, 47)) }))).toEqual([]);
  });
});
