/**
 * The private-path SCP (organizationPolicies.requirePrivateNetwork, docs/model-governance.md): invoking a
 * model is denied unless the request came through one of the matrix's VPCs or from an AWS service
 * acting for the caller. `aws:SourceVpc` is present only on requests that came through a VPC
 * endpoint (IAM user guide, global condition keys), so a request from the internet has none and
 * StringNotEqualsIfExists denies it; `aws:ViaAWSService` is true when a service such as Bedrock
 * Agents calls on the caller's behalf with its credentials (forward access sessions). The exempt
 * roles (deploy, break-glass) are those of the logging-chain SCP.
 */
import type { PolicyDocument } from './document';
import { exemptRoles } from './inference-path-policies';
import type { ScpStatement } from './organization-policies';

/** The bedrock-runtime invoke actions (Converse, ConverseStream and the OpenAI-compatible APIs authorize as these). */
export const PRIVATE_PATH_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

export interface PrivateNetworkInput {
  partition: string;
  deployRoleName: string;
  breakGlassRoleArns?: string[];
  /** The VPC IDs of the matrix's network entries. */
  vpcIds: string[];
}

export function requirePrivateNetworkScp(input: PrivateNetworkInput): PolicyDocument<ScpStatement> {
  if (!input.vpcIds.length) throw new Error('requirePrivateNetworkScp: no VPC, so the SCP would deny every invocation');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInvokeOutsideTheMatrixVpcs',
        Effect: 'Deny',
        Action: PRIVATE_PATH_ACTIONS,
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:SourceVpc': [...input.vpcIds].sort() },
          Bool: { 'aws:ViaAWSService': 'false' },
          ArnNotLike: { 'aws:PrincipalArn': exemptRoles(input) },
        },
      },
    ],
  };
}
