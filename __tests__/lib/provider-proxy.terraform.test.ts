/**
 * The SchemaProxy with real Terraform and the provider (lib/provider-proxy.ts): a stack planned through it
 * plans exactly as against the provider server directly (BEDROCK_TF_SCHEMA_PROXY=0), and what Terraform
 * reads through it is the schema of the stack's own types, the whole schema only when asked for.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';

jest.setTimeout(600_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const matrix: Matrix = {
  managementAccountId: '999999999999',
  accounts: [{ id: PROD, regions: ['us-east-1'] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'], monthlyBudgetUsd: 10 }],
};
const STACK = `bedrock-logging-${PROD}-us-east-1`;

maybe('the schema proxy in front of the provider server', () => {
  let dir: string;
  let stackDir: string;
  const plans: Record<'proxied' | 'direct', StackPlan | undefined> = { proxied: undefined, direct: undefined };
  const schemaTypes: Record<'filtered' | 'full', string[]> = { filtered: [], full: [] };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-schema-proxy-'));
    synthesize(resolveMatrix(matrix), dir);
    stackDir = path.join(dir, 'stacks', STACK);
    const tf: unknown = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const proxied = new TerraformSession(terraform!);
    try {
      plans.proxied = await proxied.plan(stackDir);
      const work = proxied.workdir('schema');
      fs.mkdirSync(work);
      fs.writeFileSync(
        path.join(work, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }),
      );
      for (const kind of ['filtered', 'full'] as const) {
        const out = await proxied.withProvider(
          tf,
          async (env) => {
            await proxied.init(work, ['-backend=false'], env);
            return proxied.run(work, ['providers', 'schema', '-json'], env);
          },
          [],
          { fullSchema: kind === 'full' },
        );
        const aws = Object.values<{ resource_schemas: object }>(JSON.parse(out).provider_schemas)[0];
        schemaTypes[kind] = Object.keys(aws.resource_schemas).sort();
      }
    } finally {
      proxied.dispose();
    }
    process.env.BEDROCK_TF_SCHEMA_PROXY = '0';
    const direct = new TerraformSession(terraform!);
    try {
      plans.direct = await direct.plan(stackDir);
    } finally {
      delete process.env.BEDROCK_TF_SCHEMA_PROXY;
      direct.dispose();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the plan is the same as against the provider directly', () => {
    expect(plans.proxied!.changes.length).toBeGreaterThan(10);
    expect(plans.proxied!.plan?.resource_changes).toEqual(plans.direct!.plan?.resource_changes);
    expect(plans.proxied!.plan?.planned_values).toEqual(plans.direct!.plan?.planned_values);
  });

  test("Terraform reads the schema of the stack's types through it, the whole schema when asked", () => {
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(schemaTypes.filtered).toEqual(Object.keys(tf.resource).sort());
    expect(schemaTypes.full.length).toBeGreaterThan(1000);
    expect(schemaTypes.full).toEqual(expect.arrayContaining(schemaTypes.filtered));
  });
});
