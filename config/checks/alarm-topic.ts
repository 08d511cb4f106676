/**
 * analytics.alarms.topicArn, resolved per stack: a topic ARN of the stack's own
 * partition and region, and no e-mail addresses beside it (they subscribe to the
 * stack's own topic, which a stack with topicArn does not create).
 *
 * Same region, by this project's rule: whether an alarm can notify a topic in
 * another region is not something AWS's PutMetricAlarm reference states (its
 * AlarmActions are written arn:aws:sns:region:account-id:sns-topic-name) and is
 * unverified here, so a topic in another region is refused rather than left to
 * fail silently when an alarm fires. Another account is fine when the topic's
 * policy lets cloudwatch.amazonaws.com publish (docs/alarms.md).
 */
import { SNS_TOPIC_ARN } from '../analytics';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

export const alarmTopic: MatrixCheck = ({ matrix, config }) => {
  const alarms = typeof matrix.analytics?.alarms === 'object' ? matrix.analytics.alarms : undefined;
  if (!alarms?.topicArn) return [];
  const issues: MatrixIssue[] = [];
  if (alarms.emails?.length)
    issues.push({
      path: 'analytics.alarms.emails',
      value: alarms.emails,
      allowed:
        'no e-mail addresses with topicArn: subscribe them to that topic instead (the stacks create no topic of their own to subscribe them to)',
    });
  for (const stack of config.stacks) {
    const arn = stack.analytics.alarms?.topicArn;
    if (!arn) continue;
    const m = SNS_TOPIC_ARN.exec(arn);
    const where = `analytics.alarms.topicArn (for ${stack.matrixPath}, ${stack.accountId} ${stack.region})`;
    if (!m)
      issues.push({
        path: where,
        value: arn,
        allowed: 'an SNS topic ARN once the placeholders are filled in: a topic name of 1-256 letters, digits, "-" and "_"',
      });
    else if (m[1] !== stack.partition || m[2] !== stack.region)
      issues.push({
        path: where,
        value: arn,
        allowed: `a topic in the stack's own partition and region (arn:${stack.partition}:sns:${stack.region}:...): alarms notify a topic in their own region here; use {partition} and {region} in the pattern`,
      });
  }
  return issues;
};
