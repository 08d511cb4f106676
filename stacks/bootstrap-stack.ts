import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { BootstrapConfig } from '../config/model';
import { TFC_AUDIENCE, deployRolePolicy, deployRoleTrustPolicy } from '../policies/deploy-role-policies';
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

    const role = new IamRole(this, 'deploy-role', {
      name: config.deployRoleName,
      description: 'Deploys the Bedrock governance stacks of this account',
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify(
        deployRoleTrustPolicy({ partition, accountId, oidc, trustedPrincipalArns: config.trustedPrincipalArns }),
      ),
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
}
