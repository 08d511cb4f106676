/**
 * The stack base class of the synth/ seam: cdktf's TerraformStack, synthesized
 * faster with the same bytes.
 *
 * Synthesis resolves each resource once where cdktf's TerraformStack would
 * resolve it up to four times; at landing-zone scale that is most of synth time.
 * Tests check that the output is byte-identical with cdktf's own prepareStack
 * and toTerraform (and with SYNTH_PLAIN=1, which uses them).
 * - The stacks never reference one another, so the preparing resolve pass cdktf
 *   runs before synthesis (it exists to discover cross-stack references) is
 *   skipped; resolve.ts refuses a cross-stack reference, so this is enforced.
 * - Each element's Terraform JSON is resolved once per synth, with a fast path for
 *   plain JSON (resolve.ts): the validations (which run just before toTerraform)
 *   and toTerraform share it through resolvedElement().
 * - toTerraform merges the resolved fragments as cdktf does, without resolving the
 *   merged document a second time (resolving plain JSON returns it unchanged).
 */
import { TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
// cdktf's own merge, so that toTerraform below merges exactly as TerraformStack.toTerraform does.
import { deepMerge } from 'cdktf/lib/util';
import { Construct, IConstruct } from 'constructs';
import { ElementJson, cdktfResolve, resolveElement, resolveTerraform } from './resolve';
import { checkSynthVersionsOnce, synthPlain } from './versions';

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

export class SynthStack extends TerraformStack {
  private readonly resolved = new Map<TerraformElement, ElementJson>();
  /** SYNTH_PLAIN=1 when the stack was made: cdktf's own methods throughout. */
  private readonly plain = synthPlain();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!this.plain) checkSynthVersionsOnce();
  }

  prepareStack(): void {
    if (this.plain) return super.prepareStack();
    this.ensureBackendExists();
  }

  /** An element's Terraform JSON, resolved as cdktf resolves it, at most once until the next toTerraform. */
  resolvedElement(element: TerraformElement): ElementJson {
    if (this.plain) return resolveElement(this, element);
    let json = this.resolved.get(element);
    if (json === undefined) {
      // The same JSON as resolveElement gives (the fast path of cdktf's resolution).
      json = resolveTerraform(this, element.toTerraform()) as ElementJson;
      this.resolved.set(element, json);
    }
    return json;
  }

  /** cdktf's TerraformStack.toTerraform (0.21), with each element resolved once and no second resolve of the result. */
  toTerraform(): Record<string, unknown> {
    if (this.plain) return super.toTerraform();
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
        deepMerge(
          outputs,
          e.node.path
            .split('/')
            .reduceRight<object>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? e.friendlyUniqueId : inner }), {}),
        );
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
