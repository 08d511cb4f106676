import { BedrockGuardrail } from '@cdktf/provider-aws/lib/bedrock-guardrail';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
import { Construct } from 'constructs';
import type { GuardrailConfig } from '../../config/bedrock-guardrails';
import type { GuardrailRef } from '../../policies/guardrail-enforcement';

/** A Bedrock guardrail of the stack, as the tenant policies, the outputs and the monitoring refer to it. */
export interface TenantGuardrail {
  readonly config: GuardrailConfig;
  readonly guardrail: BedrockGuardrail;
  /** The guardrail's ARN (guardrail_arn, a reference). */
  readonly arn: string;
  /** The guardrail's ID (guardrail_id, a reference). */
  readonly id: string;
  /** The numbers of the published versions it keeps, the current revision's first (as config.versions). */
  readonly versions: string[];
  /** The version callers must send: the current revision's. */
  readonly currentVersion: string;
  /** What a tenant policy accepts: the ARN, and `<ARN>:<version>` per kept version. */
  readonly ref: GuardrailRef;
}

/** What a version's description starts with: the configuration it publishes (the current one, for a version created now). */
export const configurationOf = (g: GuardrailConfig) => `Configuration ${g.configHash} of guardrail ${g.name}`;
/** A version's description: the configuration, and the revision it is the version of. */
export const versionDescription = (g: GuardrailConfig, revision: number) =>
  `${configurationOf(g)}, revision ${revision} (bedrock-governance)`;

/**
 * The postcondition of the current revision's version: the version was published
 * from the configuration the matrix has now. Its description is ignored by
 * Terraform once created (see TenantGuardrails), so a guardrail changed without a
 * new revision would otherwise update the DRAFT and leave callers on a version that
 * no longer matches the matrix; the plan fails instead and says what to change.
 */
export function publishedFromCurrentConfiguration(g: GuardrailConfig) {
  return {
    condition: `\${strcontains(self.description, "${configurationOf(g)}")}`,
    errorMessage: `Guardrail "${g.name}" has changed since its revision ${g.revision} was published as this version. Set ${g.matrixPath}.revision to ${g.revision + 1} to publish the change as a new version (the current one stays accepted while the overlap keeps it).`,
  };
}

export interface TenantGuardrailsProps {
  /** The Bedrock guardrails the tenant policies of the stack use (StackConfig.bedrockGuardrails). */
  readonly guardrails: GuardrailConfig[];
}

/**
 * One aws_bedrock_guardrail plus one aws_bedrock_guardrail_version per revision it
 * keeps (GuardrailConfig.versions: the current revision, and the previous ones the
 * overlap keeps accepted) per guardrail that a tenant placed in this stack uses.
 *
 * Versioning (provider 5.100, internal/service/bedrock/guardrail_version.go): a
 * version is immutable and has no Update; `description` is
 * RequiresReplaceIfConfigured and `guardrail_arn` RequiresReplace. Updating the
 * guardrail changes only its DRAFT. So each revision is its own resource, created
 * once: a new revision (a new address) publishes a new version from the updated
 * DRAFT, the previous revisions' versions stay in state and in AWS, and the one
 * that falls out of the window leaves the configuration and is deleted by that
 * apply, after the tenant policies (which refer to it) stop accepting it.
 * `ignore_changes = [description]` keeps a kept version from being replaced when
 * the configuration hash in its description moves on; the current one's
 * postcondition refuses a changed guardrail under an unchanged revision.
 *
 * skip_destroy is not used: the provider reads it from state when deleting, and a
 * version deleted with it is only forgotten. It stays published and out of state,
 * where no later apply can remove it.
 *
 * Encryption: no kms_key_arn, so Bedrock uses an AWS-owned key. With a customer key,
 * every tenant role would need kms:Decrypt on it to use the guardrail; the stack's
 * only key encrypts the invocation logs, and tenants must not hold it.
 */
export class TenantGuardrails extends Construct {
  /** Each guardrail by its name. */
  readonly guardrails = new Map<string, TenantGuardrail>();

  constructor(scope: Construct, id: string, props: TenantGuardrailsProps) {
    super(scope, id);
    for (const g of props.guardrails) {
      const guardrail = new BedrockGuardrail(this, g.logicalId, {
        name: g.name,
        description: `Guardrail ${g.name} of the tenants that use it (bedrock-governance)`,
        blockedInputMessaging: g.blockedInputMessaging,
        blockedOutputsMessaging: g.blockedOutputsMessaging,
        contentPolicyConfig: g.contentFilters.length
          ? [
              {
                filtersConfig: g.contentFilters.map((f) => ({
                  type: f.type,
                  inputStrength: f.inputStrength,
                  outputStrength: f.outputStrength,
                })),
              },
            ]
          : undefined,
        sensitiveInformationPolicyConfig: g.piiEntities.length
          ? [{ piiEntitiesConfig: g.piiEntities.map((p) => ({ type: p.type, action: p.action })) }]
          : undefined,
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
        contextualGroundingPolicyConfig: g.grounding.length
          ? [{ filtersConfig: g.grounding.map((f) => ({ type: f.type, threshold: f.threshold })) }]
          : undefined,
      });
      guardrail.overrideLogicalId(g.logicalId);
      const versions = g.versions.map((v, i) => {
        const version = new BedrockGuardrailVersion(this, `${v.logicalId}-version`, {
          guardrailArn: guardrail.guardrailArn,
          description: versionDescription(g, v.revision),
          lifecycle: {
            createBeforeDestroy: true,
            ignoreChanges: ['description'],
            ...(i === 0 ? { postcondition: [publishedFromCurrentConfiguration(g)] } : {}),
          },
        });
        version.overrideLogicalId(v.logicalId);
        return version;
      });
      const arn = guardrail.guardrailArn;
      const numbers = versions.map((v) => v.version);
      this.guardrails.set(g.name, {
        config: g,
        guardrail,
        arn,
        id: guardrail.guardrailId,
        versions: numbers,
        currentVersion: numbers[0],
        ref: { arn, versionedArns: numbers.map((n) => `${arn}:${n}`) },
      });
    }
  }
}
