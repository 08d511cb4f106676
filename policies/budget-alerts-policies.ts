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

/** Key policy of the key that encrypts the budget-alert topic: the root administers, Budgets may encrypt messages. */
export function budgetAlertsKeyPolicy(accountId: string): PolicyDocument {
  return topicKeyPolicy(budgets(accountId));
}

/** Topic policy: only AWS Budgets, for this account's budgets, may publish. */
export function budgetAlertsTopicPolicy(input: { accountId: string; topicArn: string }): PolicyDocument {
  return topicPublishPolicy(budgets(input.accountId), input.topicArn);
}
