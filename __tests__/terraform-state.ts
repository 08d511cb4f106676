/** For `*.terraform.test.ts`: a version-4 Terraform state of managed AWS resources, as an earlier apply would have left it. */

export const AWS_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

export interface StateResource {
  type: string;
  name: string;
  attributes: object;
  /** Write `sensitive_attributes: []` in the instance, as Terraform does for some resource types. */
  sensitiveAttributes?: boolean;
}

export function awsState(lineage: string, resources: StateResource[]) {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage,
    outputs: {},
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: AWS_PROVIDER,
      instances: [{ schema_version: 0, attributes: r.attributes, ...(r.sensitiveAttributes ? { sensitive_attributes: [] } : {}) }],
    })),
  };
}
