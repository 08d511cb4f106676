import { BedrockGuardrail } from '@cdktf/provider-aws/lib/bedrock-guardrail';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
import { Construct } from 'constructs';
import type { GuardrailConfig } from '../../config/bedrock-guardrails';
import type { GuardrailRef } from '../../policies/guardrail-enforcement';

/** Plain Terraform references (the logical IDs are fixed), usable inside policy JSON. */
export const guardrailArn = (logicalId: string) => `\${aws_bedrock_guardrail.${logicalId}.guardrail_arn}`;
/** The guardrail's ID (the key of its assessment in a guardrail trace). */
export const guardrailId = (logicalId: string) => `\${aws_bedrock_guardrail.${logicalId}.guardrail_id}`;
export const guardrailVersion = (logicalId: string) => `\${aws_bedrock_guardrail_version.${logicalId}.version}`;
export const guardrailRef = (g: Pick<GuardrailConfig, 'logicalId'>): GuardrailRef => ({
  arn: guardrailArn(g.logicalId),
  versionedArn: `${guardrailArn(g.logicalId)}:${guardrailVersion(g.logicalId)}`,
});

/** The version's description: changes whenever the guardrail's configuration does. */
export const versionDescription = (g: GuardrailConfig) => `Configuration ${g.configHash} of guardrail ${g.name} (bedrock-governance)`;

/**
 * One aws_bedrock_guardrail plus a pinned aws_bedrock_guardrail_version per
 * guardrail that a tenant placed in this stack uses.
 *
 * Versioning (provider 5.100, internal/service/bedrock/guardrail_version.go): a
 * version is immutable; `description` is RequiresReplaceIfConfigured and
 * `guardrail_arn` RequiresReplace. Updating the guardrail changes only its DRAFT,
 * so the version's description carries a hash of the configuration: any change
 * replaces the version, CreateGuardrailVersion publishes the next number, and the
 * tenant policies (which reference `version`) follow in the same apply.
 * create_before_destroy publishes the new version before the old one is deleted,
 * so the policy never points at a deleted version.
 *
 * Encryption: no kms_key_arn, so Bedrock uses an AWS-owned key. With a customer key,
 * every tenant role would need kms:Decrypt on it to use the guardrail; the stack's
 * only key encrypts the invocation logs, and tenants must not hold it.
 */
export class TenantGuardrails extends Construct {
  readonly guardrails = new Map<string, BedrockGuardrail>();

  constructor(scope: Construct, id: string, guardrails: GuardrailConfig[]) {
    super(scope, id);
    for (const g of guardrails) {
      const guardrail = new BedrockGuardrail(this, g.logicalId, {
        name: g.name,
        description: `Guardrail ${g.name} of the tenants that use it (bedrock-governance)`,
        blockedInputMessaging: g.blockedInputMessaging,
        blockedOutputsMessaging: g.blockedOutputsMessaging,
        contentPolicyConfig: g.contentFilters.length
          ? [{ filtersConfig: g.contentFilters.map((f) => ({ type: f.type, inputStrength: f.inputStrength, outputStrength: f.outputStrength })) }]
          : undefined,
        sensitiveInformationPolicyConfig: g.piiEntities.length ? [{ piiEntitiesConfig: g.piiEntities.map((p) => ({ type: p.type, action: p.action })) }] : undefined,
        topicPolicyConfig: g.topics.length ? [{ topicsConfig: g.topics.map((t) => ({ ...t })) }] : undefined,
        wordPolicyConfig:
          g.managedWordLists.length || g.words.length
            ? [
                {
                  managedWordListsConfig: g.managedWordLists.length ? g.managedWordLists.map((type) => ({ type })) : undefined,
                  wordsConfig: g.words.length ? g.words.map((text) => ({ text })) : undefined,
                },
              ]
            : undefined,
        contextualGroundingPolicyConfig: g.grounding.length ? [{ filtersConfig: g.grounding.map((f) => ({ type: f.type, threshold: f.threshold })) }] : undefined,
      });
      guardrail.overrideLogicalId(g.logicalId);
      new BedrockGuardrailVersion(this, `${g.logicalId}-version`, {
        guardrailArn: guardrail.guardrailArn,
        description: versionDescription(g),
        lifecycle: { createBeforeDestroy: true },
      }).overrideLogicalId(g.logicalId);
      this.guardrails.set(g.name, guardrail);
    }
  }
}
