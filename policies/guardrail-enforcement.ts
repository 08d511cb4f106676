/**
 * Guardrail enforcement on a tenant's invoke policy, the pattern AWS documents in
 * "Enforce the use of specific guardrails in model inference requests":
 *
 * - every Allow of bedrock:InvokeModel / InvokeModelWithResponseStream (the IAM
 *   actions of InvokeModel, Converse and their streaming forms) gets
 *   `StringEquals bedrock:GuardrailIdentifier = <guardrail ARN>:<version>`;
 * - an explicit Deny of the same actions on every resource with
 *   `StringNotEquals` on the same key. A negated operator matches when the key is
 *   absent, so a request without a guardrail is denied as well as one with
 *   another guardrail, another version or the DRAFT (whose identifier is the bare
 *   ARN). The Deny also overrides any other policy that would allow the call;
 * - bedrock:ApplyGuardrail on the guardrail, which Bedrock checks when a request
 *   names it.
 *
 * Conditions already on a statement (such as the profile-only
 * bedrock:InferenceProfileArn rule) are kept: the keys are merged, so both hold.
 */
import type { IdentityStatement, PolicyDocument } from './document';
import { asList } from './document';
import { INVOKE_ACTIONS } from './tenant-invoke-policy';

export const GUARDRAIL_KEY = 'bedrock:GuardrailIdentifier';

export interface GuardrailRef {
  /** The guardrail's ARN (no version). */
  arn: string;
  /** The ARN with the pinned version: what callers pass as the identifier plus version. */
  versionedArn: string;
}

export function enforceGuardrail(policy: PolicyDocument<IdentityStatement>, g: GuardrailRef): PolicyDocument<IdentityStatement> {
  const statements = policy.Statement.map((s): IdentityStatement => {
    const invokes = s.Effect === 'Allow' && asList(s.Action).some((a) => INVOKE_ACTIONS.includes(a));
    if (!invokes) return s;
    const condition = { ...s.Condition };
    condition.StringEquals = { ...condition.StringEquals, [GUARDRAIL_KEY]: g.versionedArn };
    return { ...s, Condition: condition };
  });
  return {
    ...policy,
    Statement: [
      ...statements,
      { Sid: 'ApplyTenantGuardrail', Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: g.arn },
      {
        Sid: 'DenyInvokeWithoutTenantGuardrail',
        Effect: 'Deny',
        Action: INVOKE_ACTIONS,
        Resource: '*',
        Condition: { StringNotEquals: { [GUARDRAIL_KEY]: g.versionedArn } },
      },
    ],
  };
}
