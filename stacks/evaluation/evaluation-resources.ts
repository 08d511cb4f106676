import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { EvaluationConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { evaluationBucketPolicy, evaluationRolePolicy, evaluationRoleTrustPolicy } from '../../policies/evaluation-policies';
import type { LogKey } from '../logging/log-key';
import { privateBucket } from '../private-bucket';

/** Terraform logical IDs of the evaluation bucket's resources and of the role: pinned, as stateful addresses are. */
export const EVALUATION_LOGICAL_ID = 'evaluation';

export interface EvaluationResourcesProps {
  /** The bucket and role names, the expiry and the judge models (config/evaluation.ts resolved). */
  readonly evaluation: EvaluationConfig;
  readonly target: Target;
  /** The key that encrypts the bucket (the stack's invocation-log key: the datasets are copies of its logs). */
  readonly key: LogKey;
}

/**
 * What Amazon Bedrock model evaluation jobs need in one account and region: a
 * private bucket for datasets and results (no Object Lock: results are rewritten
 * and expire), and the service role the jobs assume, which reads datasets/,
 * writes results/ and invokes only the judge models.
 */
export class EvaluationResources extends Construct {
  readonly bucket: S3Bucket;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: EvaluationResourcesProps) {
    super(scope, id);
    const { evaluation, target } = props;
    const keyArn = props.key.arn;
    ({ bucket: this.bucket } = privateBucket(this, {
      logicalId: EVALUATION_LOGICAL_ID,
      bucketName: evaluation.bucket,
      keyArn,
      policy: JSON.stringify(evaluationBucketPolicy({ target, bucketName: evaluation.bucket })),
      lifecycleRule: {
        id: 'evaluation-data-expiry',
        status: 'Enabled',
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        expiration: [{ days: evaluation.expirationDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
      },
    }));

    this.role = new IamRole(this, 'role', {
      name: evaluation.role,
      description: 'Amazon Bedrock model evaluation jobs: read datasets/, write results/, invoke the judge models',
      assumeRolePolicy: JSON.stringify(evaluationRoleTrustPolicy(target)),
    });
    this.role.overrideLogicalId(EVALUATION_LOGICAL_ID);
    new IamRolePolicy(this, 'role-policy', {
      name: 'evaluation-jobs',
      role: this.role.id,
      policy: JSON.stringify(
        evaluationRolePolicy({
          target,
          bucketName: evaluation.bucket,
          keyArn,
          judgeModelArns: evaluation.judgeModels.flatMap((j) => j.arns),
        }),
      ),
    }).overrideLogicalId(EVALUATION_LOGICAL_ID);

    new TerraformOutput(scope, 'evaluation_bucket_name', {
      value: this.bucket.bucket,
      description: 'Bucket of evaluation datasets (datasets/) and results (results/)',
    });
    new TerraformOutput(scope, 'evaluation_role_arn', {
      value: this.role.arn,
      description: 'Service role for Amazon Bedrock model evaluation jobs',
    });
  }
}
