/**
 * The resolved configuration: what the resolvers (resolvers/) make of a valid
 * matrix, and all that code downstream of config/ sees. Nothing here holds the
 * raw matrix: every default is applied, every name derived, every option merged.
 */
import type { ApprovedModels } from './approved-models';
import type { AnalyticsSettings, RateCardEntry } from './analytics';
import type { GuardrailConfig } from './bedrock-guardrails';
import type { Backend } from './deployment';
import type { CostExportSettings } from './cost-export';
import type { ObjectLock, Lifecycle } from './logging';
import type { InferencePaths } from './inference-paths';
import type { NetworkConfig } from './network';
import type { OrganizationPolicies } from './organization-policies';
import type * as rules from './rules';

export type Destination = 's3' | 'cloudwatch';

export interface LoggingSettings {
  destinations: Destination[];
  delivery: { text: boolean; image: boolean; embedding: boolean; video: boolean };
  s3KeyPrefix: string;
  largeDataKeyPrefix: string;
  logRetentionDays: number;
  logGroupName: string;
  bucketNamePrefix: string;
  lifecycle: Required<Pick<Lifecycle, 'transitions' | 'noncurrentVersionExpirationDays' | 'abortIncompleteMultipartUploadDays'>> &
    Pick<Lifecycle, 'expirationDays'>;
  kmsKeyArn?: string;
  /** S3 Object Lock on the log bucket; unset: none. */
  objectLock?: ObjectLock;
}

/** The identity a stack's provider uses. */
export interface ProviderIdentity {
  assumeRole?: { roleArn: string; sessionName?: string; externalId?: string };
}

export type ResolvedBackend =
  | { type: 'local' }
  | { type: 'tfc'; organization: string; project?: string; workspace: string; hostname?: string }
  | { type: 's3'; bucket: string; region: string; key: string; roleArn?: string };

/** One application inference profile: a tenant's use of a model in one stack. */
export interface ProfileConfig {
  tenant: string;
  model: string;
  /** Terraform name: from the tenant ID and model alias only, so reordering lists changes no address. */
  logicalId: string;
  name: string;
  description: string;
  /** model_source.copy_from: a foundation model or a system-defined cross-region profile ARN. */
  copyFrom: string;
  /** What the tenant must also be allowed to invoke behind the profile. */
  underlyingArns: string[];
  tags: Record<string, string>;
}

export interface TenantPolicyConfig {
  tenant: string;
  name: string;
  /** The Bedrock guardrail every invocation of the tenant must use (its name in `bedrockGuardrails`). */
  guardrail?: string;
}

export interface CostAllocationKeys {
  tenant: string;
  costCenter: string;
  owner: string;
}

export const DEFAULT_TAG_KEYS: CostAllocationKeys = { tenant: 'tenant', costCenter: 'cost-center', owner: 'owner' };

/**
 * The logging chain of every logging stack, by the names the stacks give its
 * resources (config/resolvers/management.ts): what the SCPs and the RCP of the
 * management stack are scoped to, so nothing else in a member account is touched.
 */
export interface LoggingChain {
  partition: string;
  /** logging.bucketNamePrefix values; bucket names are "<prefix>-<account>-<region>". */
  bucketNamePrefixes: string[];
  /** Key prefixes Bedrock delivers to (s3KeyPrefix, largeDataKeyPrefix). */
  deliveryKeyPrefixes: string[];
  logGroupNames: string[];
  /** Names of the roles Bedrock assumes to write to CloudWatch Logs (one per region). */
  loggingRoleNames: string[];
  /** Aliases of the keys of the chain: the log key, and the key of the alarm topic. KMS key IDs are random. */
  keyAliases: string[];
  /** Name prefix of the log-delivery alarms. */
  alarmNamePrefix: string;
  /** The alarm topic's name. */
  alarmTopicName: string;
}

/** A logging stack: one per account and region of the matrix. */
export interface StackConfig {
  /** cdktf stack name, also the Terraform working directory: derived from IDs only, so renames never orphan state. */
  stackName: string;
  /** Where this stack comes from in the matrix, for error messages. */
  matrixPath: string;
  accountId: string;
  accountName: string;
  environment: string;
  region: string;
  partition: ReturnType<typeof rules.partitionOf>;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  logging: LoggingSettings;
  /** Usage analytics and monitoring of this stack (config/analytics.ts). */
  analytics: AnalyticsSettings;
  /** Tags applied to every resource through the provider's default_tags. */
  tags: Record<string, string>;
  /** `athenaResultsBucket`: the usage workgroup's query results (created only with analytics.athena). */
  names: { bucket: string; logGroup: string; role: string; keyAlias: string; athenaResultsBucket: string };
  /** Inference profiles of the tenants placed here, sorted by logical ID. */
  profiles: ProfileConfig[];
  /** Tenants that get an invoke-only-your-profiles IAM policy in this stack. */
  tenantPolicies: TenantPolicyConfig[];
  /** Bedrock guardrails used by the tenant policies of this stack, sorted by name. */
  bedrockGuardrails: GuardrailConfig[];
  /** Existing resources the stack imports instead of creating (the region entry's adopt). */
  adopt: { loggingConfiguration: boolean; logGroup: boolean };
  /**
   * Set where bedrock-mantle is allowed in this account: everywhere the organizationPolicies.loggedInferenceOnly SCP does not
   * provably cover (no SCP, an OU target, the management account) and the allowMantle accounts. That inference is
   * not in the invocation logs, so the stack watches it (stacks/safety/unlogged-traffic.ts, config/inference-paths.ts).
   */
  unloggedMantle?: { inferencesPerHour: number; models?: string[] };
  /** Model evaluation resources (matrix evaluation, config/evaluation.ts); absent when off. */
  evaluation?: EvaluationConfig;
  /** The OAM link to the monitoring account's sink of this region (matrix observability); absent without one. */
  observabilityLink?: ObservabilityLink;
  /** Interface VPC endpoints for Bedrock (the account's or region entry's network, config/network.ts). */
  network?: NetworkConfig;
}

/**
 * A logging stack's link to its region's sink. The sink's ARN carries an ID that exists only after
 * the monitoring stack's apply, so the link reads it from that stack's state (its output sink_arn)
 * through a terraform_remote_state data source on the monitoring stack's backend.
 */
export interface ObservabilityLink {
  monitoringStackName: string;
  monitoringAccountId: string;
  /** The monitoring stack's backend: where its state (and the output) lives. */
  backend: ResolvedBackend;
}

/** A monitoring stack: the OAM sink, the organization dashboard and alarms of one region of the monitoring account. */
export interface MonitoringConfig {
  stackName: string;
  matrixPath: string;
  accountId: string;
  region: string;
  partition: ReturnType<typeof rules.partitionOf>;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  tags: Record<string, string>;
  sinkName: string;
  dashboardName: string;
  /** When set, the sink policy also requires aws:PrincipalOrgID. */
  organizationId?: string;
  /** The accounts that link to this sink, with what the alarms watch in each; sorted by account ID. */
  sources: {
    accountId: string;
    accountName: string;
    stackName: string;
    /** The model IDs the account's AWS/Bedrock metrics are reported under (its profiles' sources). */
    modelIds: string[];
    destinations: Destination[];
  }[];
  alarmTopicArn?: string;
  throttlesPer5Min: number;
}

/** The evaluation bucket and role of a logging stack. */
export interface EvaluationConfig {
  bucket: string;
  role: string;
  /** Days after which datasets and results expire. */
  expirationDays: number;
  /** The judge models (aliases of models) and what invoking each needs: its ARN, and the models behind a system profile. */
  judgeModels: { alias: string; arns: string[] }[];
}

/** The management-account stack: cost allocation, budgets, the CUR export, organization policies. */
export interface ManagementConfig {
  stackName: string;
  matrixPath: string;
  accountId: string;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  deployRoleName: string;
  organizationPolicies: OrganizationPolicies;
  /** The logging chain of every logging stack, by resource names: what the SCPs and the RCP protect. */
  chain: LoggingChain;
  /** The role(s) that apply the member accounts' bootstrap stacks, when the matrix has deployment.bootstrap: they write the deploy role. */
  bootstrapAdminRoleName?: string | string[];
  /** Cost Explorer and Budgets are global services served from us-east-1. */
  region: 'us-east-1';
  partition: 'aws';
  tagKeys: CostAllocationKeys;
  /** costAllocationTags.activate (default false): whether this stack manages the tags' activation (docs/cost-allocation-tags.md). */
  activateCostAllocationTags: boolean;
  budgets: { tenant: string; amountUsd: number; emails: string[] }[];
  anomalyMonitor?: { thresholdUsd: number; emails: string[]; tenants: string[] };
  /** The CUR 2.0 export and its analytics (matrix costExport). */
  costExport?: CostExportSettings;
  /** organizationPolicies.loggedInferenceOnly and organizationPolicies.apiKeys, resolved (config/inference-paths.ts). */
  inferencePaths?: InferencePaths;
  /** organizationPolicies.approvedModels, resolved (config/approved-models.ts). */
  approvedModels?: ApprovedModels[];
  /** organizationPolicies.requirePrivateNetwork, resolved: its targets and the VPCs of the matrix's `network` entries. */
  privateNetwork?: { targetIds: string[]; vpcIds: string[] };
  tags: Record<string, string>;
}

/** The bootstrap stack of one account: the deploy role and who may assume it. */
/** deployment.backend.github: the account's GitHub OIDC role, created by its bootstrap stack (policies/github-role-policies.ts). */
export interface GithubRoleConfig {
  repository: string;
  roleName: string;
  oidcProvider: 'create' | 'import' | 'existing';
  /** The `sub` claims it trusts: those of the generated workflows' jobs for this account (resolvers/bootstraps.ts). */
  subjects: string[];
  /** Its state access: the backend's role, or the account's state key patterns (+ .tflock) and the monitoring state it reads. */
  state: { roleArn: string } | { bucket: string; keys: string[]; readKeys: string[] };
}

export interface BootstrapConfig {
  stackName: string;
  accountId: string;
  /** The account's name, or "management" for a management account that hosts no workloads. */
  accountName: string;
  partition: string;
  region: string;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  matrixPath: string;
  tags: Record<string, string>;
  deployRoleName: string;
  oidc?: { hostname: string; organization: string; project?: string; workspaces: string[] };
  /** deployment.bootstrap.oidcProvider: create the OIDC provider, import it, or reference the existing one. */
  oidcProvider: 'create' | 'import' | 'existing';
  trustedPrincipalArns: string[];
  github?: GithubRoleConfig;
  /** What the deploy role may manage in this account (policies/deploy-role-policies.ts). */
  scope: {
    regions: string[];
    bucketNames: string[];
    /** The Athena query-result buckets of the stacks with analytics.athena (stacks/analytics/athena.ts). */
    athenaResultsBucketNames?: string[];
    logGroupNames: string[];
    /** Some stack of the account has evaluation resources (matrix evaluation). */
    evaluation?: boolean;
    /** Logging stacks (and tenant profiles) deploy into this account. */
    workloads: boolean;
    /** The management stack deploys into this account. */
    management: boolean;
    /** Monitoring stacks (OAM sink, organization dashboard and alarms) deploy into this account. */
    monitoring?: boolean;
    /** The monitoring account whose sinks the logging stacks of this account link to (aws_oam_link); absent without links. */
    observabilityLinks?: string;
    /** The VPCs, subnets and given security groups of the account's Bedrock endpoints (network). */
    network?: { vpcIds: string[]; subnetIds: string[]; securityGroupIds: string[] };
    /** Some stack of this account shares its usage data with QuickSight. */
    quicksight?: boolean;
    /** The management stack's CUR 2.0 export bucket (matrix costExport). */
    costExportBucket?: string;
  };
}

/** Every stack of the matrix, and the matrix-wide settings that tools need. */
export interface AppConfig {
  stacks: StackConfig[];
  management?: ManagementConfig;
  /** The monitoring stacks (matrix observability): one per region of the monitoring account. */
  monitoring: MonitoringConfig[];
  /** Present when deployment.bootstrap is set: one per account, the management account included. */
  bootstraps: BootstrapConfig[];
  /** deployment, resolved: the deploy role's name, where state lives, whether providers assume the role. */
  deployment: {
    roleName: string;
    backend: ResolvedBackend['type'];
    assumeRole: boolean;
    reviewWarnOnly: string[];
    /** deployment.backend.githubRoleName (S3 backend): the role the workflows assume through GitHub OIDC in each account. */
    githubRoleName?: string;
    /** deployment.backend as the matrix gives it (templates unrendered): where the state of every stack, in or out of the matrix, lives. */
    backendSpec?: Backend;
  };
  /** The rollout order: every wave name (deployment.waves or the default), and the matrix's environments in that order. */
  rollout: { waves: string[]; environments: string[] };
  /** The models by alias, and the rate card: what the usage report prices with. */
  models: { alias: string; source: string }[];
  rateCard: RateCardEntry[];
  tagKeys: CostAllocationKeys;
}
