/**
 * --plan's prior state and its failure message (unit tier; the real runs are in
 * plan-everything.terraform.test.ts and provider-plan.terraform.test.ts).
 */
import { MAX_FAILURE_LINES, StackPlanError, condenseFailure, fillBlock, placeholder, sensitivePaths } from '../../review/provider-plan';

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
