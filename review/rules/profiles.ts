/** Application inference profiles: callers hold their ARN, which a replacement or deletion changes. */
import { DangerRule } from './types';

export const profileArnChange: DangerRule = {
  cause: 'profile-arn',
  title: 'Inference profile deleted or replaced: callers using its ARN break',
  when: 'an inference profile is deleted or replaced: its ARN changes and callers break',
  check(i) {
    if (i.type !== 'aws_bedrock_inference_profile') return [];
    if (i.action === 'delete') return ['inference profile deleted: callers using its ARN break'];
    if (i.action === 'replace') return [`inference profile replaced (${i.forcing.join(', ')}): its ARN changes and callers break`];
    return [];
  },
};
