/**
 * How stacks reach their accounts and keep their state: the deployment schema, the
 * deploy role each provider assumes, the backend of each stack (local, Terraform
 * Cloud or S3), and the rollout waves. The bootstrap stacks that create the deploy
 * role are resolved in resolvers/bootstraps.ts.
 */
import { z } from 'zod';
import { distance } from './errors';
import { region } from './fields';
import type { ProviderIdentity, ResolvedBackend } from './model';
import { DEFAULT_DEPLOY_ROLE } from './naming';
import * as rules from './rules';
import type { Matrix } from './schema';

export const DEFAULT_ADMIN_ROLE = 'OrganizationAccountAccessRole';
export const DEFAULT_WORKSPACE_TEMPLATE = '{stack}';
export const DEFAULT_STATE_KEY_TEMPLATE = 'bedrock-governance/{stack}/terraform.tfstate';
export const DEFAULT_WAVE_ORDER = ['dev', 'staging', 'prod'];
export const TFC_HOSTNAME = 'app.terraform.io';

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
      region,
      /** State object key per stack. Default "bedrock-governance/{stack}/terraform.tfstate". */
      keyTemplate: template('bedrock-governance/{stack}/terraform.tfstate').optional(),
      /**
       * The pipeline's identity in each account: the IAM role named so in every account of the matrix
       * (arn:<partition>:iam::<account>:role/<githubRoleName>), which the generated workflows assume through
       * GitHub OIDC for that account's stacks, and which the deploy role of a bootstrap stack trusts.
       * Required by the deploy workflow with an S3 backend (waves --json); docs/rollout.md.
       */
      githubRoleName: z
        .string()
        .regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-')
        .optional(),
      /**
       * Let the bootstrap stacks create that GitHub role (and GitHub's OIDC provider) in every account, so the
       * first bootstrap of an account is its only hand step. repository: the GitHub repository whose workflows
       * may assume it ("owner/name"). oidcProvider: the account's IAM OIDC provider for
       * token.actions.githubusercontent.com (an account holds one per URL): "create" (default), "import" (it
       * exists: adopt it with an import block) or "existing" (it exists and stays unmanaged). Needs
       * githubRoleName and deployment.bootstrap. docs/rollout.md.
       */
      github: z
        .object({
          repository: z.string().regex(rules.GITHUB_REPOSITORY, 'a GitHub repository as owner/name, e.g. "acme/landing-zone"'),
          oidcProvider: z.enum(['create', 'import', 'existing']).optional(),
        })
        .strict()
        .optional(),
      /** Role to assume for the state bucket, when it lives in another account. */
      roleArn: z
        .string()
        .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/.+$/, 'an IAM role ARN')
        .optional(),
    })
    .strict(),
]);

export const Deployment = z
  .object({
    /** Assume a deploy role in each target account. Default true. */
    assumeRole: z.boolean().optional(),
    /** Name of the deploy role in every account. Default "bedrock-governance-deploy". */
    roleName: z.string().regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-').optional(),
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/, 'a session name of 2-64 characters of letters, digits and +=,.@_-')
      .optional(),
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID of 2-1224 characters of letters, digits and +=,.@:/_-')
      .optional(),
    backend: Backend.optional(),
    /** Environments in rollout order; one wave per entry. Default: dev, staging, prod, then the others. */
    waves: z.array(z.string()).min(1).optional(),
    /**
     * The plan review (npm run review, docs/review.md). warnOnly.environments: environments whose
     * dangerous changes are shown as warnings and do not fail the check (data loss in a sandbox).
     * A stack's environment is its account's (bootstrap and management stacks have their own names,
     * "bootstrap" and "management"). Default: none.
     */
    review: z
      .object({
        warnOnly: z
          .object({ environments: z.array(z.string().min(1, 'an environment name')).min(1, 'at least one environment') })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
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
        managementAccountRoleName: z
          .string()
          .regex(rules.IAM_ROLE_NAME, 'an IAM role name of 1-64 characters of letters, digits and +=,.@_-')
          .optional(),
        /** Other principals (e.g. a CI role) allowed to assume the deploy role. */
        trustedPrincipalArns: z
          .array(z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/.+$/, 'an IAM role or user ARN'))
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Backend = z.infer<typeof Backend>;
export type Deployment = z.infer<typeof Deployment>;

/** The values a workspace-name or state-key template can use. */
export interface StackNaming {
  stack: string;
  accountId: string;
  accountName: string;
  environment: string;
  region: string;
}

export function render(template: string, naming: StackNaming): string {
  return template.replace(/\{(\w+)\}/g, (_, field: keyof StackNaming) => naming[field]);
}

export function deployRoleName(d: Deployment | undefined): string {
  return d?.roleName ?? DEFAULT_DEPLOY_ROLE;
}

export function providerIdentity(
  d: Deployment | undefined,
  partition: string,
  accountId: string,
  roleName = deployRoleName(d),
): ProviderIdentity {
  if (d?.assumeRole === false) return {};
  return {
    assumeRole: {
      roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      sessionName: d?.sessionName,
      externalId: d?.externalId,
    },
  };
}

export function resolveBackend(backend: Backend | undefined, naming: StackNaming): ResolvedBackend {
  switch (backend?.type) {
    case undefined:
    case 'local':
      return { type: 'local' };
    case 'tfc':
      return {
        type: 'tfc',
        organization: backend.organization,
        project: backend.project,
        hostname: backend.hostname,
        workspace: render(backend.workspaceTemplate ?? DEFAULT_WORKSPACE_TEMPLATE, naming),
      };
    case 's3':
      return {
        type: 's3',
        bucket: backend.bucket,
        region: backend.region,
        roleArn: backend.roleArn,
        key: render(backend.keyTemplate ?? DEFAULT_STATE_KEY_TEMPLATE, naming),
      };
  }
}

/** The environments of the matrix in rollout order (checkWaves has made sure each is in it). */
export function environmentsInOrder(matrix: Matrix): string[] {
  const present = new Set(matrix.accounts.map((a) => a.environment ?? DEFAULT_ENVIRONMENT));
  return waveOrder(matrix).filter((e) => present.has(e));
}

/** The wave of the accounts that name no environment (their environment is "default"). */
export const DEFAULT_ENVIRONMENT = 'default';

/** The wave order of the matrix: deployment.waves, or dev, staging, prod and then the accounts without an environment. */
export function waveOrder(matrix: Matrix): string[] {
  return matrix.deployment?.waves ?? [...DEFAULT_WAVE_ORDER, DEFAULT_ENVIRONMENT];
}

/** The wave nearest to `env` by edit distance (ties: the earlier wave). */
export function nearestWave(env: string, waves: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const w of waves) {
    const d = distance(env.toLowerCase(), w.toLowerCase());
    if (d < bestD) [best, bestD] = [w, d];
  }
  return best;
}
