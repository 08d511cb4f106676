import type { IdentityStatement, PolicyDocument } from './document';

/** The IAM actions behind InvokeModel, Converse (bedrock:InvokeModel) and their streaming forms. */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/**
 * A tenant's workloads may invoke (InvokeModel, Converse and their streaming forms)
 * only through the tenant's own application inference profiles: the profile ARNs,
 * plus the models (or system profiles) behind them, which Bedrock also authorizes.
 * Another tenant's profile ARN is in neither list, so it is denied.
 */
export function tenantInvokePolicy(input: { profileArns: string[]; underlyingArns: string[] }): PolicyDocument<IdentityStatement> {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'InvokeOwnInferenceProfiles', Effect: 'Allow', Action: INVOKE_ACTIONS, Resource: input.profileArns },
      {
        Sid: 'InvokeModelsBehindOwnProfiles',
        Effect: 'Allow',
        Action: INVOKE_ACTIONS,
        Resource: [...new Set(input.underlyingArns)].sort(),
      },
    ],
  };
}
