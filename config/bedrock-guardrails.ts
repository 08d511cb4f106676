/**
 * Amazon Bedrock Guardrails of the matrix (`bedrockGuardrails`, `tenants[].guardrail`):
 * the schema and the resolution per stack (the cross-reference checks are in
 * checks/bedrock-guardrails.ts).
 *
 * Not the repo's `iac-rules/` folder (a policy checker): these are the AWS feature.
 *
 * Limits come from the provider 5.100 schema (internal/service/bedrock/guardrail.go:
 * name 1-50 of [0-9a-zA-Z-_], blocked messages 1-500, topic name 1-100 of
 * [0-9a-zA-Z-_ !?.], topic definition 1-200, examples 1-100 each, grounding
 * threshold >= 0) and the CreateGuardrail API reference (filter strengths NONE |
 * LOW | MEDIUM | HIGH with PROMPT_ATTACK output NONE, PII types of
 * GuardrailPiiEntityConfig, BLOCK | ANONYMIZE, at most 30 denied topics and 5
 * examples each, at most 10,000 words, grounding thresholds 0-0.99).
 */
import { createHash } from 'crypto';
import { z } from 'zod';

export const FILTER_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type FilterStrength = (typeof FILTER_STRENGTHS)[number];

/** Matrix key -> API content filter type. */
export const CONTENT_FILTERS = {
  hate: 'HATE',
  insults: 'INSULTS',
  sexual: 'SEXUAL',
  violence: 'VIOLENCE',
  misconduct: 'MISCONDUCT',
  promptAttack: 'PROMPT_ATTACK',
} as const;

/** GuardrailPiiEntityConfig.type as the API (and the provider's enum) accepts it. */
export const PII_ENTITY_TYPES = [
  'ADDRESS',
  'AGE',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'CA_HEALTH_NUMBER',
  'CA_SOCIAL_INSURANCE_NUMBER',
  'CREDIT_DEBIT_CARD_CVV',
  'CREDIT_DEBIT_CARD_EXPIRY',
  'CREDIT_DEBIT_CARD_NUMBER',
  'DRIVER_ID',
  'EMAIL',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'IP_ADDRESS',
  'LICENSE_PLATE',
  'MAC_ADDRESS',
  'NAME',
  'PASSWORD',
  'PHONE',
  'PIN',
  'SWIFT_CODE',
  'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
  'UK_NATIONAL_INSURANCE_NUMBER',
  'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  'URL',
  'USERNAME',
  'US_BANK_ACCOUNT_NUMBER',
  'US_BANK_ROUTING_NUMBER',
  'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  'US_PASSPORT_NUMBER',
  'US_SOCIAL_SECURITY_NUMBER',
  'VEHICLE_IDENTIFICATION_NUMBER',
] as const;
export const PII_ACTIONS = ['BLOCK', 'ANONYMIZE'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

export const GUARDRAIL_NAME = /^[0-9a-zA-Z_-]{1,50}$/;
export const TOPIC_NAME = /^[0-9a-zA-Z_ !?.-]{1,100}$/;
export const MAX_TOPICS = 30;
export const MAX_TOPIC_EXAMPLES = 5;
export const MAX_WORDS = 10_000;
export const MESSAGE_MAX = 500;
export const GROUNDING_MAX = 0.99;
/**
 * At most this many versions before the current one stay published and accepted
 * (overlap.previousVersions). A project limit, not an AWS one: each accepted version
 * is one more ARN:version in every tenant policy of the guardrail.
 */
export const MAX_PREVIOUS_VERSIONS = 5;
/** The overlap when the matrix says nothing: the version before the current one stays accepted until the next revision. */
export const DEFAULT_OVERLAP = { previousVersions: 1 } as const;

const strength = z.enum(FILTER_STRENGTHS);
const PREVIOUS_VERSIONS = `a whole number of 1-${MAX_PREVIOUS_VERSIONS} (overlap: false for none)`;
const message = z.string().min(1, `a message of 1-${MESSAGE_MAX} characters`).max(MESSAGE_MAX, `a message of 1-${MESSAGE_MAX} characters`);
const threshold = z
  .number({ invalid_type_error: `a threshold between 0 and ${GROUNDING_MAX}` })
  .min(0, `a threshold between 0 and ${GROUNDING_MAX}`)
  .max(GROUNDING_MAX, `a threshold between 0 and ${GROUNDING_MAX}`);

const Topic = z
  .object({
    name: z.string().regex(TOPIC_NAME, 'a topic name of 1-100 characters from [0-9a-zA-Z-_ !?.]'),
    definition: z.string().min(1, 'a definition of 1-200 characters').max(200, 'a definition of 1-200 characters'),
    examples: z
      .array(z.string().min(1, 'an example of 1-100 characters').max(100, 'an example of 1-100 characters'))
      .max(MAX_TOPIC_EXAMPLES, `at most ${MAX_TOPIC_EXAMPLES} examples per topic`)
      .optional(),
  })
  .strict();

export const BedrockGuardrail = z
  .object({
    name: z.string().regex(GUARDRAIL_NAME, 'a guardrail name of 1-50 letters, digits, hyphens and underscores'),
    /** Strength per filter; input and output alike, except promptAttack (input only: the API requires its output strength NONE). */
    contentFilters: z
      .object(
        Object.fromEntries(Object.keys(CONTENT_FILTERS).map((k) => [k, strength.optional()])) as Record<
          keyof typeof CONTENT_FILTERS,
          z.ZodOptional<typeof strength>
        >,
      )
      .strict()
      .optional(),
    /** PII entity type -> BLOCK or ANONYMIZE. */
    pii: z
      .object(
        Object.fromEntries(PII_ENTITY_TYPES.map((t) => [t, z.enum(PII_ACTIONS).optional()])) as Record<
          (typeof PII_ENTITY_TYPES)[number],
          z.ZodOptional<z.ZodEnum<['BLOCK', 'ANONYMIZE']>>
        >,
      )
      .strict()
      .optional(),
    deniedTopics: z
      .array(Topic)
      .min(1, 'at least one topic (or leave deniedTopics out)')
      .max(MAX_TOPICS, `at most ${MAX_TOPICS} denied topics per guardrail`)
      .refine((t) => new Set(t.map((x) => x.name)).size === t.length, 'topics with different names')
      .optional(),
    wordFilters: z
      .object({
        managed: z
          .array(z.enum(['PROFANITY']))
          .max(1, 'PROFANITY once')
          .optional(),
        words: z
          .array(z.string().min(1, 'a word or phrase of 1-100 characters').max(100, 'a word or phrase of 1-100 characters'))
          .max(MAX_WORDS, `at most ${MAX_WORDS} words`)
          .refine((w) => new Set(w).size === w.length, 'each word once')
          .optional(),
      })
      .strict()
      .optional(),
    /** Contextual grounding thresholds (0-0.99); responses scoring below are blocked. */
    grounding: z.object({ grounding: threshold.optional(), relevance: threshold.optional() }).strict().optional(),
    blockedMessage: message.optional(),
    blockedInputMessage: message.optional(),
    blockedOutputMessage: message.optional(),
    /**
     * Which published version of the guardrail callers must send: bump it by one with
     * every change of the guardrail. Each revision is its own aws_bedrock_guardrail_version,
     * so a new revision publishes a new version and leaves the previous ones in place.
     * Default 1.
     */
    revision: z
      .number({ invalid_type_error: 'a whole number of 1 or more' })
      .int('a whole number of 1 or more')
      .min(1, 'a whole number of 1 or more')
      .optional(),
    /**
     * How many versions before the current revision's stay published and accepted by the
     * tenant policies, so callers can move to the new version after the apply; the oldest
     * is deleted by the apply that publishes a revision past the window. `false`: none
     * (a new revision deletes the previous version in the same apply). Default
     * { previousVersions: 1 }.
     */
    overlap: z
      .union([
        z.literal(false),
        z
          .object({
            previousVersions: z
              .number({ invalid_type_error: PREVIOUS_VERSIONS })
              .int(PREVIOUS_VERSIONS)
              .min(1, PREVIOUS_VERSIONS)
              .max(MAX_PREVIOUS_VERSIONS, PREVIOUS_VERSIONS),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export const BedrockGuardrails = z.array(BedrockGuardrail);
export type BedrockGuardrail = z.infer<typeof BedrockGuardrail>;

/** A guardrail as a stack deploys it: the provider's blocks, ready to synthesize. */
export interface GuardrailConfig {
  name: string;
  /** Terraform name of the guardrail and its version. */
  logicalId: string;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  contentFilters: { type: string; inputStrength: FilterStrength; outputStrength: FilterStrength }[];
  piiEntities: { type: string; action: PiiAction }[];
  topics: { name: string; definition: string; examples?: string[]; type: 'DENY' }[];
  managedWordLists: string[];
  words: string[];
  grounding: { type: 'GROUNDING' | 'RELEVANCE'; threshold: number }[];
  /** Short hash of everything above: in the version's description, so a changed guardrail is caught under an unchanged revision. */
  configHash: string;
  /** Where the guardrail is in the matrix (`bedrockGuardrails[<i>]`), for messages that tell what to change. */
  matrixPath: string;
  /** The revision callers must use (the matrix's `revision`, default 1). */
  revision: number;
  /**
   * The published versions the tenant policies accept, newest first: the current
   * revision's, then up to overlap.previousVersions revisions before it (never below 1).
   */
  versions: GuardrailVersionConfig[];
}

/** One published version of a guardrail, as a stack keeps it. */
export interface GuardrailVersionConfig {
  revision: number;
  /** Terraform name of its aws_bedrock_guardrail_version. */
  logicalId: string;
}

export const guardrailLogicalId = (name: string) => `guardrail_${name}`;

/**
 * Terraform name of a revision's version. Revision 1 keeps the name the version had
 * before revisions existed (`guardrail_<name>`), so a landing zone deployed before
 * keeps its version; later revisions are `guardrail_<name>_r<revision>`.
 */
export const guardrailVersionLogicalId = (name: string, revision: number) =>
  revision === 1 ? guardrailLogicalId(name) : `${guardrailLogicalId(name)}_r${revision}`;

/** The revisions whose versions a guardrail keeps, newest first. */
export function keptRevisions(g: Pick<BedrockGuardrail, 'revision' | 'overlap'>): number[] {
  const revision = g.revision ?? 1;
  const previous = g.overlap === false ? 0 : (g.overlap ?? DEFAULT_OVERLAP).previousVersions;
  const out: number[] = [];
  for (let r = revision; r >= Math.max(1, revision - previous); r--) out.push(r);
  return out;
}

/** The provider's blocks of one guardrail (bedrockGuardrails[index]), the hash that pins its version, and the versions it keeps. */
export function resolveGuardrail(g: BedrockGuardrail, index: number): GuardrailConfig {
  const contentFilters = (Object.entries(CONTENT_FILTERS) as [keyof typeof CONTENT_FILTERS, string][]).flatMap(([key, type]) => {
    const s = g.contentFilters?.[key];
    if (!s || s === 'NONE') return []; // a filter at NONE is no filter: left out
    return [{ type, inputStrength: s, outputStrength: key === 'promptAttack' ? ('NONE' as const) : s }];
  });
  const piiEntities = PII_ENTITY_TYPES.flatMap((type) => (g.pii?.[type] ? [{ type, action: g.pii[type]! }] : []));
  const topics = (g.deniedTopics ?? []).map((t) => ({
    name: t.name,
    definition: t.definition,
    ...(t.examples?.length ? { examples: t.examples } : {}),
    type: 'DENY' as const,
  }));
  const grounding = (
    [
      ['GROUNDING', g.grounding?.grounding],
      ['RELEVANCE', g.grounding?.relevance],
    ] as const
  ).flatMap(([type, threshold]) => (threshold === undefined ? [] : [{ type, threshold }]));
  const body = {
    name: g.name,
    logicalId: guardrailLogicalId(g.name),
    blockedInputMessaging: g.blockedInputMessage ?? g.blockedMessage!,
    blockedOutputsMessaging: g.blockedOutputMessage ?? g.blockedMessage!,
    contentFilters,
    piiEntities,
    topics,
    managedWordLists: g.wordFilters?.managed ?? [],
    words: g.wordFilters?.words ?? [],
    grounding,
  };
  // The hash covers what the version publishes, not the revision or the overlap: those say which versions exist.
  const configHash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  const versions = keptRevisions(g).map((revision) => ({ revision, logicalId: guardrailVersionLogicalId(g.name, revision) }));
  return { ...body, configHash, matrixPath: `bedrockGuardrails[${index}]`, revision: g.revision ?? 1, versions };
}
