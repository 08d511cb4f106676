import type { PolicyDocument } from './document';

const BUDGETS_SERVICE = 'budgets.amazonaws.com';

/** Budgets may act only for budgets of the management account. */
function budgetsSource(accountId: string) {
  return {
    StringEquals: { 'aws:SourceAccount': accountId },
    ArnLike: { 'aws:SourceArn': `arn:aws:budgets::${accountId}:*` },
  };
}

/** Key policy of the key that encrypts the budget-alert topic: the root administers, Budgets may encrypt messages. */
export function budgetAlertsKeyPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountRootAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowBudgetsToPublishEncrypted',
        Effect: 'Allow',
        Principal: { Service: BUDGETS_SERVICE },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: budgetsSource(accountId),
      },
    ],
  };
}

/** Topic policy: only AWS Budgets, for this account's budgets, may publish. */
export function budgetAlertsTopicPolicy(input: { accountId: string; topicArn: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBudgetsPublish',
        Effect: 'Allow',
        Principal: { Service: BUDGETS_SERVICE },
        Action: 'SNS:Publish',
        Resource: input.topicArn,
        Condition: budgetsSource(input.accountId),
      },
    ],
  };
}
