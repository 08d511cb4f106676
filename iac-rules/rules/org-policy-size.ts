import { ORG_POLICY_MAX_CHARS } from '../../policies/organization-policies';
import { Rule } from '../rule';

/**
 * The maximum size of a policy document, by policy type (AWS Organizations user guide,
 * "Quotas and service limits", maximum size of a policy document; CreatePolicy's Content
 * refers to it). The API counts every character of the content as sent, which is the
 * JSON string the stacks write.
 */
const ORG_POLICY_LIMITS: Record<string, number> = {
  SERVICE_CONTROL_POLICY: ORG_POLICY_MAX_CHARS,
  RESOURCE_CONTROL_POLICY: ORG_POLICY_MAX_CHARS,
  TAG_POLICY: 10_000,
};

/** How a policy the app writes gets smaller: the matrix settings its size grows with. */
const FIX: Record<string, string> = {
  SERVICE_CONTROL_POLICY:
    'list fewer organizationPolicies.protectLoggingScp.breakGlassRoleArns (or accountVendingRoleArns), or use fewer distinct logging.bucketNamePrefix, key prefix and logGroupName values; for logged_inference_only, fewer organizationPolicies.loggedInferenceOnly.allowMantle entries, roles or models; for approved_models_*, fewer organizationPolicies.approvedModels[].models of the provider this SCP holds (a list is split by provider, each provider whole in one SCP)',
  RESOURCE_CONTROL_POLICY: 'use fewer distinct logging.bucketNamePrefix values (organizationPolicies.dataPerimeterRcp)',
  TAG_POLICY: 'list fewer organizationPolicies.tenantTagPolicy.enforcedFor resource types',
};

/** An organization policy over its size limit fails at apply, after the rest of the management stack is deployed: stop it at synth. */
export const orgPolicySize: Rule = {
  id: 'ORG_POLICY_SIZE',
  // No Checkov or Security Hub control covers it: the ID is this app's, the limit AWS Organizations'.
  standards: ['ORG_POLICY_SIZE (AWS Organizations quota: maximum size of a policy document)'],
  title: 'Organization policies fit the AWS Organizations size limit of their type (SCP and RCP 5,120 characters, tag policy 10,000)',
  resourceTypes: ['aws_organizations_policy'],
  check(policy) {
    const { type, content } = policy.attrs;
    const max = ORG_POLICY_LIMITS[String(type)];
    if (max === undefined || typeof content !== 'string' || content.length <= max) return undefined;
    return `content is ${content.length} characters, more than the ${max} AWS Organizations allows for a ${type}: ${FIX[String(type)]}`;
  },
};
