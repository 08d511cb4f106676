/**
 * Personal-data masking (CloudWatch Logs data protection policy) removed. It only
 * matters while invocation logs still go to CloudWatch: removed together with the
 * CloudWatch destination, it protects nothing any more, and the destination's
 * removal is reported by the logging rule.
 */
import { DangerRule, block } from './types';

const LOGGING_CONFIG = 'aws_bedrock_model_invocation_logging_configuration';

export const maskingRemoved: DangerRule = {
  cause: 'masking-removed',
  title: 'Personal-data masking removed while logs still go to CloudWatch',
  when: "the log group's data protection policy is removed while invocation logs still go to CloudWatch (removed together with the CloudWatch destination it protects nothing)",
  check(i) {
    if (i.type !== 'aws_cloudwatch_log_data_protection_policy' || i.action !== 'delete') return [];
    const stillLogged = [...i.headStack].some(
      ([address, body]) => address.startsWith(`${LOGGING_CONFIG}.`) && block(block(body?.logging_config)?.cloudwatch_config),
    );
    return stillLogged
      ? [
          'personal-data masking removed while invocation logs still go to CloudWatch: prompts and responses logged from now on are not masked',
        ]
      : [];
  },
};
