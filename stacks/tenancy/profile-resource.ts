import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

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
 * the ARN with a plain reference (`${aws_bedrock_inference_profile.<id>.arn}`).
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
      terraformGeneratorMetadata: { providerName: 'aws', providerVersion: '5.100.0', providerVersionConstraint: '~> 5.0' },
    });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    const c = this.config;
    return { description: c.description, name: c.name, tags: c.tags, model_source: [{ copy_from: c.copyFrom }] };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const c = this.config;
    const simple = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'string' });
    return {
      description: simple(c.description),
      name: simple(c.name),
      tags: { value: c.tags, isBlock: false, type: 'map', storageClassType: 'stringMap' },
      model_source: { value: [{ copy_from: simple(c.copyFrom) }], isBlock: true, type: 'list', storageClassType: 'BedrockInferenceProfileModelSourceList' },
    };
  }
}
