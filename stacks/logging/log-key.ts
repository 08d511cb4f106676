import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import { logKeyPolicy } from '../../policies/log-key-policy';
import type { Target } from '../../policies/document';
import { STATEFUL } from './stateful';

/**
 * The customer managed key that encrypts invocation logs in S3 and CloudWatch Logs,
 * or the key the matrix brings (logging.kmsKeyArn), whose policy the owner keeps.
 */
export class LogKey extends Construct {
  readonly arn: string;
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, stack: StackConfig, target: Target) {
    super(scope, id);
    if (stack.logging.kmsKeyArn) {
      this.arn = stack.logging.kmsKeyArn;
      return;
    }
    const usesCloudWatch = stack.logging.destinations.includes('cloudwatch');
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts Amazon Bedrock model invocation logs in ${stack.region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(logKeyPolicy({ target, logGroupName: usesCloudWatch ? stack.names.logGroup : undefined })),
      lifecycle: { preventDestroy: true },
    });
    this.key.overrideLogicalId(STATEFUL.key);
    new KmsAlias(this, 'alias', { name: stack.names.keyAlias, targetKeyId: this.key.keyId }).overrideLogicalId('invocation_logs');
    this.arn = this.key.arn;
  }
}
