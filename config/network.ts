/**
 * `network` on an account or a region entry: interface VPC endpoints for Amazon Bedrock in that VPC
 * (stacks/network/private-endpoints.ts, docs/model-governance.md). The VPC's CIDR blocks are given in
 * the matrix (`cidrBlocks`) rather than read with a data source (`aws_vpc`): a data source is read at
 * plan time, so a plan would need AWS credentials and an existing VPC, and the offline plan, the
 * review and the Terraform-tier tests could not run; the deploy role would also need ec2:DescribeVpcs.
 */
import { z } from 'zod';
import type { MatrixIssue } from './errors';
import * as rules from './rules';

/** The optional Bedrock endpoint services beside bedrock-runtime (FACTS: com.amazonaws.<region>.<service>, Interface). */
export const OPTIONAL_ENDPOINT_SERVICES = ['bedrock', 'bedrock-agent-runtime'] as const;
export const RUNTIME_ENDPOINT_SERVICE = 'bedrock-runtime';

const cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/, 'an IPv4 CIDR block such as 10.0.0.0/16')
  .refine(
    (c) =>
      c
        .split('/')[0]
        .split('.')
        .every((o) => Number(o) <= 255),
    'an IPv4 CIDR block such as 10.0.0.0/16 (each octet 0-255)',
  )
  .refine((c) => !c.endsWith('/0'), 'a CIDR block of the VPC, not 0.0.0.0/0 (the endpoints admit HTTPS from the VPC only)');

export const Network = z
  .object({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC ID such as vpc-0a1b2c3d4e5f67890'),
    /** One subnet per Availability Zone: each is an endpoint network interface, billed per AZ and hour. */
    subnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'a subnet ID such as subnet-0a1b2c3d4e5f67890'))
      .min(1, 'at least one subnet'),
    /** Existing security groups for the endpoints; without them the stack creates one that admits HTTPS from cidrBlocks. */
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group ID such as sg-0a1b2c3d4e5f67890'))
      .min(1, 'at least one security group (or leave the key out)')
      .optional(),
    /** The VPC's CIDR blocks, admitted on port 443 by the security group the stack creates (required without securityGroupIds). */
    cidrBlocks: z.array(cidr).min(1, 'at least one CIDR block (or leave the key out)').optional(),
    /** Endpoints beside bedrock-runtime. */
    services: z.array(z.enum(OPTIONAL_ENDPOINT_SERVICES)).optional(),
    /** The organization ID (o-...) for the endpoint policy's aws:PrincipalOrgID. Default organizationPolicies.dataPerimeterRcp.organizationId. */
    organizationId: z.string().regex(rules.ORGANIZATION_ID, 'an AWS Organizations ID such as o-a1b2c3d4e5').optional(),
  })
  .strict();
export type Network = z.infer<typeof Network>;

/** The network of one logging stack, resolved. */
export interface NetworkConfig {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds?: string[];
  cidrBlocks?: string[];
  /** bedrock-runtime first, then the optional services, each once. */
  services: string[];
  organizationId: string;
}

/** A stack's network: the region entry's, else the account's. Problems go to `issues` under `path`. */
export function resolveNetwork(
  network: Network | undefined,
  path: string,
  organizationId: string | undefined,
  issues: MatrixIssue[],
): NetworkConfig | undefined {
  if (!network) return undefined;
  network.subnetIds.forEach((s, i) => {
    const first = network.subnetIds.indexOf(s);
    if (first !== i)
      issues.push({
        path: `${path}.subnetIds[${i}]`,
        value: s,
        allowed: `a subnet listed once (it is also at ${path}.subnetIds[${first}])`,
      });
  });
  if (!network.securityGroupIds && !network.cidrBlocks)
    issues.push({
      path,
      found: 'neither securityGroupIds nor cidrBlocks',
      allowed:
        "securityGroupIds (existing groups for the endpoints), or cidrBlocks: the VPC's CIDR blocks, which the security group the stack creates admits on port 443",
    });
  const org = network.organizationId ?? organizationId;
  if (!org)
    issues.push({
      path: `${path}.organizationId`,
      found: 'missing, and organizationPolicies.dataPerimeterRcp has none',
      allowed: 'the organization ID (o-...): the endpoint policy admits only principals of the organization (aws:PrincipalOrgID)',
    });
  return {
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    ...(network.securityGroupIds ? { securityGroupIds: network.securityGroupIds } : {}),
    ...(network.cidrBlocks ? { cidrBlocks: network.cidrBlocks } : {}),
    services: [RUNTIME_ENDPOINT_SERVICE, ...new Set(network.services ?? [])],
    organizationId: org ?? '',
  };
}
