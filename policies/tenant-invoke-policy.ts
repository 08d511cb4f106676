import type { IdentityStatement, PolicyDocument } from './document';

/**
 * The IAM actions behind InvokeModel, Converse and their streaming forms: the Bedrock
 * API reference says Converse "requires permission for the bedrock:InvokeModel action"
 * and ConverseStream for bedrock:InvokeModelWithResponseStream
 * (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html, ..._ConverseStream.html).
 */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/**
 * A tenant's workloads may invoke (InvokeModel, Converse and their streaming forms)
 * only through the tenant's own application inference profiles: the profile ARNs,
 * plus the models (or system profiles) behind them, which Bedrock also authorizes.
 * Another tenant's profile ARN is in neither list, so it is denied.
 *
 * The underlying ARNs are granted only when the request came through one of the
 * tenant's own profiles: condition key `bedrock:InferenceProfileArn` (type ARN; listed
 * for bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream in the Service
 * Authorization Reference, "Actions, resources, and condition keys for Amazon Bedrock";
 * the user guide, "Prerequisites for inference profiles", puts it on the statement that
 * scopes to the foundation-model resources). Without it a tenant could call the plain
 * model ID (or the system profile), and that spend would carry no tenant tag.
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
        Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': input.profileArns } },
      },
    ],
  };
}
