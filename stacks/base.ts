import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
// cdktf's own merge, so that toTerraform below merges exactly as TerraformStack.toTerraform does.
import { deepMerge } from 'cdktf/lib/util';
import { Construct, IConstruct } from 'constructs';
import type { ProviderIdentity, ResolvedBackend } from '../config/deployment';
import { GuardrailValidation } from '../guardrails';
import { cdktfResolve, resolveTerraform } from './resolve';

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
    new CloudBackend(stack, { organization: b.organization, hostname: b.hostname, workspaces: new NamedCloudWorkspace(b.workspace, b.project) });
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

/** The Terraform elements of a stack, in construct order, as cdktf's own (unexported) terraformElements() lists them. */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/** What TerraformStack keeps private and its toTerraform reads. */
interface StackInternals {
  rawOverrides: Record<string, unknown>;
  cdktfVersion: string;
}

/**
 * Base of every stack of this app. Each carries the guardrail validation
 * (guardrails/), which fails the synth on a violation before anything is written.
 *
 * Synthesis resolves each resource once where cdktf's TerraformStack would
 * resolve it up to four times; at landing-zone scale that is most of synth time.
 * A test checks that the output is byte-identical with cdktf's own prepareStack
 * and toTerraform.
 * - The stacks never reference one another, so the preparing resolve pass cdktf
 *   runs before synthesis (it exists to discover cross-stack references) is skipped.
 * - Each element's Terraform JSON is resolved once per synth, with a fast path for
 *   plain JSON (resolve.ts): the guardrail validation (which runs just before
 *   toTerraform) and toTerraform share it.
 * - toTerraform merges the resolved fragments as cdktf does, without resolving the
 *   merged document a second time (resolving plain JSON returns it unchanged).
 */
export class GovernanceStack extends TerraformStack {
  private readonly resolved = new Map<TerraformElement, any>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation(new GuardrailValidation(this, (e) => this.resolvedElement(e)));
  }

  prepareStack(): void {
    this.ensureBackendExists();
  }

  /** An element's Terraform JSON, resolved as cdktf resolves it, at most once until the next toTerraform. */
  resolvedElement(element: TerraformElement): any {
    let json = this.resolved.get(element);
    if (json === undefined) {
      json = resolveTerraform(this, element.toTerraform());
      this.resolved.set(element, json);
    }
    return json;
  }

  /** cdktf's TerraformStack.toTerraform (0.21), with each element resolved once and no second resolve of the result. */
  toTerraform(): any {
    const { rawOverrides, cdktfVersion } = this as unknown as StackInternals;
    try {
      const elements = terraformElements(this);
      const metadata = {
        version: cdktfVersion,
        stackName: this.node.id,
        backend: 'local', // overwritten by the backend element, as in cdktf
        cloud: undefined,
        ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
      };
      for (const e of elements) deepMerge(metadata, cdktfResolve(this, e.toMetadata()));
      const outputs = {};
      for (const e of elements) {
        if (!TerraformOutput.isTerraformOutput(e)) continue;
        deepMerge(outputs, e.node.path.split('/').reduceRight<object>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? e.friendlyUniqueId : inner }), {}));
      }
      const tf = { '//': cdktfResolve(this, { metadata, outputs }) };
      for (const e of elements) deepMerge(tf, this.resolvedElement(e));
      deepMerge(tf, cdktfResolve(this, rawOverrides));
      return tf;
    } finally {
      this.resolved.clear();
    }
  }
}
