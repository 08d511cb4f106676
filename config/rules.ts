/**
 * AWS naming and value rules the matrix is checked against, in one place so the
 * schema, the error messages and the docs agree. Sources: AWS API references
 * and the CloudWatch Logs PutRetentionPolicy / S3 bucket naming rules.
 */

export const ACCOUNT_ID = /^\d{12}$/;

/** Region codes such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-7. */
export const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;

/** Values CloudWatch Logs accepts for retentionInDays. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const S3_STORAGE_CLASSES = ['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;

/** S3 key prefix: path segments of safe characters, no leading or trailing slash. Empty means the bucket root. */
export const S3_KEY_PREFIX = /^$|^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/;

/** Bucket names: 3-63 characters, lower case letters, digits and hyphens (dots are avoided: they break TLS). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
export const BUCKET_NAME_PREFIX = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

/** CloudWatch log group names: 1-512 characters of [.-_/#A-Za-z0-9]. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** KMS key ARN (not an alias): the key must live in the stack's own account and region. */
export const KMS_KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/[a-zA-Z0-9-]+$/;

/** Short identifiers used in names and Terraform addresses: account names, environments, tenants, model aliases. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Tenant IDs, as the SaaS systems that own them spell them (they must equal the requestMetadata
 * tenant value exactly): 1-62 letters of either case, digits, "_" and "-", starting and ending
 * with a letter or digit. Every downstream name accepts that: the profile name <tenant>-<alias>
 * (1-64, ([0-9a-zA-Z][ _-]?)+, checked per profile, which also rejects repeated separators), its
 * description, tag values, IAM policy names ([\w+=,.@-], 128), AWS Budgets names (100, no ":" or
 * "\"), CloudWatch alarm names and dimension values, and requestMetadata values
 * ([a-zA-Z0-9\s:_@$#=/+,-.]). 62 leaves room for "-" and a one-character model alias.
 */
export const TENANT_ID = /^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,60}[0-9A-Za-z])?$/;

/**
 * The Terraform-safe logical ID of a tenant, for the addresses of its profiles, invoke policy and
 * budget. Terraform names take letters, digits, "_" and "-" but must not start with a digit, so a
 * tenant ID that starts with one gets a leading "_" (which no tenant ID has, so none collide).
 * Every other ID, today's lower-case ones included, is its own logical ID: their addresses stay
 * byte-identical (pinned in __tests__/stacks/tenancy.test.ts).
 */
export const tenantLogicalId = (id: string) => (/^[0-9]/.test(id) ? `_${id}` : id);

/**
 * Logical ID of a tenant's daily-token alarm. Today's IDs (lower case, digits, "-") keep their
 * address tenant_tokens_<id with "-" as "_">; any other ID uses tenant_tokens-<logical ID>, so an
 * ID with "_" (a_b) never lands on the address of an ID with "-" (a-b).
 */
export const tenantAlarmId = (id: string) =>
  /^[a-z][a-z0-9-]*$/.test(id) ? `tenant_tokens_${id.replace(/-/g, '_')}` : `tenant_tokens-${tenantLogicalId(id)}`;

/** AWS tag rules. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const TAGS_PER_RESOURCE_MAX = 50;
export const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix for regional service principals such as logs.<region>.amazonaws.com. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** Foundation model IDs (provider.model[:version]) and system cross-region profile IDs (geo.provider.model). */
export const MODEL_SOURCE = /^[a-z0-9-]+(\.[a-zA-Z0-9-]+)+(:[a-zA-Z0-9-]+)*(:\d+)?$/;

/** Application inference profile names and descriptions, as the Bedrock API checks them (the provider checks only length). */
export const PROFILE_NAME = /^([0-9a-zA-Z][ _-]?)+$/;
export const PROFILE_NAME_MAX = 64;
export const PROFILE_DESCRIPTION = /^([0-9a-zA-Z:.][ _-]?)+$/;
export const PROFILE_DESCRIPTION_MAX = 200;
export const DEFAULT_PROFILE_QUOTA = 1000;

/**
 * Geography prefixes of system-defined cross-region inference profiles, and the
 * regions each can be called from.
 */
export const GEOGRAPHIES: Record<string, { regions: string; fits: (region: string) => boolean }> = {
  us: { regions: 'us-* (not GovCloud)', fits: (r) => r.startsWith('us-') && !r.startsWith('us-gov-') },
  'us-gov': { regions: 'us-gov-*', fits: (r) => r.startsWith('us-gov-') },
  eu: { regions: 'eu-*', fits: (r) => r.startsWith('eu-') },
  apac: { regions: 'ap-*', fits: (r) => r.startsWith('ap-') },
  jp: { regions: 'ap-northeast-1, ap-northeast-3', fits: (r) => ['ap-northeast-1', 'ap-northeast-3'].includes(r) },
  au: { regions: 'ap-southeast-2, ap-southeast-4', fits: (r) => ['ap-southeast-2', 'ap-southeast-4'].includes(r) },
  global: { regions: 'commercial regions', fits: (r) => partitionOf(r) === 'aws' },
};

/** The geography a foundation model marked crossRegion uses in a region, if any. */
export function geographyFor(region: string): string | undefined {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

/** Splits "us.anthropic.claude..." into its geography and model ID; a foundation model ID has none. */
export function splitGeography(source: string): { geography?: string; modelId: string } {
  const m = /^(us-gov|us|eu|apac|jp|au|global)\.(.+)$/.exec(source);
  return m ? { geography: m[1], modelId: m[2] } : { modelId: source };
}

/** IAM role names: 1-64 of [\w+=,.@-]. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Terraform Cloud workspace names: letters, digits, - and _, at most 90 characters. */
export const TFC_WORKSPACE = /^[A-Za-z0-9_-]{1,90}$/;
export const TFC_ORGANIZATION = /^[A-Za-z0-9_-]{3,40}$/;
/** A GitHub repository as owner/name: an owner of 1-39 letters, digits and hyphens (not leading), a name of letters, digits, ".", "_" and "-". */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** Placeholders of the workspace-name and state-key templates. */
export const TEMPLATE_FIELDS = ['stack', 'accountId', 'accountName', 'environment', 'region'] as const;

/** AWS Organizations targets: the root (r-), an OU (ou-) or an account ID. */
export const ORG_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

/** Break-glass roles: a role ARN in any partition, account ID or "*", with an optional path; "*" allowed in the path and name. */
export const BREAK_GLASS_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}|\*):role\/[\w+=,.@/*-]{1,512}$/;

/** AWS Organizations IDs: "o-" and 10-32 lower-case letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
