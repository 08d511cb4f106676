/** The IAM policy document shape the policy functions return, and the ARN helpers they share. */

export interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
  Action: string | string[];
  /** Absent only in trust policies. */
  Resource?: string | string[];
  /** Instead of Resource: every resource but these (the approved-model SCP). */
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Identity-based policies (role policies) have no Principal. */
export type IdentityStatement = Omit<Statement, 'Principal'>;

export interface PolicyDocument<S = Statement> {
  Version: '2012-10-17';
  Statement: S[];
}

/** The account and region a stack deploys to, with the partition of that region. */
export interface Target {
  partition: string;
  region: string;
  accountId: string;
}

/** A policy field that may be one value or a list (Action, Resource, a condition value), as a list. */
export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const BEDROCK_SERVICE = 'bedrock.amazonaws.com';

/** A bucket policy's deny of every request without TLS, to every principal (Security Hub S3.5). */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * Confused-deputy guard for the Bedrock service principal: only Bedrock acting
 * for this account, in this region, may use the grant.
 */
export function bedrockSourceConditions(t: Target): Statement['Condition'] {
  return {
    StringEquals: { 'aws:SourceAccount': t.accountId },
    ArnLike: { 'aws:SourceArn': `arn:${t.partition}:bedrock:${t.region}:${t.accountId}:*` },
  };
}

export function logGroupArn(t: Target, logGroupName: string): string {
  return `arn:${t.partition}:logs:${t.region}:${t.accountId}:log-group:${logGroupName}`;
}

/** The only log stream Bedrock writes invocation logs to. */
export const INVOCATION_LOG_STREAM = 'aws/bedrock/modelinvocations';
