/**
 * network (config/network.ts, stacks/network/private-endpoints.ts): the interface endpoints, their
 * security group and endpoint policies as synthesized, the matrix errors, and the endpoint policy
 * simulated as a VPC endpoint policy (@cloud-copilot/iam-simulate).
 */
import { Testing, TerraformStack } from 'cdktf';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Matrix } from '../../config/schema';
import { runtimeEndpointPolicy } from '../../policies/endpoint-policies';
import { addStacks, routingTable } from '../../stacks/app';
import { checkStack } from '../../iac-rules';
import { PROD, problems, resolveMatrix } from '../helpers';

const ORG = 'o-a1b2c3d4e5';
const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
export const NETWORK_MATRIX: Matrix = {
  accounts: [
    {
      id: PROD,
      name: 'genai-prod',
      regions: [
        {
          region: 'us-east-1',
          network: {
            vpcId: VPC,
            subnetIds: SUBNETS,
            cidrBlocks: ['10.20.0.0/16'],
            services: ['bedrock-agent-runtime'],
            organizationId: ORG,
          },
        },
        'eu-west-1',
      ],
    },
  ],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0', crossRegion: true }],
  tenants: [{ id: 'acme', models: ['haiku'] }],
};

const synth = (m: Matrix) => {
  const config = resolveMatrix(m);
  const app = Testing.app();
  addStacks(app, config);
  const stack = app.node.children.find((s) => s.node.id === `bedrock-logging-${PROD}-us-east-1`)!;
  return {
    tf: JSON.parse(Testing.synth(stack as TerraformStack)),
    stack,
    other: JSON.parse(Testing.synth(app.node.children.find((s) => s.node.id === `bedrock-logging-${PROD}-eu-west-1`) as TerraformStack)),
  };
};

describe('synthesized', () => {
  const { tf, stack, other } = synth(NETWORK_MATRIX);
  const endpoints = tf.resource.aws_vpc_endpoint;

  test('one interface endpoint per service, with private DNS, in the given subnets, behind the created security group', () => {
    expect(Object.keys(endpoints).sort()).toEqual(['endpoint_bedrock_agent_runtime', 'endpoint_bedrock_runtime']);
    expect(endpoints.endpoint_bedrock_runtime).toMatchObject({
      vpc_id: VPC,
      service_name: 'com.amazonaws.us-east-1.bedrock-runtime',
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      subnet_ids: SUBNETS,
      security_group_ids: ['${aws_security_group.bedrock_endpoints.id}'],
    });
    expect(tf.resource.aws_security_group.bedrock_endpoints.ingress).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.20.0.0/16'] }),
    ]);
    expect(tf.resource.aws_security_group.bedrock_endpoints.egress).toBeUndefined();
    expect(other.resource.aws_vpc_endpoint).toBeUndefined();
  });

  test("the runtime endpoint admits only the organization, invoking this stack's profiles and the models behind them", () => {
    const policy = JSON.parse(endpoints.endpoint_bedrock_runtime.policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
    const resources: string[] = policy.Statement[0].Resource;
    expect(resources[0]).toBe('${aws_bedrock_inference_profile.acme__haiku.arn}');
    expect(resources).toContain(`arn:aws:bedrock:us-east-1:${PROD}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`);
    // The model behind the system profile, in whichever region the profile routes to (as the tenant invoke policy grants it).
    expect(resources).toContain('arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
    expect(resources).toHaveLength(3);
  });

  test('the routing table names the endpoint DNS names per stack; the stack outputs the endpoint-specific ones', () => {
    expect(routingTable(resolveMatrix(NETWORK_MATRIX)).endpoints).toEqual([
      {
        accountId: PROD,
        region: 'us-east-1',
        stack: `bedrock-logging-${PROD}-us-east-1`,
        vpcId: VPC,
        services: [
          {
            service: 'bedrock-runtime',
            privateDnsName: 'bedrock-runtime.us-east-1.amazonaws.com',
            output: 'vpc_endpoint_dns_entries',
            key: 'bedrock-runtime',
          },
          {
            service: 'bedrock-agent-runtime',
            privateDnsName: 'bedrock-agent-runtime.us-east-1.amazonaws.com',
            output: 'vpc_endpoint_dns_entries',
            key: 'bedrock-agent-runtime',
          },
        ],
      },
    ]);
    expect(tf.output.vpc_endpoint_dns_entries.value).toEqual({
      'bedrock-runtime': '${aws_vpc_endpoint.endpoint_bedrock_runtime.dns_entry}',
      'bedrock-agent-runtime': '${aws_vpc_endpoint.endpoint_bedrock_agent_runtime.dns_entry}',
    });
    expect(routingTable(resolveMatrix({ accounts: [{ id: PROD, regions: ['us-east-1'] }] }))).not.toHaveProperty('endpoints');
  });

  test('the stack passes the IaC rules', () => {
    expect(checkStack(stack as TerraformStack)).toEqual([]);
  });
});

describe('simulated as the endpoint policy', () => {
  const PROFILE = `arn:aws:bedrock:us-east-1:${PROD}:application-inference-profile/abc123`;
  const MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
  const policy = runtimeEndpointPolicy({ organizationId: ORG, profileArns: [PROFILE], underlyingArns: [MODEL], fallbackArn: 'x' });
  const run = async (resource: string, org: string) => {
    const principal = `arn:aws:iam::${PROD}:role/App`;
    const r = await runSimulation(
      {
        request: {
          principal,
          action: 'bedrock:InvokeModel',
          resource: { resource, accountId: PROD },
          contextVariables: { 'aws:PrincipalOrgID': org, 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
        },
        identityPolicies: [
          { name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        vpcEndpointPolicies: [{ name: 'vpce-0123456789abcdef0', policy }],
      },
      {},
    );
    if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
    return r.overallResult;
  };

  test("the organization's principals pass for the profile and its model; others, and other models, are stopped", async () => {
    expect(await run(PROFILE, ORG)).toBe('Allowed');
    expect(await run(MODEL, ORG)).toBe('Allowed');
    expect(await run(PROFILE, 'o-zzzzzzzzzz')).not.toBe('Allowed');
    expect(await run('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-opus-20240229-v1:0', ORG)).not.toBe('Allowed');
  });
});

/** A region of the matrix given as an object (NETWORK_MATRIX's are), and its network. */
type RegionEntry = Exclude<Matrix['accounts'][number]['regions'][number], string>;
type Network = NonNullable<RegionEntry['network']>;

describe('bad matrices', () => {
  const withNetwork = (change: (n: Network, m: Matrix) => void) => {
    const m: Matrix = JSON.parse(JSON.stringify(NETWORK_MATRIX));
    change((m.accounts[0].regions[0] as RegionEntry).network!, m);
    return problems(m);
  };

  test('a subnet listed twice', () => {
    expect(withNetwork((n) => n.subnetIds.push(SUBNETS[0]))).toEqual([
      expect.objectContaining({
        path: 'accounts[0].regions[0].network.subnetIds[2]',
        value: SUBNETS[0],
        allowed: 'a subnet listed once (it is also at accounts[0].regions[0].network.subnetIds[0])',
      }),
    ]);
  });

  test("a subnet in another VPC's list", () => {
    const found = withNetwork((_n, m) => {
      m.accounts[0].regions[1] = {
        region: 'eu-west-1',
        network: {
          vpcId: 'vpc-0fffffffffffffff0',
          subnetIds: [SUBNETS[1]],
          securityGroupIds: ['sg-0a1b2c3d4e5f67890'],
          organizationId: ORG,
        },
      };
    });
    expect(found.map((p) => p.path)).toEqual(['accounts[0].regions[1].network.subnetIds[0]']);
    expect(found[0].allowed).toContain('a subnet belongs to one VPC');
  });

  test('neither security groups nor CIDR blocks; no organization ID; 0.0.0.0/0', () => {
    expect(withNetwork((n) => delete n.cidrBlocks).map((p) => p.path)).toEqual(['accounts[0].regions[0].network']);
    expect(withNetwork((n) => delete n.organizationId).map((p) => p.path)).toEqual(['accounts[0].regions[0].network.organizationId']);
    expect(withNetwork((n) => (n.cidrBlocks = ['0.0.0.0/0'])).map((p) => p.path)).toEqual(['accounts[0].regions[0].network.cidrBlocks[0]']);
  });

  test("an account's network with several regions (a VPC is in one region)", () => {
    const m: Matrix = JSON.parse(JSON.stringify(NETWORK_MATRIX));
    m.accounts[0].network = (m.accounts[0].regions[0] as RegionEntry).network;
    m.accounts[0].regions = ['us-east-1', 'eu-west-1'];
    expect(problems(m).map((p) => p.path)).toEqual(['accounts[0].network']);
  });

  test('the organization ID of dataPerimeterRcp is the default', () => {
    expect(
      withNetwork((n, m) => {
        delete n.organizationId;
        m.organizationPolicies = { dataPerimeterRcp: { targetIds: ['r-ab12'], organizationId: ORG } };
      }),
    ).toEqual([]);
  });
});
