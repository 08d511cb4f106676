/**
 * The environment matrix: one zod schema that is both the runtime validator and
 * (through z.infer) the TypeScript type. Objects are strict, so a typo in a key
 * is an error rather than a silently ignored setting. The parts live beside it:
 * fields.ts (shared fields), logging.ts, deployment.ts, organization-policies.ts,
 * bedrock-guardrails.ts, analytics.ts and cost-export.ts.
 */
import { z } from 'zod';
import * as rules from './rules';
import { Analytics, RateCardEntry } from './analytics';
import { BedrockGuardrails } from './bedrock-guardrails';
import { CostExport } from './cost-export';
import { Evaluation } from './evaluation';
import { Deployment } from './deployment';
import { Tags, accountId, region, slug, tagKey, tagValue } from './fields';
import { LoggingOptions } from './logging';
import { Network } from './network';
import { OrganizationPolicies } from './organization-policies';
import { Observability } from './observability';

const RegionEntry = z.union([
  region,
  z
    .object({
      region,
      logging: LoggingOptions.optional(),
      tags: Tags.optional(),
      /** Model evaluation resources in this region (config/evaluation.ts); overrides the account's. */
      evaluation: Evaluation.optional(),
      /** Interface VPC endpoints for Bedrock in this region (config/network.ts); overrides the account's. */
      network: Network.optional(),
      /**
       * Brownfield: resources that already exist in this account and region and that the stack
       * imports (Terraform import blocks) instead of creating. docs/adoption.md.
       */
      adopt: z
        .array(z.enum(['loggingConfiguration', 'logGroup']))
        .min(1, 'at least one of "loggingConfiguration", "logGroup"')
        .refine((a) => new Set(a).size === a.length, 'each resource once')
        .optional(),
    })
    .strict(),
]);

export const Account = z
  .object({
    id: accountId,
    name: slug('an account name').optional(),
    environment: slug('an environment name').optional(),
    regions: z.array(RegionEntry).min(1, 'at least one region'),
    logging: LoggingOptions.optional(),
    tags: Tags.optional(),
    /** Model evaluation resources in this account's regions (config/evaluation.ts); overrides the matrix's. */
    evaluation: Evaluation.optional(),
    /** Interface VPC endpoints for Bedrock in this account's regions (config/network.ts). */
    network: Network.optional(),
    /** Role that deploys this account's bootstrap stack (an invited account has no OrganizationAccountAccessRole). Default deployment.bootstrap.adminRoleName. */
    adminRoleName: z.string().regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-').optional(),
  })
  .strict();

export const Model = z
  .object({
    alias: slug('a model alias'),
    /**
     * A foundation model ID (anthropic.claude-3-haiku-20240307-v1:0), or a system-defined
     * cross-region profile ID with its geography prefix (us.anthropic...).
     */
    source: z
      .string()
      .regex(
        rules.MODEL_SOURCE,
        'a foundation model ID such as anthropic.claude-3-haiku-20240307-v1:0, or a cross-region profile ID such as us.anthropic.claude-3-haiku-20240307-v1:0',
      ),
    /** With a foundation model ID: use the cross-region profile of each stack's geography (us., eu., apac.). */
    crossRegion: z.boolean().optional(),
    /**
     * The model's ID on the bedrock-mantle endpoint (e.g. openai.gpt-oss-120b: no geography prefix, no
     * version suffix), for organizationPolicies.loggedInferenceOnly.allowMantle[].models (bedrock-mantle:Model).
     */
    mantleId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.:_-]{0,127}$/, 'a bedrock-mantle model ID such as openai.gpt-oss-120b')
      .optional(),
  })
  .strict();

const idList = (what: string) => z.array(z.string()).min(1, `at least one ${what}`).optional();

export const Tenant = z
  .object({
    id: z
      .string()
      .regex(
        rules.TENANT_ID,
        'a tenant ID of 1-62 letters (either case), digits, "_" and "-", starting and ending with a letter or digit, e.g. "Initech_EU"; spelled exactly as requestMetadata carries it',
      ),
    models: z.array(z.string()).optional(),
    monthlyBudgetUsd: z.number().positive('a positive amount in US dollars').optional(),
    /** Where the tenant runs; every filter given must match. By default, every stack. */
    placement: z
      .object({ accounts: idList('account ID or name'), environments: idList('environment'), regions: idList('region') })
      .strict()
      .optional(),
    costCenter: tagValue.min(1, 'a non-empty tag value').optional(),
    owner: tagValue.min(1, 'a non-empty tag value').optional(),
    tags: Tags.optional(),
    alertEmails: z.array(z.string().email('an e-mail address')).max(10, 'at most 10 e-mail addresses (an AWS Budgets limit)').optional(),
    /** Create an IAM managed policy per stack that lets the tenant invoke only its own profiles. Default true. */
    invokePolicy: z.boolean().optional(),
    /** Name of an entry of bedrockGuardrails: the tenant's invoke policy then allows only requests through it. */
    guardrail: z.string().min(1).optional(),
  })
  .strict();

export const CostAllocationTagKeys = z
  .object({ tenant: tagKey, costCenter: tagKey, owner: tagKey })
  .partial()
  .strict()
  .refine((k) => new Set(Object.values(k)).size === Object.values(k).length, 'three different tag keys');

export const Matrix = z
  .object({
    deployment: Deployment.optional(),
    /**
     * The organization policies (SCPs, the RCP, the tag policy) the management stack deploys
     * (config/organization-policies.ts). Formerly `guardrails`, still read with a warning (config/deprecated-keys.ts).
     */
    organizationPolicies: OrganizationPolicies.optional(),
    managementAccountId: accountId.optional(),
    accounts: z.array(Account).min(1, 'at least one account'),
    models: z.array(Model).optional(),
    tenants: z.array(Tenant).optional(),
    /** Amazon Bedrock Guardrails that tenants use (config/bedrock-guardrails.ts). */
    bedrockGuardrails: BedrockGuardrails.optional(),
    logging: LoggingOptions.optional(),
    tags: Tags.optional(),
    /** Model evaluation resources (a bucket and a service role) in every logging stack (config/evaluation.ts). */
    evaluation: Evaluation.optional(),
    /** Tag keys that carry cost allocation on every inference profile. Defaults: tenant, cost-center, owner. */
    costAllocationTagKeys: CostAllocationTagKeys.optional(),
    /**
     * Activate the cost-allocation tag keys from the management stack. Default false:
     * AWS accepts the activation only once a key has appeared in billing data (about
     * 24 h after the first tagged use), so a new landing zone turns this on later
     * (docs/cost-allocation-tags.md). Turning it off forgets the activation, never deactivates.
     */
    costAllocationTags: z.object({ activate: z.boolean() }).strict().optional(),
    /** Tag keys every inference profile must carry (after defaults), e.g. ["cost-center", "owner"]. */
    requiredProfileTags: z.array(tagKey).optional(),
    /** Application inference profiles allowed per account and region (Service Quotas L-40EC9882). */
    profileQuotaPerRegion: z.number().int().positive('a positive whole number').optional(),
    /** Usage analytics and monitoring of every logging stack (config/analytics.ts). */
    analytics: Analytics.optional(),
    /** Prices per model alias and period, for the estimated-cost query. */
    rateCard: z.array(RateCardEntry).optional(),
    /** CUR 2.0 export of the bill, with per-tenant queries and the reconciliation, in the management account (config/cost-export.ts). */
    costExport: CostExport.optional(),
    /** Cross-account observability: a monitoring account that sees every account's Bedrock metrics and invocation logs (config/observability.ts). */
    observability: Observability.optional(),
    /** Optional Cost Anomaly Detection on tenant-tagged spend, in the management account. */
    costAnomalyMonitor: z
      .object({
        thresholdUsd: z.number().positive('a positive amount in US dollars'),
        emails: z.array(z.string().email('an e-mail address')).min(1, 'at least one e-mail address').max(10, 'at most 10 e-mail addresses'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Matrix = z.infer<typeof Matrix>;
export type Account = z.infer<typeof Account>;
export type Model = z.infer<typeof Model>;
export type Tenant = z.infer<typeof Tenant>;
