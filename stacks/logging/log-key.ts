import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { logKeyPolicy } from '../../policies/log-key-policy';
import type { Target } from '../../policies/document';
import { STATEFUL } from './stateful';

export interface LogKeyProps {
  /** The account and region whose Bedrock (and CloudWatch Logs) may use the key. */
  readonly target: Target;
  /** The key's alias (`alias/...`). */
  readonly alias: string;
  /** A key the matrix brings (logging.kmsKeyArn), whose policy the owner keeps: nothing is created. */
  readonly existingKeyArn?: string;
  /** The invocation log group CloudWatch Logs may encrypt with the key; unset (no CloudWatch destination): no such grant. */
  readonly logGroupName?: string;
}

/**
 * The customer managed key that encrypts invocation logs in S3 and CloudWatch Logs,
 * or the key the matrix brings (logging.kmsKeyArn), whose policy the owner keeps.
 */
export class LogKey extends Construct {
  /** The key's ARN: a reference to the created key, or the ARN the matrix brings. */
  readonly arn: string;
  /** The created key; unset when the matrix brings its own. */
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: LogKeyProps) {
    super(scope, id);
    const { target, alias, existingKeyArn, logGroupName } = props;
    if (existingKeyArn) {
      this.arn = existingKeyArn;
      return;
    }
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts Amazon Bedrock model invocation logs in ${target.region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(logKeyPolicy({ target, logGroupName })),
      lifecycle: { preventDestroy: true },
    });
    this.key.overrideLogicalId(STATEFUL.key);
    new KmsAlias(this, 'alias', { name: alias, targetKeyId: this.key.keyId }).overrideLogicalId('invocation_logs');
    this.arn = this.key.arn;
  }
}
