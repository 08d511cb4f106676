/** The invocation-logging configuration: removed, a destination removed, a delivery flag turned off. */
import { Json } from '../terraform-json';
import { DangerRule } from './types';
import { block } from './types';

const LOGGING_CONFIG = 'aws_bedrock_model_invocation_logging_configuration';

export const loggingOff: DangerRule = {
  cause: 'logging-off',
  title: 'Invocation logging switched off or reduced',
  when: 'the logging configuration is removed from a stack that stays in the matrix (a stack that leaves the matrix is not changed on merge), a destination removed, a delivery flag turned off, or large-data delivery removed',
  check(i) {
    if (i.type !== LOGGING_CONFIG) return [];
    if (i.action === 'delete') return ['invocation logging turned off for this account and region'];
    if (i.before === undefined || i.after === undefined) return [];
    const b = block(i.before.logging_config) ?? {};
    const a = block(i.after.logging_config) ?? {};
    const out: string[] = [];
    for (const dest of ['s3_config', 'cloudwatch_config']) if (b[dest] && !a[dest]) out.push(`destination ${dest} removed`);
    for (const flag of ['text', 'image', 'embedding', 'video']) {
      const key = `${flag}_data_delivery_enabled`;
      if (b[key] !== false && a[key] === false) out.push(`${flag} delivery turned off`);
    }
    const large = (c: Json | undefined) => block(block(c)?.large_data_delivery_s3_config);
    if (large(b.cloudwatch_config) && a.cloudwatch_config && !large(a.cloudwatch_config)) out.push('large-data delivery removed');
    return out;
  },
};
