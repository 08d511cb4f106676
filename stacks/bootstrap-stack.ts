import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { BootstrapConfig } from '../config/model';
import { TFC_AUDIENCE, deployRolePolicy, deployRoleTrustPolicy } from '../policies/deploy-role-policies';
import {
  GITHUB_AUDIENCE,
  GITHUB_OIDC_HOST,
  githubOidcProviderArn,
  githubRolePolicy,
  githubRoleTrustPolicy,
} from '../policies/github-role-policies';
import { GovernanceStack, configureStack } from './base';
import { deployActions } from '../lib/resource-types';

/**
 * Run once per account, with an administrator role: creates the deploy role the
 * other stacks assume, trusted by Terraform Cloud through OIDC dynamic
 * credentials (no static keys) and allowed only what those stacks manage.
 */
export const oidcProviderArn = (partition: string, accountId: string, hostname: string) =>
  `arn:${partition}:iam::${accountId}:oidc-provider/${hostname}`;

export class BootstrapStack extends GovernanceStack {
  constructor(
    scope: Construct,
    readonly config: BootstrapConfig,
  ) {
    super(scope, config.stackName);
    const { partition, accountId, oidc } = config;
    configureStack(this, config);

    // The deploy role trusts the provider by ARN (arn:<partition>:iam::<account>:oidc-provider/<hostname>),
    // so with oidcProvider "existing" the stack creates none and references the one in the account.
    // "import" adopts it with an import block (import ID = its ARN: the provider's import docs for
    // aws_iam_openid_connect_provider, "import IAM OpenID Connect Providers using the arn") instead of a create that fails with
    // EntityAlreadyExists; Terraform then updates it in place (client IDs, tags) to this config.
    if (oidc && config.oidcProvider !== 'existing') {
      const provider = new IamOpenidConnectProvider(this, 'tfc-oidc', {
        url: `https://${oidc.hostname}`,
        clientIdList: [TFC_AUDIENCE],
      });
      provider.overrideLogicalId('terraform_cloud');
      if (config.oidcProvider === 'import') provider.importFrom(oidcProviderArn(partition, accountId, oidc.hostname));
    }

    // IAM refuses a trust policy naming a role that does not exist (MalformedPolicyDocument: invalid principal), so
    // the deploy role, which trusts the GitHub role by ARN, waits for it.
    const github = config.github && this.githubRole(config.github);
    const role = new IamRole(this, 'deploy-role', {
      name: config.deployRoleName,
      description: 'Deploys the Bedrock governance stacks of this account',
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify(
        deployRoleTrustPolicy({ partition, accountId, oidc, trustedPrincipalArns: config.trustedPrincipalArns }),
      ),
      dependsOn: github ? [github] : undefined,
    });
    role.overrideLogicalId('deploy');
    new IamRolePolicy(this, 'deploy-policy', {
      name: 'bedrock-governance-stacks',
      role: role.name,
      // Its actions come from the resource-type contract (lib/resource-types.ts).
      policy: JSON.stringify(deployRolePolicy({ partition, accountId, ...config.scope }, deployActions)),
    }).overrideLogicalId('deploy');

    new TerraformOutput(this, 'deploy_role_arn', {
      value: role.arn,
      description: 'Set as TFC_AWS_RUN_ROLE_ARN in the workspaces of this account',
    });
  }

  /**
   * S3 backend with deployment.backend.github: the role the generated workflows assume in this account through GitHub
   * OIDC (deployment.backend.githubRoleName, which the deploy role above trusts), and GitHub's OIDC provider, so the
   * first bootstrap of the account is its only hand step. The provider, like Terraform Cloud's above: "create", "import"
   * (adopted with an import block, ID = its ARN) or "existing" (referenced by its ARN, unmanaged). No thumbprint_list:
   * AWS provider 5.x declares it Optional+Computed in internal/service/iam/openid_connect_provider.go (create sends
   * ThumbprintList only when set; read stores what IAM returns) and IAM validates GitHub's tokens through its own
   * trusted root CAs, not thumbprints. The trust policy names the provider by ARN, so depends_on orders the two.
   */
  private githubRole(github: NonNullable<BootstrapConfig['github']>): IamRole {
    const { partition, accountId } = this.config;
    let provider: IamOpenidConnectProvider | undefined;
    if (github.oidcProvider !== 'existing') {
      provider = new IamOpenidConnectProvider(this, 'github-oidc', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: [GITHUB_AUDIENCE] });
      provider.overrideLogicalId('github_actions');
      if (github.oidcProvider === 'import') provider.importFrom(githubOidcProviderArn(partition, accountId));
    }
    const role = new IamRole(this, 'github-role', {
      name: github.roleName,
      description: `Assumed by the GitHub Actions workflows of ${github.repository} (GitHub OIDC) to deploy this account's stacks`,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify(githubRoleTrustPolicy({ partition, accountId, subjects: github.subjects })),
      dependsOn: provider ? [provider] : undefined,
    });
    role.overrideLogicalId('github');
    new IamRolePolicy(this, 'github-policy', {
      name: 'bedrock-governance-pipeline',
      role: role.name,
      policy: JSON.stringify(githubRolePolicy({ partition, accountId, deployRoleName: this.config.deployRoleName, state: github.state })),
    }).overrideLogicalId('github');
    new TerraformOutput(this, 'github_role_arn', {
      value: role.arn,
      description: 'The role the GitHub workflows assume in this account (deployment.backend.githubRoleName)',
    });
    return role;
  }
}
