import type { IdentityStatement, PolicyDocument, Statement } from './document';

/** Audience Terraform Cloud puts in its workload identity tokens for AWS. */
export const TFC_AUDIENCE = 'aws.workload.identity';

export interface DeployTrust {
  partition: string;
  accountId: string;
  oidc?: { hostname: string; organization: string; project?: string; workspaces: string[] };
  trustedPrincipalArns: string[];
}

/**
 * Trust policy of the deploy role: Terraform Cloud runs of exactly these
 * workspaces (organization, project and workspace claims of the OIDC token),
 * and any principals the matrix names. No static keys.
 */
export function deployRoleTrustPolicy(t: DeployTrust): PolicyDocument {
  const statements: Statement[] = [];
  if (t.oidc) {
    const { hostname, organization, project, workspaces } = t.oidc;
    statements.push({
      Sid: 'TerraformCloudWorkspaces',
      Effect: 'Allow',
      Principal: { Federated: `arn:${t.partition}:iam::${t.accountId}:oidc-provider/${hostname}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${hostname}:aud`]: TFC_AUDIENCE },
        StringLike: {
          [`${hostname}:sub`]: workspaces.map((w) => `organization:${organization}:project:${project ?? '*'}:workspace:${w}:run_phase:*`),
        },
      },
    });
  }
  if (t.trustedPrincipalArns.length)
    statements.push({
      Sid: 'TrustedPrincipals',
      Effect: 'Allow',
      Principal: { AWS: [...t.trustedPrincipalArns].sort() },
      Action: 'sts:AssumeRole',
    });
  return { Version: '2012-10-17', Statement: statements };
}

export interface DeployScope {
  partition: string;
  accountId: string;
  regions: string[];
  bucketNames: string[];
  logGroupNames: string[];
  /** Logging stacks (and tenant profiles) deploy into this account. */
  workloads: boolean;
  /** The management stack deploys into this account. */
  management: boolean;
  /** Some stack of this account shares its usage data with QuickSight. */
  quicksight?: boolean;
}

/** ARNs of one resource in each region of the scope. */
const arnsInRegions = (s: DeployScope) => (service: string, resource: string) => s.regions.map((r) => `arn:${s.partition}:${service}:${r}:${s.accountId}:${resource}`);

/** The invocation log groups of the scope, in each region, with and without their streams. */
const logGroupArns = (s: DeployScope) => s.logGroupNames.flatMap((g) => arnsInRegions(s)('logs', `log-group:${g}`).flatMap((a) => [a, `${a}:*`]));

/** What the usage-analytics parts of the logging stacks (stacks/analytics/) need, by name where the API allows. */
function usageAnalyticsStatements(s: DeployScope): IdentityStatement[] {
  const p = s.partition;
  const acct = s.accountId;
  const inRegions = arnsInRegions(s);
  const statements: IdentityStatement[] = [
    {
      Sid: 'UsageGlueCatalog',
      Effect: 'Allow',
      Action: ['glue:CreateDatabase', 'glue:GetDatabase', 'glue:UpdateDatabase', 'glue:DeleteDatabase', 'glue:CreateTable', 'glue:GetTable', 'glue:GetTables', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:GetTags', 'glue:TagResource', 'glue:UntagResource'],
      Resource: [...inRegions('glue', 'catalog'), ...inRegions('glue', 'database/bedrock_invocation_logs'), ...inRegions('glue', 'table/bedrock_invocation_logs/*')],
    },
    {
      Sid: 'UsageAthenaWorkgroup',
      Effect: 'Allow',
      Action: ['athena:CreateWorkGroup', 'athena:GetWorkGroup', 'athena:UpdateWorkGroup', 'athena:DeleteWorkGroup', 'athena:CreateNamedQuery', 'athena:GetNamedQuery', 'athena:UpdateNamedQuery', 'athena:DeleteNamedQuery', 'athena:BatchGetNamedQuery', 'athena:TagResource', 'athena:UntagResource', 'athena:ListTagsForResource'],
      Resource: inRegions('athena', 'workgroup/bedrock-usage'),
    },
    {
      Sid: 'UsageRateCardObject',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObject'],
      Resource: s.bucketNames.map((b) => `arn:${p}:s3:::${b}/analytics/rate-card/*`),
    },
    {
      Sid: 'UsageRateCardEncryption',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: inRegions('kms', 'key/*'),
      Condition: { StringEquals: { 'kms:ViaService': s.regions.map((r) => `s3.${r}.amazonaws.com`) } },
    },
    {
      Sid: 'UsageLogGroupFiltersAndProtection',
      Effect: 'Allow',
      Action: ['logs:PutMetricFilter', 'logs:DeleteMetricFilter', 'logs:PutDataProtectionPolicy', 'logs:GetDataProtectionPolicy', 'logs:DeleteDataProtectionPolicy'],
      Resource: logGroupArns(s),
    },
    {
      // Listing filters and query definitions, and saved queries, have no resource scope.
      Sid: 'UsageSavedQueries',
      Effect: 'Allow',
      Action: ['logs:DescribeMetricFilters', 'logs:PutQueryDefinition', 'logs:DescribeQueryDefinitions', 'logs:DeleteQueryDefinition'],
      Resource: '*',
    },
    {
      Sid: 'UsageDashboardAndAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
      Resource: [...s.regions.map((r) => `arn:${p}:cloudwatch::${acct}:dashboard/bedrock-usage-${r}`), ...inRegions('cloudwatch', 'alarm:bedrock-*')],
    },
    {
      Sid: 'UsageAlarmTopic',
      Effect: 'Allow',
      Action: ['sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:DeleteTopic', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource'],
      Resource: [...inRegions('sns', 'bedrock-alarms'), ...inRegions('sns', 'bedrock-alarms:*')],
    },
  ];
  if (s.quicksight)
    statements.push({
      Sid: 'UsageQuickSight',
      Effect: 'Allow',
      Action: ['quicksight:CreateDataSource', 'quicksight:DescribeDataSource', 'quicksight:UpdateDataSource', 'quicksight:DeleteDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:UpdateDataSourcePermissions', 'quicksight:PassDataSource', 'quicksight:CreateDataSet', 'quicksight:DescribeDataSet', 'quicksight:UpdateDataSet', 'quicksight:DeleteDataSet', 'quicksight:DescribeDataSetPermissions', 'quicksight:UpdateDataSetPermissions', 'quicksight:TagResource', 'quicksight:UntagResource', 'quicksight:ListTagsForResource'],
      Resource: [...inRegions('quicksight', 'datasource/bedrock-usage-*'), ...inRegions('quicksight', 'dataset/bedrock-usage-*')],
    });
  return statements;
}

/**
 * What the deploy role may do: exactly what the stacks of this account manage, on
 * their own resource names where the API allows it. It cannot delete buckets,
 * log groups or keys (those carry prevent_destroy too), and passes the logging
 * role only to Bedrock.
 */
export function deployRolePolicy(s: DeployScope): PolicyDocument<IdentityStatement> {
  const p = s.partition;
  const acct = s.accountId;
  const inRegions = arnsInRegions(s);
  const statements: IdentityStatement[] = [];
  const readAnywhere = ['sts:GetCallerIdentity', 'iam:ListRoles', 'iam:ListPolicies', 'kms:ListAliases', 'kms:ListKeys', 'kms:CreateKey', 'logs:DescribeLogGroups'];
  if (s.workloads) {
    statements.push(
      {
        Sid: 'InvocationLogBuckets',
        Effect: 'Allow',
        Action: ['s3:CreateBucket', 's3:ListBucket', 's3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetAccelerateConfiguration', 's3:GetReplicationConfiguration', 's3:PutBucket*', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteBucketPolicy'],
        Resource: s.bucketNames.map((b) => `arn:${p}:s3:::${b}`),
      },
      {
        Sid: 'InvocationLogKeys',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:EnableKeyRotation', 'kms:PutKeyPolicy', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:CreateGrant'],
        Resource: [...inRegions('kms', 'key/*'), ...inRegions('kms', 'alias/bedrock-*')],
      },
      {
        Sid: 'InvocationLogGroups',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', 'logs:TagResource', 'logs:UntagResource', 'logs:TagLogGroup', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
        Resource: logGroupArns(s),
      },
      {
        Sid: 'LoggingRoleAndTenantPolicies',
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:ListPolicyVersions', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
        Resource: [`arn:${p}:iam::${acct}:role/bedrock-invocation-logging-*`, `arn:${p}:iam::${acct}:policy/bedrock-invoke-*`],
      },
      {
        Sid: 'PassLoggingRoleToBedrockOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: `arn:${p}:iam::${acct}:role/bedrock-invocation-logging-*`,
        Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      },
      {
        // Inference profile ARNs carry a generated ID, and the logging configuration has no ARN.
        Sid: 'BedrockLoggingAndInferenceProfiles',
        Effect: 'Allow',
        Action: ['bedrock:GetModelInvocationLoggingConfiguration', 'bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration', 'bedrock:CreateInferenceProfile', 'bedrock:GetInferenceProfile', 'bedrock:ListInferenceProfiles', 'bedrock:DeleteInferenceProfile', 'bedrock:TagResource', 'bedrock:UntagResource', 'bedrock:ListTagsForResource'],
        Resource: '*',
      },
      ...usageAnalyticsStatements(s),
    );
  }
  if (s.management) {
    statements.push(
      {
        Sid: 'CostAllocationTagsAndAnomalyDetection',
        Effect: 'Allow',
        Action: ['ce:UpdateCostAllocationTagsStatus', 'ce:ListCostAllocationTags', 'ce:CreateAnomalyMonitor', 'ce:GetAnomalyMonitors', 'ce:UpdateAnomalyMonitor', 'ce:DeleteAnomalyMonitor', 'ce:CreateAnomalySubscription', 'ce:GetAnomalySubscriptions', 'ce:UpdateAnomalySubscription', 'ce:DeleteAnomalySubscription', 'ce:TagResource', 'ce:UntagResource', 'ce:ListTagsForResource'],
        Resource: '*',
      },
      {
        Sid: 'TenantBudgets',
        Effect: 'Allow',
        Action: ['budgets:ViewBudget', 'budgets:ModifyBudget', 'budgets:ListTagsForResource', 'budgets:TagResource', 'budgets:UntagResource'],
        Resource: `arn:${p}:budgets::${acct}:budget/bedrock-tenant-*`,
      },
      {
        Sid: 'BudgetAlertTopic',
        Effect: 'Allow',
        Action: ['sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource', 'sns:DeleteTopic'],
        Resource: `arn:${p}:sns:us-east-1:${acct}:bedrock-tenant-budget-alerts`,
      },
      {
        Sid: 'BudgetAlertKey',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:EnableKeyRotation', 'kms:PutKeyPolicy', 'kms:TagResource', 'kms:UntagResource', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
        Resource: [`arn:${p}:kms:us-east-1:${acct}:key/*`, `arn:${p}:kms:us-east-1:${acct}:alias/bedrock-*`],
      },
      {
        Sid: 'OrganizationGuardrails',
        Effect: 'Allow',
        Action: ['organizations:CreatePolicy', 'organizations:UpdatePolicy', 'organizations:DescribePolicy', 'organizations:DeletePolicy', 'organizations:AttachPolicy', 'organizations:DetachPolicy', 'organizations:ListTargetsForPolicy', 'organizations:ListPoliciesForTarget', 'organizations:DescribeOrganization', 'organizations:ListTagsForResource', 'organizations:TagResource', 'organizations:UntagResource'],
        Resource: '*',
      },
    );
  }
  statements.push({ Sid: 'ReadAndCreateWithoutResourceScope', Effect: 'Allow', Action: readAnywhere, Resource: '*' });
  return { Version: '2012-10-17', Statement: statements };
}
