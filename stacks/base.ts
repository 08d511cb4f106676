import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ProviderIdentity, ResolvedBackend } from '../config/model';
import { IacRuleValidation } from '../iac-rules';
import { SynthStack } from '../synth/stack';

export interface StackTarget {
  region: string;
  accountId: string;
  tags: Record<string, string>;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
}

/**
 * What every stack shares: an AWS provider that assumes the deploy role, may only
 * touch its own account (allowed_account_ids) and tags everything; and its backend.
 */
export function configureStack(stack: TerraformStack, t: StackTarget): AwsProvider {
  const b = t.backend;
  if (b.type === 'tfc')
    new CloudBackend(stack, {
      organization: b.organization,
      hostname: b.hostname,
      workspaces: new NamedCloudWorkspace(b.workspace, b.project),
    });
  if (b.type === 's3') {
    new S3Backend(stack, {
      bucket: b.bucket,
      key: b.key,
      region: b.region,
      encrypt: true,
      ...(b.roleArn ? { assumeRole: { roleArn: b.roleArn } } : {}),
    });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21 has no property for it yet.
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  }
  return new AwsProvider(stack, 'aws', {
    region: t.region,
    allowedAccountIds: [t.accountId],
    assumeRole: t.identity.assumeRole ? [t.identity.assumeRole] : undefined,
    defaultTags: [{ tags: t.tags }],
  });
}

/**
 * Base of every stack of this app. Each carries the IaC rule validation
 * (iac-rules/), which fails the synth on a violation before anything is written,
 * and shares each element's resolved JSON with the synthesis (synth/stack.ts).
 */
export class GovernanceStack extends SynthStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation(new IacRuleValidation(this, (e) => this.resolvedElement(e)));
  }
}
