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

/** Key policy of the key that encrypts the topic: the root administers, each publisher may encrypt messages. */
export function topicKeyPolicy(publishers: TopicPublisher | TopicPublisher[]): PolicyDocument {
  const all = [publishers].flat();
  const p = all[0];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...all.map((x) => ({
        Sid: `Allow${x.name}ToPublishEncrypted`,
        Effect: 'Allow' as const,
        Principal: { Service: x.service },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: source(x),
      })),
    ],
  };
}

/** Topic policy: only the publishers, each for its own source, may publish. */
export function topicPublishPolicy(publishers: TopicPublisher | TopicPublisher[], topicArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [publishers].flat().map((x) => ({
      Sid: `Allow${x.name}Publish`,
      Effect: 'Allow' as const,
      Principal: { Service: x.service },
      Action: 'SNS:Publish',
      Resource: topicArn,
      Condition: source(x),
    })),
  };
}
