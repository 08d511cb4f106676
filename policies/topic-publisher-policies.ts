import type { PolicyDocument } from './document';

/** An AWS service that publishes to an encrypted SNS topic, acting only for its own source in this account. */
export interface TopicPublisher {
  partition: string;
  accountId: string;
  /** The service principal, e.g. budgets.amazonaws.com. */
  service: string;
  /** Names the publisher in the statement IDs, e.g. "Budgets". */
  name: string;
  /** The aws:SourceArn pattern of what may publish, e.g. the account's budgets. */
  sourceArn: string;
}

/** The confused-deputy guard: the service may act only for this account and source. */
function source(p: TopicPublisher) {
  return {
    StringEquals: { 'aws:SourceAccount': p.accountId },
    ArnLike: { 'aws:SourceArn': p.sourceArn },
  };
}

/** Key policy of the key that encrypts the topic: the root administers, the publisher may encrypt messages. */
export function topicKeyPolicy(p: TopicPublisher): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountRootAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: `Allow${p.name}ToPublishEncrypted`,
        Effect: 'Allow',
        Principal: { Service: p.service },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: source(p),
      },
    ],
  };
}

/** Topic policy: only the publisher, for its own source, may publish. */
export function topicPublishPolicy(p: TopicPublisher, topicArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: `Allow${p.name}Publish`,
        Effect: 'Allow',
        Principal: { Service: p.service },
        Action: 'SNS:Publish',
        Resource: topicArn,
        Condition: source(p),
      },
    ],
  };
}
