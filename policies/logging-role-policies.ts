import {
  BEDROCK_SERVICE,
  INVOCATION_LOG_STREAM,
  IdentityStatement,
  PolicyDocument,
  Target,
  bedrockSourceConditions,
  logGroupArn,
} from './document';

/** Trust policy of the role Bedrock assumes to write to CloudWatch Logs: Bedrock only, for this account and region. */
export function loggingRoleTrustPolicy(target: Target): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBedrockAssumeRole',
        Effect: 'Allow',
        Principal: { Service: BEDROCK_SERVICE },
        Action: 'sts:AssumeRole',
        Condition: bedrockSourceConditions(target),
      },
    ],
  };
}

/** The role may only create the invocation log stream and put events into it. */
export function loggingRolePolicy(input: { target: Target; logGroupName: string }): PolicyDocument<IdentityStatement> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteInvocationLogStream',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArn(input.target, input.logGroupName)}:log-stream:${INVOCATION_LOG_STREAM}`,
      },
    ],
  };
}
