/**
 * The environment matrix: one zod schema that is both the runtime validator and
 * (through z.infer) the TypeScript type. Objects are strict, so a typo in a key
 * is an error rather than a silently ignored setting.
 */
import { z } from 'zod';
import * as rules from './rules';
import { Analytics, RateCardEntry } from './analytics';
import { BedrockGuardrails } from './bedrock-guardrails';
import { CostExport } from './cost-export';

const tagKey = z
  .string()
  .min(1, 'a tag key of 1-128 characters')
  .max(rules.TAG_KEY_MAX, 'a tag key of 1-128 characters')
  .regex(rules.TAG_CHARS, 'a tag key of letters, digits, spaces and _ . : / = + - @')
  .refine((k) => !k.toLowerCase().startsWith('aws:'), 'a tag key that does not start with the reserved prefix "aws:"');

const tagValue = z
  .string()
  .max(rules.TAG_VALUE_MAX, 'a tag value of 0-256 characters')
  .regex(rules.TAG_CHARS, 'a tag value of letters, digits, spaces and _ . : / = + - @');

export const Tags = z
  .record(tagKey, tagValue)
  .refine((t) => Object.keys(t).length <= rules.TAGS_PER_RESOURCE_MAX, `at most ${rules.TAGS_PER_RESOURCE_MAX} tags`);

const accountId = z
  .string({ invalid_type_error: 'a 12-digit AWS account ID as a quoted string (unquoted, YAML and JSON read it as a number and drop leading zeros)' })
  .regex(rules.ACCOUNT_ID, 'a 12-digit AWS account ID, as a string');
const region = z.string().regex(rules.REGION, 'an AWS region code such as us-east-1 or eu-west-1');
const slug = (what: string) =>
  z.string().regex(rules.SLUG, `${what}: 1-32 lower-case letters, digits and hyphens, starting and ending with a letter or digit`);

const retention = z
  .number()
  .refine((d) => (rules.LOG_RETENTION_DAYS as readonly number[]).includes(d), `one of the retention periods CloudWatch allows: ${rules.LOG_RETENTION_DAYS.join(', ')}`);

const days = z.number().int('a whole number of days').min(1, 'at least 1 day');

const Transition = z
  .object({
    days: z.number().int('a whole number of days').min(0, 'at least 0 days'),
    storageClass: z.enum(rules.S3_STORAGE_CLASSES),
  })
  .strict()
  .refine((t) => !['STANDARD_IA', 'ONEZONE_IA'].includes(t.storageClass) || t.days >= 30, {
    message: 'at least 30 days before STANDARD_IA or ONEZONE_IA (an S3 rule)',
    path: ['days'],
  });

export const Lifecycle = z
  .object({
    /** Transitions of current log objects to cheaper storage classes. */
    transitions: z.array(Transition).optional(),
    /** Days after which a current object expires. Unset: logs are kept forever. */
    expirationDays: days.optional(),
    /** Days after which overwritten or deleted versions are removed. */
    noncurrentVersionExpirationDays: days.optional(),
    /** Days after which incomplete multipart uploads are aborted. */
    abortIncompleteMultipartUploadDays: days.optional(),
  })
  .strict();

/** The exact text logging.objectLock.confirmCompliance must hold for mode COMPLIANCE. */
export const COMPLIANCE_CONFIRMATION = 'I understand nobody can shorten this';

/**
 * S3 Object Lock on the log bucket: every log object version is kept for `days`
 * after it is written. GOVERNANCE: only principals with s3:BypassGovernanceRetention
 * (the SCP denies it to all but the deploy and break-glass roles) can shorten it.
 * COMPLIANCE: nobody can, not even the root user, so it takes a written confirmation.
 */
export const ObjectLock = z
  .object({
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
    days: z.number().int('a whole number of days').min(1, 'at least 1 day').max(36500, 'at most 36,500 days (100 years)'),
    confirmCompliance: z.string().refine((v) => v === COMPLIANCE_CONFIRMATION, `exactly "${COMPLIANCE_CONFIRMATION}" (only with mode COMPLIANCE)`).optional(),
  })
  .strict();

export const Delivery = z
  .object({ text: z.boolean(), image: z.boolean(), embedding: z.boolean(), video: z.boolean() })
  .partial()
  .strict();

/** Logging options: settable at matrix, account and region level; the most specific wins. */
export const LoggingOptions = z
  .object({
    destinations: z
      .array(z.enum(['s3', 'cloudwatch']))
      .min(1, 'at least one destination: "s3", "cloudwatch" or both')
      .refine((d) => new Set(d).size === d.length, 'each destination once'),
    delivery: Delivery,
    s3KeyPrefix: z.string().max(512).regex(rules.S3_KEY_PREFIX, 'an S3 key prefix without leading or trailing "/", e.g. "invocation-logs"'),
    largeDataKeyPrefix: z
      .string()
      .max(512)
      .regex(rules.S3_KEY_PREFIX, 'an S3 key prefix without leading or trailing "/", e.g. "large-data"'),
    logRetentionDays: retention,
    logGroupName: z.string().regex(rules.LOG_GROUP_NAME, 'a log group name of 1-512 characters from [.-_/#A-Za-z0-9]'),
    bucketNamePrefix: z
      .string()
      .max(40, 'a bucket name prefix of at most 40 characters (account ID and region are appended)')
      .regex(rules.BUCKET_NAME_PREFIX, 'a bucket name prefix of lower-case letters, digits and hyphens'),
    lifecycle: Lifecycle,
    /** S3 Object Lock with a default retention on the log bucket (docs/tamper-proofing.md). */
    objectLock: ObjectLock,
    /** Bring your own KMS key (in the stack's account and region) instead of creating one. */
    kmsKeyArn: z.string().regex(rules.KMS_KEY_ARN, 'a KMS key ARN such as arn:aws:kms:us-east-1:111111111111:key/<key-id>'),
  })
  .partial()
  .strict();

const RegionEntry = z.union([
  region,
  z
    .object({
      region,
      logging: LoggingOptions.optional(),
      tags: Tags.optional(),
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
    source: z.string().regex(rules.MODEL_SOURCE, 'a foundation model ID such as anthropic.claude-3-haiku-20240307-v1:0, or a cross-region profile ID such as us.anthropic.claude-3-haiku-20240307-v1:0'),
    /** With a foundation model ID: use the cross-region profile of each stack's geography (us., eu., apac.). */
    crossRegion: z.boolean().optional(),
  })
  .strict();

const idList = (what: string) => z.array(z.string()).min(1, `at least one ${what}`).optional();

export const Tenant = z
  .object({
    id: z
      .string()
      .regex(rules.TENANT_ID, 'a tenant ID of 1-62 letters (either case), digits, "_" and "-", starting and ending with a letter or digit, e.g. "Initech_EU"; spelled exactly as requestMetadata carries it'),
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

const template = (example: string) =>
  z
    .string()
    .min(1)
    .refine(
      (t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => (rules.TEMPLATE_FIELDS as readonly string[]).includes(m[1])),
      `a template whose placeholders are among ${rules.TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}, e.g. "${example}"`,
    );

export const Backend = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local') }).strict(),
  z
    .object({
      type: z.literal('tfc'),
      organization: z.string().regex(rules.TFC_ORGANIZATION, 'a Terraform Cloud organization name'),
      /** Terraform Cloud project of the workspaces; the organization's default project when unset. */
      project: z.string().min(1).max(40).optional(),
      /** Workspace name per stack. Default "{stack}". */
      workspaceTemplate: template('bedrock-{environment}-{accountId}-{region}').optional(),
      hostname: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().regex(rules.BUCKET_NAME, 'an S3 bucket name'),
      region: z.string().regex(rules.REGION, 'an AWS region code such as us-east-1'),
      /** State object key per stack. Default "bedrock-governance/{stack}/terraform.tfstate". */
      keyTemplate: template('bedrock-governance/{stack}/terraform.tfstate').optional(),
      /** Role to assume for the state bucket, when it lives in another account. */
      roleArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/.+$/, 'an IAM role ARN').optional(),
    })
    .strict(),
]);

export const Deployment = z
  .object({
    /** Assume a deploy role in each target account. Default true. */
    assumeRole: z.boolean().optional(),
    /** Name of the deploy role in every account. Default "bedrock-governance-deploy". */
    roleName: z.string().regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-').optional(),
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'a session name of 2-64 characters of letters, digits and +=,.@_-').optional(),
    externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID of 2-1224 characters of letters, digits and +=,.@:/_-').optional(),
    backend: Backend.optional(),
    /** Environments in rollout order; one wave per entry. Default: dev, staging, prod, then the others. */
    waves: z.array(z.string()).min(1).optional(),
    /**
     * Synthesize a bootstrap stack per account that creates the deploy role, trusted by
     * Terraform Cloud through OIDC (with a tfc backend) and/or by the given principals.
     */
    bootstrap: z
      .object({
        /**
         * Role used to deploy the bootstrap stacks of member accounts. Default
         * "OrganizationAccountAccessRole", which AWS Organizations creates only in the
         * member accounts it creates: set accounts[].adminRoleName for invited accounts.
         */
        adminRoleName: z.string().regex(rules.IAM_ROLE_NAME, 'an IAM role name').optional(),
        /**
         * Role used to deploy the management account's bootstrap stack. No default (the
         * management account has no OrganizationAccountAccessRole); required when
         * managementAccountId is set.
         */
        /**
         * The Terraform Cloud OIDC provider of each account: "create" (default), "import" (it exists:
         * adopt it with an import block) or "existing" (it exists and stays unmanaged: the deploy
         * role trusts arn:<partition>:iam::<account>:oidc-provider/<hostname>). docs/adoption.md.
         */
        oidcProvider: z.enum(['create', 'import', 'existing']).optional(),
        managementAccountRoleName: z.string().regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-').optional(),
        /** Other principals (e.g. a CI role) allowed to assume the deploy role. */
        trustedPrincipalArns: z.array(z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/.+$/, 'an IAM role or user ARN')).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const targets = z.array(z.string().regex(rules.ORG_TARGET, 'an AWS Organizations target: the root (r-...), an OU (ou-...-...) or an account ID')).min(1, 'at least one target');

export const Guardrails = z
  .object({
    /**
     * SCPs that deny weakening any link of the logging chain (logging configuration, bucket,
     * log objects, keys, log group, logging role, delivery alarms) to everyone but the deploy
     * role and the break-glass roles (docs/tamper-proofing.md).
     */
    protectLoggingScp: z
      .object({
        targetIds: targets,
        /** Roles that may change the chain in an emergency, e.g. arn:aws:iam::*:role/BreakGlass. */
        breakGlassRoleArns: z
          .array(z.string().regex(rules.BREAK_GLASS_ROLE_ARN, 'an IAM role ARN such as arn:aws:iam::*:role/BreakGlass (account ID or *, no wildcard in the partition)'))
          .min(1, 'at least one role ARN (or leave the key out)')
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * Resource control policy on the log buckets and keys: principals outside the
     * organization are denied; AWS services acting for the organization keep working.
     */
    dataPerimeterRcp: z
      .object({
        targetIds: targets,
        /** The organization's ID (o-...), for aws:PrincipalOrgID: known offline, unlike a data source. */
        organizationId: z.string().regex(rules.ORGANIZATION_ID, 'an AWS Organizations ID such as o-a1b2c3d4e5'),
      })
      .strict()
      .optional(),
    /** Tag policy that enforces the tenant tag key on inference profiles. */
    tenantTagPolicy: z
      .object({
        targetIds: targets,
        /** Resource types the policy enforces the key on. */
        enforcedFor: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9_*-]+$/, 'a resource type such as bedrock:application-inference-profile')).min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const Matrix = z
  .object({
    deployment: Deployment.optional(),
    guardrails: Guardrails.optional(),
    managementAccountId: accountId.optional(),
    accounts: z.array(Account).min(1, 'at least one account'),
    models: z.array(Model).optional(),
    tenants: z.array(Tenant).optional(),
    /** Amazon Bedrock Guardrails that tenants use (config/bedrock-guardrails.ts). */
    bedrockGuardrails: BedrockGuardrails.optional(),
    logging: LoggingOptions.optional(),
    tags: Tags.optional(),
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
export type LoggingOptions = z.infer<typeof LoggingOptions>;
export type Lifecycle = z.infer<typeof Lifecycle>;
export type ObjectLock = z.infer<typeof ObjectLock>;
export type Tags = z.infer<typeof Tags>;
export type Model = z.infer<typeof Model>;
export type Backend = z.infer<typeof Backend>;
export type Deployment = z.infer<typeof Deployment>;
export type Tenant = z.infer<typeof Tenant>;
