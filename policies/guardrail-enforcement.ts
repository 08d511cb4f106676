/**
 * Guardrail enforcement on a tenant's invoke policy of one region, the pattern AWS
 * documents in "Enforce the use of specific guardrails in model inference requests",
 * scoped to the tenant's own resources of that region:
 *
 * - every Allow of bedrock:InvokeModel / InvokeModelWithResponseStream (the IAM
 *   actions of InvokeModel, Converse and their streaming forms) gets
 *   `StringEquals bedrock:GuardrailIdentifier = <guardrail ARN>:<version>`, one
 *   value per accepted version (the current one, and the previous ones while the
 *   overlap keeps them);
 * - explicit Denies of the same actions with `StringNotEquals` on the same key (a
 *   negated operator matches when the key is absent, and with several values when
 *   the request's value is none of them), on the tenant's own profiles of this
 *   region and on whatever is invoked through them (bedrock:InferenceProfileArn).
 *   A request without the guardrail, with another guardrail, another version or the
 *   DRAFT (whose identifier is the bare ARN) is denied there, whatever other policy
 *   would allow it;
 * - an explicit Deny of the same actions on every resource when the request names
 *   no guardrail at all (`Null`), the same statement in every region's policy;
 * - bedrock:ApplyGuardrail on the guardrail, which Bedrock checks when a request
 *   names it.
 *
 * Why the Deny is scoped: IAM policies are global and explicit denies combine. A
 * role holding the policies of two regions (an active-active workload) would be
 * denied everywhere if each region denied `*` unless the request carried *its*
 * region's guardrail: no request carries both. Scoped to the region's own profiles,
 * each Deny applies only where its guardrail is the one to send.
 *
 * Conditions already on a statement (such as the profile-only
 * bedrock:InferenceProfileArn rule) are kept: the keys are merged, so both hold.
 */
import type { IdentityStatement, PolicyDocument } from './document';
import { asList } from './document';
import { INVOKE_ACTIONS } from './tenant-invoke-policy';

export const GUARDRAIL_KEY = 'bedrock:GuardrailIdentifier';
export const PROFILE_KEY = 'bedrock:InferenceProfileArn';

export interface GuardrailRef {
  /** The guardrail's ARN (no version). */
  arn: string;
  /** What callers may pass as the identifier plus version (`<ARN>:<version>`): the current version first, then the ones the overlap keeps. */
  versionedArns: string[];
}

/** `policy` (a tenant's invoke policy of one region, over `profileArns`) accepting only requests through guardrail `g`. */
export function enforceGuardrail(
  policy: PolicyDocument<IdentityStatement>,
  g: GuardrailRef,
  profileArns: string[],
): PolicyDocument<IdentityStatement> {
  const accepted = { [GUARDRAIL_KEY]: g.versionedArns };
  const statements = policy.Statement.map((s): IdentityStatement => {
    const invokes = s.Effect === 'Allow' && asList(s.Action).some((a) => INVOKE_ACTIONS.includes(a));
    if (!invokes) return s;
    const condition = { ...s.Condition };
    condition.StringEquals = { ...condition.StringEquals, ...accepted };
    return { ...s, Condition: condition };
  });
  return {
    ...policy,
    Statement: [
      ...statements,
      { Sid: 'ApplyTenantGuardrail', Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: g.arn },
      {
        Sid: 'DenyOwnProfilesWithoutTenantGuardrail',
        Effect: 'Deny',
        Action: INVOKE_ACTIONS,
        Resource: profileArns,
        Condition: { StringNotEquals: accepted },
      },
      {
        Sid: 'DenyInvokeThroughOwnProfilesWithoutTenantGuardrail',
        Effect: 'Deny',
        Action: INVOKE_ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { [PROFILE_KEY]: profileArns }, StringNotEquals: accepted },
      },
      {
        Sid: 'DenyInvokeWithoutGuardrail',
        Effect: 'Deny',
        Action: INVOKE_ACTIONS,
        Resource: '*',
        Condition: { Null: { [GUARDRAIL_KEY]: 'true' } },
      },
    ],
  };
}
