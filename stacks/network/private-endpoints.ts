import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { NetworkConfig } from '../../config/network';
import type { Target } from '../../policies/document';
import { NAME_PREFIX } from '../../config/naming';
import { RUNTIME_ENDPOINT_SERVICE } from '../../config/network';
import { organizationEndpointPolicy, runtimeEndpointPolicy } from '../../policies/endpoint-policies';
import type { TenantInferenceProfiles } from '../tenancy/inference-profiles';

/** Terraform name of the endpoint of a service (bedrock-runtime -> bedrock_runtime). */
export const endpointLogicalId = (service: string) => `endpoint_${service.replace(/-/g, '_')}`;
/** The security group the stack creates when the matrix gives none. */
export const ENDPOINT_SECURITY_GROUP = 'bedrock_endpoints';
/** The stack output with each endpoint's own DNS names (dns_entry), by service. */
export const ENDPOINT_OUTPUT = 'vpc_endpoint_dns_entries';
/** With private DNS, clients in the VPC keep the public service name, which resolves to the endpoint. */
export const endpointDnsName = (service: string, region: string) => `${service}.${region}.amazonaws.com`;

/**
 * Interface VPC endpoints for Bedrock in the stack's VPC (config/network.ts): bedrock-runtime and the
 * optional services, with private DNS, a security group admitting HTTPS from the VPC's CIDR blocks
 * (unless the matrix gives groups), and an endpoint policy admitting only principals of the organization.
 *
 * Apply-time (provider 5.100, internal/service/ec2/vpc_endpoint.go): CreateVpcEndpoint, then a wait
 * for "available" (10 minutes); private DNS needs the VPC's enableDnsSupport and enableDnsHostnames.
 * The policy, subnets and security groups change in place (ModifyVpcEndpoint); vpc_id, service_name
 * and vpc_endpoint_type replace the endpoint. aws_security_group (vpc_security_group.go) revokes the
 * default allow-all egress rule on create: the endpoints need none.
 */
export interface PrivateEndpointsProps {
  /** The VPC, subnets, services and organization of the endpoints (config/network.ts resolved). */
  readonly network: NetworkConfig;
  /** The account and region of the endpoints. */
  readonly target: Target;
  /** The stack's inference profiles: the runtime endpoint's policy admits them and what they invoke. */
  readonly profiles: TenantInferenceProfiles;
}

export class PrivateEndpoints extends Construct {
  /** Each endpoint by service. */
  readonly endpoints = new Map<string, VpcEndpoint>();

  constructor(scope: Construct, id: string, props: PrivateEndpointsProps) {
    super(scope, id);
    const n = props.network;
    const { region, accountId, partition } = props.target;
    let groups = n.securityGroupIds;
    if (!groups) {
      const sg = new SecurityGroup(this, 'security-group', {
        name: `${NAME_PREFIX}endpoints-${region}`,
        description: 'HTTPS from the VPC to the Bedrock interface endpoints',
        vpcId: n.vpcId,
        ingress: [
          {
            description: 'HTTPS from the VPC',
            fromPort: 443,
            toPort: 443,
            protocol: 'tcp',
            cidrBlocks: n.cidrBlocks ?? [],
            ipv6CidrBlocks: [],
            prefixListIds: [],
            securityGroups: [],
            selfAttribute: false,
          },
        ],
      });
      sg.overrideLogicalId(ENDPOINT_SECURITY_GROUP);
      groups = [sg.id];
    }
    const dns: Record<string, string> = {};
    for (const service of n.services) {
      const policy =
        service === RUNTIME_ENDPOINT_SERVICE
          ? runtimeEndpointPolicy({
              organizationId: n.organizationId,
              profileArns: [...props.profiles.arns.values()],
              underlyingArns: props.profiles.configs.flatMap((p) => p.underlyingArns),
              fallbackArn: `arn:${partition}:bedrock:${region}:${accountId}:application-inference-profile/*`,
            })
          : organizationEndpointPolicy(n.organizationId);
      const endpoint = new VpcEndpoint(this, service, {
        vpcId: n.vpcId,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: n.subnetIds,
        securityGroupIds: groups,
        policy: JSON.stringify(policy),
        tags: { Name: `${NAME_PREFIX}${service}-${region}` },
      });
      endpoint.overrideLogicalId(endpointLogicalId(service));
      this.endpoints.set(service, endpoint);
      // The whole dns_entry list (a list of objects), by reference.
      dns[service] = endpoint.getStringAttribute('dns_entry');
    }
    new TerraformOutput(this, 'dns', {
      value: dns,
      description: 'DNS names of the Bedrock interface endpoints, by service (routing-table.json endpoints)',
    }).overrideLogicalId(ENDPOINT_OUTPUT);
  }
}
