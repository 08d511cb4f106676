import { MANTLE_MARK, MANTLE_NAMESPACE } from '../../config/naming';
import { Rule, field } from '../rule';

/**
 * Where bedrock-mantle is allowed (no organizationPolicies.loggedInferenceOnly SCP provably covers the account, or
 * allowMantle names it), that inference bypasses the invocation logs (the logging stack marks its logging configuration with "//".bedrock_mantle):
 * the stack must then alarm on it, or the traffic goes unseen until the bill.
 */
export const mantleUnloggedAlarm: Rule = {
  id: 'MANTLE_UNLOGGED_ALARM',
  // No Checkov or Security Hub control covers it: the ID is this app's (issue 30, docs/model-access-paths.md).
  standards: ['MANTLE_UNLOGGED_ALARM (unlogged bedrock-mantle inference is watched where it is allowed)'],
  title: 'An account and region allowed to use bedrock-mantle alarms on its unlogged inferences (AWS/BedrockMantle Inferences)',
  resourceTypes: ['aws_bedrock_model_invocation_logging_configuration'],
  check(config, stack) {
    if (field(config.attrs['//'], MANTLE_MARK) !== 'allowed') return undefined;
    const alarms = stack
      .ofType('aws_cloudwatch_metric_alarm')
      .filter((a) => a.attrs.namespace === MANTLE_NAMESPACE && a.attrs.metric_name === 'Inferences');
    return alarms.length
      ? undefined
      : `bedrock-mantle is allowed in this account (no organizationPolicies.loggedInferenceOnly SCP covers it, or allowMantle names it) and its inference is not in these invocation logs, but the stack has no aws_cloudwatch_metric_alarm on ${MANTLE_NAMESPACE} Inferences`;
  },
};
