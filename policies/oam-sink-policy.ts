/**
 * The policy of a monitoring account's OAM sink (aws_oam_sink_policy): who may link to it,
 * and what a link may share.
 *
 * The accounts of the matrix are named one by one (their root ARNs), rather than every
 * principal of the organization: the matrix knows them offline, a new account is admitted by
 * the monitoring wave that runs before its logging stack, and an account of the organization
 * that is not in the matrix cannot link. Where the organization ID is known
 * (observability.organizationId or organizationPolicies.dataPerimeterRcp.organizationId) the statement
 * also requires aws:PrincipalOrgID, so an account that left the organization is refused even
 * before the matrix drops it. Sink policy grammar (CloudWatch user guide, "Link monitoring
 * accounts with source accounts"; OAM API reference, PutSinkPolicy): actions oam:CreateLink and
 * oam:UpdateLink, condition key oam:ResourceTypes (Service Authorization Reference, oam:
 * CreateLink and UpdateLink take it).
 */
import { SHARED_RESOURCE_TYPES } from '../config/observability';
import type { PolicyDocument } from './document';

export const SINK_POLICY_ACTIONS = ['oam:CreateLink', 'oam:UpdateLink'];

export function oamSinkPolicy(input: { partition: string; accountIds: string[]; organizationId?: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'MatrixAccountsShareMetricsAndLogGroups',
        Effect: 'Allow',
        Principal: { AWS: [...new Set(input.accountIds)].sort().map((a) => `arn:${input.partition}:iam::${a}:root`) },
        Action: SINK_POLICY_ACTIONS,
        Resource: '*',
        Condition: {
          'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...SHARED_RESOURCE_TYPES] },
          ...(input.organizationId ? { StringEquals: { 'aws:PrincipalOrgID': input.organizationId } } : {}),
        },
      },
    ],
  };
}
