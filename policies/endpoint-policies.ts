/**
 * Endpoint policies of the Bedrock interface VPC endpoints (stacks/network/private-endpoints.ts).
 * An endpoint policy is a resource-based policy on the endpoint: it does not grant, it limits what
 * may pass through the endpoint (Amazon VPC user guide, "Control access to VPC endpoints using
 * endpoint policies"). Principal must be "*" with conditions; aws:PrincipalOrgID is a global key.
 */
import type { PolicyDocument, Statement } from './document';

/** What bedrock-runtime lets through: invoking (InvokeModel and its streaming form, which Converse and ConverseStream use). */
export const ENDPOINT_INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

export interface RuntimeEndpointInput {
  organizationId: string;
  /** This stack's application inference profiles (ARNs or Terraform references). */
  profileArns: string[];
  /** The models and system profiles behind them (invoking a profile authorizes these too). */
  underlyingArns: string[];
  /** Without profiles: every application profile of the account in this region, by pattern. */
  fallbackArn: string;
}

/**
 * bedrock-runtime: only principals of the organization, invoking this stack's profiles and the models
 * behind them. A stack without profiles admits the account's application profiles (fallbackArn), so
 * the policy is never empty and still admits no direct model call.
 */
export function runtimeEndpointPolicy(i: RuntimeEndpointInput): PolicyDocument {
  const resources = i.profileArns.length ? [...i.profileArns, ...[...new Set(i.underlyingArns)].sort()] : [i.fallbackArn];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OrganizationInvokesTheseProfiles',
        Effect: 'Allow',
        Principal: '*',
        Action: ENDPOINT_INVOKE_ACTIONS,
        Resource: resources,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': i.organizationId } },
      },
    ],
  };
}

/** bedrock (control plane) and bedrock-agent-runtime: any action, only by principals of the organization. */
export function organizationEndpointPolicy(organizationId: string): PolicyDocument {
  const s: Statement = {
    Sid: 'OrganizationOnly',
    Effect: 'Allow',
    Principal: '*',
    Action: 'bedrock:*',
    Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
  };
  return { Version: '2012-10-17', Statement: [s] };
}
