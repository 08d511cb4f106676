/**
 * Log-delivery alarms: without them a logging outage goes unnoticed. An alarm
 * removed together with what it watches (the CloudWatch destination, or the whole
 * logging configuration) watches nothing, and the logging rule reports that removal.
 */
import { DangerRule, block } from './types';

const LOGGING_CONFIG = 'aws_bedrock_model_invocation_logging_configuration';

export const deliveryAlarmRemoved: DangerRule = {
  cause: 'alarm-removed',
  title: 'Log-delivery alarm removed while its logs still flow',
  when: 'a log-delivery alarm is removed while the destination it watches still exists',
  check(i) {
    if (
      i.type !== 'aws_cloudwatch_metric_alarm' ||
      i.action !== 'delete' ||
      !i.address.startsWith('aws_cloudwatch_metric_alarm.log_delivery_')
    )
      return [];
    const config = [...i.headStack].find(([address]) => address.startsWith(`${LOGGING_CONFIG}.`))?.[1];
    if (!config) return [];
    if (i.address.endsWith('_cloudwatch') && !block(block(config.logging_config)?.cloudwatch_config)) return [];
    return ['log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed'];
  },
};
