import type { PolicyDocument, Target } from './document';
import { TopicPublisher, topicKeyPolicy, topicPublishPolicy } from './topic-publisher-policies';

/** CloudWatch, acting only for alarms of this account and region. */
const alarms = (t: Target): TopicPublisher => ({
  partition: t.partition,
  accountId: t.accountId,
  service: 'cloudwatch.amazonaws.com',
  name: 'CloudWatchAlarms',
  sourceArn: `arn:${t.partition}:cloudwatch:${t.region}:${t.accountId}:alarm:*`,
});

/**
 * Key policy of the key that encrypts the alarm topic: the root administers it,
 * CloudWatch alarms of this account and region may encrypt messages (the AWS
 * managed SNS key cannot be used by CloudWatch alarms).
 */
export function alarmTopicKeyPolicy(t: Target): PolicyDocument {
  return topicKeyPolicy(alarms(t));
}

/** Topic policy: only CloudWatch alarms of this account and region may publish. */
export function alarmTopicPolicy(input: { target: Target; topicArn: string }): PolicyDocument {
  return topicPublishPolicy(alarms(input.target), input.topicArn);
}
