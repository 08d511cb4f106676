import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { ManagementConfig } from '../../config/model';
import type { ScpExemptions } from './scp-exemptions';
import { apiKeysScp, loggedInferenceOnlyScp } from '../../policies/inference-path-policies';

/** Terraform names of the two SCPs (their attachments are `<name>_<target>`): the review rule reads them. */
export const INFERENCE_PATH_POLICIES = { loggedInferenceOnly: 'logged_inference_only', apiKeys: 'bedrock_api_keys' } as const;

/**
 * The SCPs on the paths to a model that bypass invocation logging (docs/model-access-paths.md):
 * organizationPolicies.loggedInferenceOnly (bedrock-mantle inference) and organizationPolicies.apiKeys (Bedrock API
 * keys), each attached to its targets. A later SCP that denies unapproved models can add the same
 * bedrock-mantle actions with bedrock-mantle:Model (MANTLE_INFERENCE_ACTIONS, MANTLE_MODEL_KEY).
 */
export interface InferencePathPoliciesProps extends ScpExemptions {
  /** organizationPolicies.loggedInferenceOnly and organizationPolicies.apiKeys, resolved; unset: none. */
  readonly inferencePaths?: ManagementConfig['inferencePaths'];
}

export class InferencePathPolicies extends Construct {
  constructor(scope: Construct, id: string, props: InferencePathPoliciesProps) {
    super(scope, id);
    const paths = props.inferencePaths;
    if (!paths) return;
    const add = (name: string, policyName: string, description: string, content: unknown, targets: string[]) => {
      const scp = new OrganizationsPolicy(this, name, {
        name: policyName,
        description,
        type: 'SERVICE_CONTROL_POLICY',
        content: JSON.stringify(content),
      });
      scp.overrideLogicalId(name);
      for (const targetId of targets)
        new OrganizationsPolicyAttachment(this, `${name}-${targetId}`, { policyId: scp.id, targetId }).overrideLogicalId(
          `${name}_${targetId.replace(/-/g, '_')}`,
        );
    };
    if (paths.loggedInferenceOnly)
      add(
        INFERENCE_PATH_POLICIES.loggedInferenceOnly,
        'bedrock-logged-inference-only',
        'Bedrock inference only through the logged bedrock-runtime endpoint: bedrock-mantle only where allowMantle allows it',
        loggedInferenceOnlyScp({
          partition: props.partition,
          deployRoleName: props.deployRoleName,
          breakGlassRoleArns: props.breakGlassRoleArns,
          allow: paths.loggedInferenceOnly.allow,
        }),
        paths.loggedInferenceOnly.targetIds,
      );
    if (paths.apiKeys) {
      const s = paths.apiKeys.settings;
      add(
        INFERENCE_PATH_POLICIES.apiKeys,
        'bedrock-api-keys',
        `Bedrock API keys: long-term ${s.longTerm}, short-term ${s.shortTerm}`,
        apiKeysScp(s),
        paths.apiKeys.targetIds,
      );
    }
  }
}
