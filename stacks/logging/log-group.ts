import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { loggingRolePolicy, loggingRoleTrustPolicy } from '../../policies/logging-role-policies';
import { suppress } from '../../iac-rules';
import { STATEFUL } from './stateful';

/** The CloudWatch destination: a KMS-encrypted log group and the role Bedrock assumes to write to it. */
export class LogGroupDestination extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, stack: StackConfig, target: Target, keyArn: string) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: stack.names.logGroup,
      kmsKeyId: keyArn,
      retentionInDays: stack.logging.logRetentionDays,
      skipDestroy: true,
      lifecycle: { preventDestroy: true },
    });
    this.logGroup.overrideLogicalId(STATEFUL.logGroup);
    // Brownfield: an import block (import ID = the log group name; provider 5.100
    // internal/service/logs/group.go imports by name) instead of a create that would fail
    // with ResourceAlreadyExistsException. Terraform then updates it in place to this config.
    if (stack.adopt.logGroup) this.logGroup.importFrom(stack.names.logGroup);
    const days = stack.logging.logRetentionDays;
    if (days < 365)
      suppress(
        this.logGroup,
        'CKV_AWS_338',
        `the matrix sets logRetentionDays = ${days} for this stack: retention in CloudWatch is the matrix owner's choice per environment${
          stack.logging.destinations.includes('s3') ? ', and the S3 copy keeps every record under the bucket lifecycle' : ''
        }`,
      );

    this.role = new IamRole(this, 'role', {
      name: stack.names.role,
      description: 'Lets Amazon Bedrock deliver model invocation logs to CloudWatch Logs',
      assumeRolePolicy: JSON.stringify(loggingRoleTrustPolicy(target)),
      lifecycle: { preventDestroy: true },
    });
    this.role.overrideLogicalId(STATEFUL.role);

    this.rolePolicy = new IamRolePolicy(this, 'role-policy', {
      name: 'deliver-invocation-logs',
      role: this.role.name,
      policy: JSON.stringify(loggingRolePolicy({ target, logGroupName: stack.names.logGroup })),
    });
    this.rolePolicy.overrideLogicalId(STATEFUL.role);
  }
}
