/** AWS Organizations policies of the management stack, as pure functions. */

export const LOGGING_CONTROL_ACTIONS = ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'];

/**
 * Service control policy: nobody but the deploy role (in any member account) may
 * change or delete the Bedrock invocation-logging configuration, so logging cannot
 * be switched off or redirected. SCPs never apply to the management account itself.
 */
export function protectLoggingScp(input: { partition: string; deployRoleName: string }) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ProtectBedrockInvocationLogging',
        Effect: 'Deny',
        Action: LOGGING_CONTROL_ACTIONS,
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:${input.partition}:iam::*:role/${input.deployRoleName}` } },
      },
    ],
  };
}

/** Default resource types the tenant tag key is enforced on (check AWS's list of types that support enforcement). */
export const DEFAULT_TAG_ENFORCED_FOR = ['bedrock:application-inference-profile'];

/** Tag policy: the tenant tag key, with this exact capitalization, on inference profiles. */
export function tenantTagPolicy(input: { tagKey: string; enforcedFor: string[] }) {
  return {
    tags: {
      [input.tagKey]: {
        tag_key: { '@@assign': input.tagKey },
        enforced_for: { '@@assign': input.enforcedFor },
      },
    },
  };
}
