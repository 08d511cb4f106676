/**
 * Real Terraform (provider 5.100 from the local mirror, offline): a logging stack with `network`
 * (interface endpoints for bedrock-runtime and bedrock-agent-runtime, the security group, the endpoint
 * policies) validates and plans; a second with given security groups creates no group.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { at, statementsOf } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const ORG = 'o-a1b2c3d4e5';
const matrix: Matrix = {
  accounts: [
    {
      id: PROD,
      regions: [
        {
          region: 'us-east-1',
          network: {
            vpcId: 'vpc-0a1b2c3d4e5f67890',
            subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
            cidrBlocks: ['10.20.0.0/16'],
            services: ['bedrock-agent-runtime'],
            organizationId: ORG,
          },
        },
        {
          region: 'eu-west-1',
          network: {
            vpcId: 'vpc-0a1b2c3d4e5f6eeee',
            subnetIds: ['subnet-0a1b2c3d4e5f6eee1'],
            securityGroupIds: ['sg-0a1b2c3d4e5f67890'],
            organizationId: ORG,
          },
        },
      ],
    },
  ],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0', crossRegion: true }],
  tenants: [{ id: 'acme', models: ['haiku'] }],
  analytics: { athena: false },
};
const US = `bedrock-logging-${PROD}-us-east-1`;
const EU = `bedrock-logging-${PROD}-eu-west-1`;

maybe('terraform validate and offline plan of the Bedrock interface endpoints', () => {
  let session: TerraformSession;
  let outdir: string;
  let plans: StackPlan[];

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-endpoints-'));
    synthesize(resolveMatrix(matrix), outdir);
    plans = await session.planDirs([US, EU].map((s) => path.join(outdir, 'stacks', s)));
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });
  const after = (stack: string, address: string) => plans.find((p) => p.stack === stack)!.changes.find((c) => c.address === address)?.after;

  test('the endpoints and the security group plan as synthesized', () => {
    expect(after(US, 'aws_vpc_endpoint.endpoint_bedrock_runtime')).toMatchObject({
      service_name: 'com.amazonaws.us-east-1.bedrock-runtime',
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      vpc_id: 'vpc-0a1b2c3d4e5f67890',
      subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    });
    expect(after(US, 'aws_vpc_endpoint.endpoint_bedrock_agent_runtime')).toMatchObject({
      service_name: 'com.amazonaws.us-east-1.bedrock-agent-runtime',
    });
    const sg = after(US, 'aws_security_group.bedrock_endpoints');
    expect(sg).toMatchObject({ name: 'bedrock-endpoints-us-east-1', vpc_id: 'vpc-0a1b2c3d4e5f67890' });
    expect(at(sg, 'ingress')).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.20.0.0/16'] }),
    ]);
    // The agent-runtime policy is known at plan; the runtime one names the profile's ARN, known after apply.
    expect(statementsOf(at(after(US, 'aws_vpc_endpoint.endpoint_bedrock_agent_runtime'), 'policy'))[0].Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': ORG },
    });
  });

  test('with given security groups no group is created', () => {
    expect(after(EU, 'aws_security_group.bedrock_endpoints')).toBeUndefined();
    expect(after(EU, 'aws_vpc_endpoint.endpoint_bedrock_runtime')).toMatchObject({ security_group_ids: ['sg-0a1b2c3d4e5f67890'] });
    for (const p of plans) for (const c of p.changes) expect([p.stack, c.address, c.actions]).toEqual([p.stack, c.address, ['create']]);
  });
});
