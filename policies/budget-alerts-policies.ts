import { COST_EXPORT_FRESHNESS_ALARM } from '../config/naming';
import type { PolicyDocument } from './document';
import { TopicPublisher, topicKeyPolicy, topicPublishPolicy } from './topic-publisher-policies';

/** AWS Budgets, acting only for budgets of the management account. */
const budgets = (accountId: string): TopicPublisher => ({
  partition: 'aws',
  accountId,
  service: 'budgets.amazonaws.com',
  name: 'Budgets',
  sourceArn: `arn:aws:budgets::${accountId}:*`,
});

/**
 * CloudWatch, acting only for the cost-export freshness alarm of the management account
 * (us-east-1, the management stack's region): it publishes to the budget-alert topic.
 */
const costExportAlarm = (accountId: string): TopicPublisher => ({
  partition: 'aws',
  accountId,
  service: 'cloudwatch.amazonaws.com',
  name: 'CostExportFreshnessAlarm',
  sourceArn: `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:${COST_EXPORT_FRESHNESS_ALARM}`,
});

/** Who publishes: AWS Budgets, and with the CUR 2.0 export its freshness alarm. */
const publishers = (accountId: string, costExportAlarmPublishes: boolean) => [
  budgets(accountId),
  ...(costExportAlarmPublishes ? [costExportAlarm(accountId)] : []),
];

/** Key policy of the key that encrypts the budget-alert topic: the root administers, Budgets (and the cost-export alarm) may encrypt messages. */
export function budgetAlertsKeyPolicy(accountId: string, options: { costExportAlarm?: boolean } = {}): PolicyDocument {
  return topicKeyPolicy(publishers(accountId, options.costExportAlarm ?? false));
}

/** Topic policy: only AWS Budgets, for this account's budgets (and the cost-export freshness alarm), may publish. */
export function budgetAlertsTopicPolicy(input: { accountId: string; topicArn: string; costExportAlarm?: boolean }): PolicyDocument {
  return topicPublishPolicy(publishers(input.accountId, input.costExportAlarm ?? false), input.topicArn);
}
