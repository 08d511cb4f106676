import { BedrockInferenceProfile } from '@cdktf/provider-aws/lib/bedrock-inference-profile';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { SYNTH_WRITTEN_FOR, synthPlain } from './versions';

export interface ProfileResourceConfig {
  name: string;
  description: string;
  copyFrom: string;
  tags: Record<string, string>;
}

/**
 * aws_bedrock_inference_profile, synthesized exactly as the generated
 * `BedrockInferenceProfile` class does (a test compares the two), without the
 * output-reference objects that class builds in its constructor: each captures a
 * stack trace, and at 20,000 profiles that costs seconds of synth time. Refer to
 * the ARN with its `arn`, a plain reference (`${aws_bedrock_inference_profile.<id>.arn}`).
 * A copy of generated code: written for @cdktf/provider-aws 20.1.0 (versions.ts).
 */
export class InferenceProfileResource extends TerraformResource {
  static readonly tfResourceType = 'aws_bedrock_inference_profile';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: ProfileResourceConfig,
  ) {
    super(scope, id, {
      terraformResourceType: InferenceProfileResource.tfResourceType,
      terraformGeneratorMetadata: {
        providerName: 'aws',
        providerVersion: SYNTH_WRITTEN_FOR.terraformAws,
        providerVersionConstraint: SYNTH_WRITTEN_FOR.terraformAwsConstraint,
      },
    });
  }

  /**
   * The profile's ARN as a plain Terraform reference, which is what the generated class's
   * `arn` token resolves to, without the token (and the stack trace it captures). Read it
   * after overrideLogicalId: the reference names the logical ID it has at that time.
   */
  get arn(): string {
    return `\${${InferenceProfileResource.tfResourceType}.${this.friendlyUniqueId}.arn}`;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const c = this.config;
    return { description: c.description, name: c.name, tags: c.tags, model_source: [{ copy_from: c.copyFrom }] };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const c = this.config;
    const simple = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'string' });
    return {
      description: simple(c.description),
      name: simple(c.name),
      tags: { value: c.tags, isBlock: false, type: 'map', storageClassType: 'stringMap' },
      model_source: {
        value: [{ copy_from: simple(c.copyFrom) }],
        isBlock: true,
        type: 'list',
        storageClassType: 'BedrockInferenceProfileModelSourceList',
      },
    };
  }
}

/** An application inference profile resource, with its ARN (a reference, resolved by Terraform). */
export type ProfileResource = TerraformResource & { readonly arn: string };

/** An application inference profile: the lightweight copy, or with SYNTH_PLAIN=1 the generated class. */
export function inferenceProfile(scope: Construct, id: string, config: ProfileResourceConfig): ProfileResource {
  if (synthPlain())
    return new BedrockInferenceProfile(scope, id, {
      name: config.name,
      description: config.description,
      modelSource: [{ copyFrom: config.copyFrom }],
      tags: config.tags,
    });
  return new InferenceProfileResource(scope, id, config);
}
