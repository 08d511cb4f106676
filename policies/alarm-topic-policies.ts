import type { PolicyDocument, Target } from './document';

const CLOUDWATCH_SERVICE = 'cloudwatch.amazonaws.com';

/** CloudWatch may act only for alarms of this account and region. */
function alarmSource(t: Target) {
  return {
    StringEquals: { 'aws:SourceAccount': t.accountId },
    ArnLike: { 'aws:SourceArn': `arn:${t.partition}:cloudwatch:${t.region}:${t.accountId}:alarm:*` },
  };
}

/**
 * Key policy of the key that encrypts the alarm topic: the root administers it,
 * CloudWatch alarms of this account and region may encrypt messages (the AWS
 * managed SNS key cannot be used by CloudWatch alarms).
 */
export function alarmTopicKeyPolicy(t: Target): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountRootAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:${t.partition}:iam::${t.accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowCloudWatchAlarmsToPublishEncrypted',
        Effect: 'Allow',
        Principal: { Service: CLOUDWATCH_SERVICE },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: alarmSource(t),
      },
    ],
  };
}

/** Topic policy: only CloudWatch alarms of this account and region may publish. */
export function alarmTopicPolicy(input: { target: Target; topicArn: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowCloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: CLOUDWATCH_SERVICE },
        Action: 'SNS:Publish',
        Resource: input.topicArn,
        Condition: alarmSource(input.target),
      },
    ],
  };
}
