/**
 * --plan's prior state and its failure message (unit tier; the real runs are in
 * plan-everything.terraform.test.ts and provider-plan.terraform.test.ts).
 */
import {
  MAX_FAILURE_LINES,
  StackPlanError,
  condenseFailure,
  fillBlock,
  hasUnknown,
  placeholder,
  resolveReferences,
  sensitivePaths,
  spurious,
} from '../../review/provider-plan';
import type { PlanJson, TerraformConfig } from '../../review/terraform-json';

const t = { account: '111111111111', region: 'eu-west-1' };

test('a guardrail version number gets a numeric placeholder: stacks interpolate it into guardrail ARNs, and null fails the plan', () => {
  expect(placeholder('aws_bedrock_guardrail_version', 'version', 'string', 'aws_bedrock_guardrail_version.guardrail_standard', t)).toBe(
    '1',
  );
  const schema = {
    attributes: {
      version: { type: 'string', computed: true },
      guardrail_arn: { type: 'string', required: true },
      description: { type: 'string', optional: true },
    },
  };
  expect(
    fillBlock({ guardrail_arn: 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/x' }, { version: true }, schema, {
      type: 'aws_bedrock_guardrail_version',
      address: 'aws_bedrock_guardrail_version.g',
      target: t,
    }),
  ).toEqual({
    version: '1',
    guardrail_arn: 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/x',
    description: null,
  });
});

test("the prior state marks the schema's sensitive attributes, top level and in nested blocks (else every round plans a sensitivity update)", () => {
  const schema = {
    attributes: { token: { type: 'string', sensitive: true }, bucket: { type: 'string' } },
    block_types: {
      credentials: {
        nesting_mode: 'list',
        block: {
          block_types: {
            credential_pair: {
              nesting_mode: 'list',
              block: { attributes: { password: { type: 'string', sensitive: true }, username: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
  expect(sensitivePaths({ token: null, bucket: 'b', credentials: [] }, schema)).toEqual([[{ type: 'get_attr', value: 'token' }]]);
  expect(sensitivePaths({ token: null, credentials: [{ credential_pair: [{ password: 'p', username: 'u' }] }] }, schema)).toEqual([
    [{ type: 'get_attr', value: 'token' }],
    [
      { type: 'get_attr', value: 'credentials' },
      { type: 'index', value: { value: 0, type: 'number' } },
      { type: 'get_attr', value: 'credential_pair' },
      { type: 'index', value: { value: 0, type: 'number' } },
      { type: 'get_attr', value: 'password' },
    ],
  ]);
});

describe('a failed plan: at most 40 lines, the stack, the address and the error', () => {
  const stackLine = `{"//":{"metadata":{"stackName":"bedrock-logging-111111111111-us-east-1"}},"resource":${JSON.stringify({ x: 'y'.repeat(280_000) })}}`;
  const diagnostic = (resource: string) =>
    [
      '',
      'Error: Invalid template interpolation value',
      '',
      `  on cdk.tf.json line 1, in resource.${resource}:`,
      `   1: ${stackLine}`,
      '    ├────────────────',
      '    │ aws_bedrock_guardrail_version.guardrail_standard.version is null',
      '',
      'The expression result is null. Cannot include a null value in a string',
      'template.',
    ].join('\n');
  // As Terraform printed it for the guardrail stacks before the fix: the same error twice per resource, for many resources.
  const output = `terraform plan failed in /tmp/x:\n${['aws_cloudwatch_dashboard.usage', 'aws_iam_policy.invoke_acme', ...Array.from({ length: 30 }, (_, i) => `aws_cloudwatch_metric_alarm.a${i}`)].flatMap((r) => [diagnostic(r), diagnostic(r)]).join('\n')}`;
  const e = new StackPlanError(
    'bedrock-logging-111111111111-us-east-1',
    'terraform plan of the base against its prior state (round 1)',
    output,
  );
  const message = condenseFailure(e, '/out/plan-failure-bedrock-logging-111111111111-us-east-1.log');
  const lines = message.split('\n');

  test('short: at most 40 lines of at most 200 characters, never the stack file Terraform quotes', () => {
    expect(output.length).toBeGreaterThan(280_000 * 60);
    expect(lines.length).toBeLessThanOrEqual(MAX_FAILURE_LINES);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(200);
    expect(message).not.toContain('yyyy');
  });

  test('names the stack and the step, each address with its error once, and the file with the whole output', () => {
    expect(lines[0]).toBe(
      '--plan failed on stack bedrock-logging-111111111111-us-east-1 (terraform plan of the base against its prior state (round 1)):',
    );
    expect(lines[1]).toBe('  aws_cloudwatch_dashboard.usage: Invalid template interpolation value (2 times)');
    expect(lines[2]).toBe('    aws_bedrock_guardrail_version.guardrail_standard.version is null');
    expect(lines[3]).toBe('    The expression result is null. Cannot include a null value in a string');
    expect(message).toContain('  aws_iam_policy.invoke_acme: Invalid template interpolation value (2 times)');
    expect(lines[lines.length - 2]).toMatch(/^ {2}\.\.\. \d+ more lines in the full output$/);
    expect(lines[lines.length - 1]).toBe('Full Terraform output: /out/plan-failure-bedrock-logging-111111111111-us-east-1.log');
  });

  test('output that is not a Terraform diagnostic is cut to the first lines', () => {
    const other = condenseFailure(new StackPlanError('s', 'terraform init of the base', `${'z'.repeat(1000)}\n`.repeat(100)), '/out/x.log');
    expect(other.split('\n').length).toBeLessThanOrEqual(MAX_FAILURE_LINES);
    expect(Math.max(...other.split('\n').map((l) => l.length))).toBeLessThanOrEqual(200);
  });
});

describe('the confirming round is left out only when the head plan can check it', () => {
  test('a round without unknown values is a fixpoint; any unknown, however nested, is not', () => {
    expect(hasUnknown({ arn: false, tags: {}, rule: [{ id: false }] })).toBe(false);
    expect(hasUnknown(undefined)).toBe(false);
    expect(hasUnknown({ rule: [{ apply: [{ kms_master_key_id: true }] }] })).toBe(true);
    expect(hasUnknown({ id: true })).toBe(true);
  });

  const config = (retention: number, keyPolicy: string): TerraformConfig =>
    ({
      resource: {
        aws_kms_key: { key: { policy: keyPolicy } },
        aws_cloudwatch_log_group: { logs: { retention_in_days: retention, kms_key_id: '${aws_kms_key.key.arn}' } },
        aws_cloudwatch_log_data_protection_policy: { dp: { log_group_name: '${aws_cloudwatch_log_group.logs.name}' } },
        aws_sns_topic: { alarms: { name: 'alarms' } },
        aws_iam_role: { reader: { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } },
      },
      data: { aws_iam_policy_document: { trust: { statement: [{ resources: ['${aws_kms_key.key.arn}'] }] } } },
    }) as unknown as TerraformConfig;
  const planOf = (...changed: [string, string[]][]): PlanJson =>
    ({
      format_version: '1.2',
      resource_changes: changed.map(([address, actions]) => ({ address, mode: 'managed', change: { actions } })),
    }) as unknown as PlanJson;

  test('a change on a resource the diff touches, or reaches through references (data sources too), is not drift', () => {
    const base = config(30, 'p');
    const head = config(90, 'q');
    const plan = planOf(
      ['aws_cloudwatch_log_group.logs', ['update']],
      ['aws_cloudwatch_log_data_protection_policy.dp', ['delete', 'create']],
      ['aws_iam_role.reader', ['update']],
      ['aws_kms_key.key', ['update']],
    );
    expect(spurious(plan, base, head)).toEqual([]);
  });

  test('a change on a resource the diff cannot reach is drift of the prior state, and so is one reached only from an unchanged one', () => {
    const base = config(30, 'p');
    const head = config(90, 'p');
    const plan = planOf(
      ['aws_sns_topic.alarms', ['update']],
      ['aws_iam_role.reader', ['update']],
      ['aws_cloudwatch_log_data_protection_policy.dp', ['update']],
      ['aws_kms_key.key', ['no-op']],
    );
    expect(spurious(plan, base, head)).toEqual(['aws_sns_topic.alarms', 'aws_iam_role.reader']);
  });
});

describe('the first state fills an unknown set from references with what it refers to (one base plan, no rounds)', () => {
  const values: Record<string, Record<string, string>> = {
    'aws_s3_bucket.logs': { id: 'offline-logs-id', arn: 'arn:aws:s3:eu-west-1:111111111111:s3_bucket/logs' },
    'aws_kms_key.key': { arn: 'arn:aws:kms:eu-west-1:111111111111:kms_key/key' },
  };
  const valueOf = (address: string, attr: string) => values[address]?.[attr];

  test('a plain reference, and a template of plain references', () => {
    expect(resolveReferences('${aws_s3_bucket.logs.id}', valueOf)).toBe('offline-logs-id');
    expect(resolveReferences('${aws_s3_bucket.logs.arn}/AWSLogs/*', valueOf)).toBe(
      'arn:aws:s3:eu-west-1:111111111111:s3_bucket/logs/AWSLogs/*',
    );
  });

  test('anything else is not evaluated: functions, data sources, nested attributes, unknown targets', () => {
    expect(resolveReferences('${jsonencode(aws_s3_bucket.logs.arn)}', valueOf)).toBeUndefined();
    expect(resolveReferences('${data.aws_iam_policy_document.p.json}', valueOf)).toBeUndefined();
    expect(resolveReferences('${aws_s3_bucket.logs.versioning[0].enabled}', valueOf)).toBeUndefined();
    expect(resolveReferences('x-${aws_sns_topic.t.arn}', valueOf)).toBeUndefined();
  });

  test('fillBlock takes the referenced value, keeps placeholders for unset computed values, and lists what it could not resolve', () => {
    const schema = {
      attributes: {
        id: { type: 'string', computed: true },
        bucket: { type: 'string', required: true },
        kms_key_id: { type: 'string', optional: true },
        policy: { type: 'string', optional: true },
        alarm_actions: { type: ['set', 'string'], optional: true },
        ok_actions: { type: ['set', 'string'], optional: true },
      },
    };
    const unresolved: string[] = [];
    const out = fillBlock(
      {},
      { id: true, bucket: true, kms_key_id: true, policy: true, alarm_actions: true, ok_actions: true },
      schema,
      {
        type: 'aws_s3_bucket_policy',
        address: 'aws_s3_bucket_policy.logs',
        target: t,
        resolve: (e) => resolveReferences(e, valueOf),
        unresolved,
      },
      {
        bucket: '${aws_s3_bucket.logs.id}',
        kms_key_id: '${aws_kms_key.key.arn}',
        policy: '${data.aws_iam_policy_document.p.json}',
        alarm_actions: ['${aws_kms_key.key.arn}', 'literal'],
        ok_actions: ['${aws_sns_topic.t.arn}'],
      },
    );
    expect(out).toEqual({
      id: 'offline-logs-id', // its own placeholder (not set in the configuration)
      bucket: 'offline-logs-id',
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:kms_key/key',
      policy: null,
      alarm_actions: ['arn:aws:kms:eu-west-1:111111111111:kms_key/key', 'literal'],
      ok_actions: [],
    });
    expect(unresolved).toEqual(['aws_s3_bucket_policy.logs.policy', 'aws_s3_bucket_policy.logs.ok_actions']);
  });

  test('set blocks: each planned element takes the one configured element its literal arguments match; none or two is unresolved', () => {
    const schema = {
      block_types: {
        notification: {
          nesting_mode: 'set',
          block: { attributes: { threshold: { type: 'number' }, topics: { type: ['set', 'string'], optional: true } } },
        },
      },
    };
    const config = {
      notification: [
        { threshold: 80, topics: ['${aws_kms_key.key.arn}'] },
        { threshold: 100, topics: ['${aws_s3_bucket.logs.arn}'] },
      ],
    };
    const fill = (planned: { threshold: number }[]) => {
      const unresolved: string[] = [];
      const ctx = {
        type: 'aws_budgets_budget',
        address: 'aws_budgets_budget.b',
        target: t,
        resolve: (e: string) => resolveReferences(e, valueOf),
        unresolved,
      };
      const out = fillBlock({ notification: planned }, { notification: planned.map(() => ({ topics: true })) }, schema, ctx, config);
      return { out, unresolved };
    };
    expect(fill([{ threshold: 100 }, { threshold: 80 }]).out.notification).toEqual([
      { threshold: 100, topics: ['arn:aws:s3:eu-west-1:111111111111:s3_bucket/logs'] },
      { threshold: 80, topics: ['arn:aws:kms:eu-west-1:111111111111:kms_key/key'] },
    ]);
    expect(fill([{ threshold: 100 }, { threshold: 80 }]).unresolved).toEqual([]);
    expect(fill([{ threshold: 100 }, { threshold: 50 }]).unresolved).toEqual(['aws_budgets_budget.b.notification[1]']);
  });
});
