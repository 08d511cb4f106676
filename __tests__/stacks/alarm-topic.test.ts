/**
 * Where the alarms go (issue 23, item 13): by default each stack's own topic with
 * every analytics.alarms.emails address subscribed, which costs one e-mail
 * confirmation per address and stack; with analytics.alarms.topicArn, an existing
 * topic per account and region (a pattern with placeholders), and no topic, key or
 * subscription in the stack.
 */
import type { Matrix } from '../../config/schema';
import { DEV, PROD, problems, resolveMatrix, synth } from '../helpers';
import type { TerraformBody } from '../../review/terraform-json';

const HAIKU = { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' };
const accounts = [
  { id: PROD, name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-west-1'] },
  { id: DEV, name: 'genai-dev', environment: 'dev', regions: ['us-east-1', 'eu-west-1'] },
];
const stacksOf = (m: Matrix) => resolveMatrix(m).stacks.map((s) => ({ stack: s, tf: synth(s) }));
const actionsOf = (tf: ReturnType<typeof synth>) =>
  Object.values<TerraformBody>(tf.resources('aws_cloudwatch_metric_alarm')).map((a) => [a.alarm_actions, a.ok_actions]);

test('the e-mail path: every stack subscribes every address, so each address confirms once per stack (2 accounts x 2 regions x 2 addresses = 8)', () => {
  const stacks = stacksOf({
    accounts,
    models: [HAIKU],
    tenants: [{ id: 'acme', models: ['haiku'] }],
    analytics: { alarms: { emails: ['oncall@example.com', 'lead@example.com'] } },
  });
  const subscriptions = stacks.flatMap(({ tf }) => Object.values<TerraformBody>(tf.resources('aws_sns_topic_subscription')));
  expect(subscriptions).toHaveLength(8);
  expect(subscriptions.every((s) => s.protocol === 'email')).toBe(true);
});

describe('topicArn: a pattern filled in per account and region', () => {
  const pattern = 'arn:{partition}:sns:{region}:999999999999:oncall-{environment}-{accountName}';
  const stacks = stacksOf({
    accounts,
    models: [HAIKU],
    tenants: [{ id: 'acme', models: ['haiku'] }],
    analytics: { alarms: { topicArn: pattern } },
  });

  test("every alarm of every stack notifies that stack's topic", () => {
    for (const { stack, tf } of stacks) {
      const arn = `arn:aws:sns:${stack.region}:999999999999:oncall-${stack.environment}-${stack.accountName}`;
      expect(stack.analytics.alarms!.topicArn).toBe(arn);
      const actions = actionsOf(tf);
      expect(actions.length).toBeGreaterThan(3);
      expect(actions).toEqual(actions.map(() => [[arn], [arn]]));
    }
  });

  test('no stack creates a topic, a topic key or a subscription: nothing to confirm', () => {
    for (const { tf } of stacks) {
      for (const type of ['aws_sns_topic', 'aws_sns_topic_policy', 'aws_sns_topic_subscription'])
        expect([type, tf.resources(type)]).toEqual([type, {}]);
      expect(tf.resources('aws_kms_key')).not.toHaveProperty('alarms');
      expect(tf.resources('aws_kms_alias')).not.toHaveProperty('alarms');
      // The log key stays.
      expect(tf.resources('aws_kms_key')).toHaveProperty('invocation_logs');
    }
  });
});

test('a fixed topic ARN serves a one-region matrix as it is', () => {
  const arn = `arn:aws:sns:us-east-1:999999999999:chatops`;
  const [{ tf }] = stacksOf({ accounts: [{ id: PROD, regions: ['us-east-1'] }], analytics: { alarms: { topicArn: arn } } });
  expect(new Set(actionsOf(tf).flat(2))).toEqual(new Set([arn]));
});

describe('bad topicArn input names the field, the value and what is allowed', () => {
  const base: Matrix = { accounts: [{ id: PROD, regions: ['us-east-1', 'eu-west-1'] }] };

  test('a fixed ARN in one region, for stacks in two: the other stack is refused', () => {
    const issues = problems({ ...base, analytics: { alarms: { topicArn: 'arn:aws:sns:us-east-1:999999999999:chatops' } } });
    expect(issues).toEqual([
      {
        path: `analytics.alarms.topicArn (for accounts[0].regions[1], ${PROD} eu-west-1)`,
        value: 'arn:aws:sns:us-east-1:999999999999:chatops',
        allowed: expect.stringContaining("a topic in the stack's own partition and region (arn:aws:sns:eu-west-1:...)"),
      },
    ]);
  });

  test('e-mail addresses beside topicArn', () => {
    const issues = problems({
      ...base,
      analytics: { alarms: { topicArn: 'arn:{partition}:sns:{region}:999999999999:chatops', emails: ['oncall@example.com'] } },
    });
    expect(issues).toEqual([
      {
        path: 'analytics.alarms.emails',
        value: ['oncall@example.com'],
        allowed: expect.stringContaining('no e-mail addresses with topicArn'),
      },
    ]);
  });

  test.each([
    ['not an ARN', 'chatops'],
    ['an unknown placeholder', 'arn:aws:sns:{region}:999999999999:{team}'],
    ['a queue, not a topic', 'arn:aws:sqs:us-east-1:999999999999:alarms'],
    ['a FIFO topic name', 'arn:aws:sns:us-east-1:999999999999:alarms.fifo'],
  ])('%s', (_, topicArn) => {
    const issues = problems({ ...base, analytics: { alarms: { topicArn } } });
    expect(issues).toEqual([
      {
        path: 'analytics.alarms.topicArn',
        value: topicArn,
        allowed: expect.stringMatching(/^an SNS topic ARN, or a pattern with \{partition\}, \{region\}, \{accountId\}/),
      },
    ]);
  });

  test('a GovCloud stack with a commercial ARN is refused; {partition} fills in aws-us-gov', () => {
    const gov: Matrix = { accounts: [{ id: PROD, regions: ['us-gov-west-1'] }] };
    expect(
      problems({ ...gov, analytics: { alarms: { topicArn: 'arn:aws:sns:us-gov-west-1:999999999999:chatops' } } })[0].allowed,
    ).toContain('arn:aws-us-gov:sns:us-gov-west-1:');
    expect(
      resolveMatrix({ ...gov, analytics: { alarms: { topicArn: 'arn:{partition}:sns:{region}:{accountId}:chatops' } } }).stacks[0].analytics
        .alarms!.topicArn,
    ).toBe(`arn:aws-us-gov:sns:us-gov-west-1:${PROD}:chatops`);
  });
});
