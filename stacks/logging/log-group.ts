import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { Target } from '../../policies/document';
import { loggingRolePolicy, loggingRoleTrustPolicy } from '../../policies/logging-role-policies';
import { suppress } from '../../iac-rules';
import type { LogKey } from './log-key';
import { STATEFUL } from './stateful';

export interface LogGroupDestinationProps {
  /** The account and region whose Bedrock assumes the role. */
  readonly target: Target;
  readonly logGroupName: string;
  readonly roleName: string;
  /** The key that encrypts the log group (its policy must let CloudWatch Logs use it for this group). */
  readonly key: LogKey;
  readonly retentionInDays: number;
  /** Brownfield (adopt.logGroup): import the existing log group instead of creating it. */
  readonly adopt?: boolean;
  /** The S3 destination keeps a copy of every record too: said in the reason a short retention is accepted. */
  readonly s3Copy?: boolean;
}

/** The CloudWatch destination: a KMS-encrypted log group and the role Bedrock assumes to write to it. */
export class LogGroupDestination extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  /** The log group's name, known at synth (logGroup.name is a reference). */
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: LogGroupDestinationProps) {
    super(scope, id);
    const { target, logGroupName, retentionInDays: days } = props;
    this.logGroupName = logGroupName;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      kmsKeyId: props.key.arn,
      retentionInDays: days,
      skipDestroy: true,
      lifecycle: { preventDestroy: true },
    });
    this.logGroup.overrideLogicalId(STATEFUL.logGroup);
    // Brownfield: an import block (import ID = the log group name; provider 5.100
    // internal/service/logs/group.go imports by name) instead of a create that would fail
    // with ResourceAlreadyExistsException. Terraform then updates it in place to this config.
    if (props.adopt) this.logGroup.importFrom(logGroupName);
    if (days < 365)
      suppress(
        this.logGroup,
        'CKV_AWS_338',
        `the matrix sets logRetentionDays = ${days} for this stack: retention in CloudWatch is the matrix owner's choice per environment${
          props.s3Copy ? ', and the S3 copy keeps every record under the bucket lifecycle' : ''
        }`,
      );

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Lets Amazon Bedrock deliver model invocation logs to CloudWatch Logs',
      assumeRolePolicy: JSON.stringify(loggingRoleTrustPolicy(target)),
      lifecycle: { preventDestroy: true },
    });
    this.role.overrideLogicalId(STATEFUL.role);

    this.rolePolicy = new IamRolePolicy(this, 'role-policy', {
      name: 'deliver-invocation-logs',
      role: this.role.name,
      policy: JSON.stringify(loggingRolePolicy({ target, logGroupName })),
    });
    this.rolePolicy.overrideLogicalId(STATEFUL.role);
  }
}
