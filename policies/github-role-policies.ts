/**
 * The GitHub role of an account (deployment.backend.github, S3 backend): the identity the generated workflows'
 * jobs take through GitHub OIDC (aws-actions/configure-aws-credentials, AssumeRoleWithWebIdentity) before they run
 * Terraform for that account's stacks. What those jobs do with it, and so all it may do:
 *  - each stack's provider assumes the account's deploy role (stacks/base.ts, assume_role without session tags or
 *    transitive tag keys, so no sts:TagSession);
 *  - the S3 backend reads and writes the stack's state object and its lock object (use_lockfile: <key>.tflock,
 *    created with a conditional PutObject and removed with DeleteObject) and lists the bucket (the Terraform S3
 *    backend documentation: s3:ListBucket on the bucket, s3:GetObject and s3:PutObject on the key, and
 *    s3:GetObject, s3:PutObject and s3:DeleteObject on the .tflock key), unless the backend assumes its own role
 *    (deployment.backend.roleArn): then only sts:AssumeRole on that role;
 *  - a logging stack with an observability link reads its monitoring stack's state (terraform_remote_state,
 *    stacks/observability/link.ts), with the same credentials.
 * Nothing else: every AWS change is made by the deploy role.
 */
import type { GithubRoleConfig } from '../config/model';
import type { IdentityStatement, PolicyDocument } from './document';

/** GitHub Actions' OIDC issuer (its tokens' iss claim), without the scheme: the IAM OIDC provider's URL and condition-key prefix. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials requests in GitHub's token (its default). */
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';

export const githubOidcProviderArn = (partition: string, accountId: string) =>
  `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

/** Trust policy of the GitHub role: GitHub's tokens for this audience and exactly these subjects (config/resolvers/bootstraps.ts). */
export function githubRoleTrustPolicy(t: { partition: string; accountId: string; subjects: string[] }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubActionsWorkflows',
        Effect: 'Allow',
        Principal: { Federated: githubOidcProviderArn(t.partition, t.accountId) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: [...t.subjects] },
        },
      },
    ],
  };
}

/** What the GitHub role may do: assume the deploy role, and reach the state (module comment). */
export function githubRolePolicy(p: {
  partition: string;
  accountId: string;
  deployRoleName: string;
  state: GithubRoleConfig['state'];
}): PolicyDocument<IdentityStatement> {
  const statements: IdentityStatement[] = [
    {
      Sid: 'AssumeDeployRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: `arn:${p.partition}:iam::${p.accountId}:role/${p.deployRoleName}`,
    },
  ];
  const s = p.state;
  if ('roleArn' in s) statements.push({ Sid: 'AssumeStateRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: s.roleArn });
  else {
    const bucket = `arn:${p.partition}:s3:::${s.bucket}`;
    statements.push(
      { Sid: 'ListStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
      {
        Sid: 'ReadWriteState',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: s.keys.flatMap((k) => [`${bucket}/${k}`, `${bucket}/${k}.tflock`]),
      },
      { Sid: 'ReleaseStateLock', Effect: 'Allow', Action: 's3:DeleteObject', Resource: s.keys.map((k) => `${bucket}/${k}.tflock`) },
    );
    if (s.readKeys.length)
      statements.push({
        Sid: 'ReadMonitoringState',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: s.readKeys.map((k) => `${bucket}/${k}`),
      });
  }
  return { Version: '2012-10-17', Statement: statements };
}
