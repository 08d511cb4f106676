/**
 * Stability: the same matrix always gives the same files, and the order in which a
 * matrix lists accounts, regions, tenants or models changes no Terraform address
 * (nor any byte of any stack). Two synths byte-identical: synth/equivalence.test.ts.
 */
import { Testing } from 'cdktf';
import type { Matrix } from '../../config/schema';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { addStacks } from '../../stacks/app';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { resolveMatrix, templates } from '../helpers';

const MATRIX: Matrix = {
  ...EXAMPLE_MATRIX,
  deployment: { backend: { type: 'tfc', organization: 'acme-org' }, bootstrap: { managementAccountRoleName: 'OrgAdmin' } },
  organizationPolicies: { protectLoggingScp: { targetIds: ['ou-abcd-11111111'] } },
};

/** Every stack of a matrix: stack name -> its cdk.tf.json text. */
function synthAll(m: Matrix): Record<string, string> {
  const app = Testing.app();
  addStacks(app, resolveMatrix(m));
  return Object.fromEntries(Object.entries(templates(app)).map(([name, t]) => [name, t.json]));
}

/** Every Terraform address of a synthesized stack (resources, data sources, outputs). */
function addresses(json: string): string[] {
  const tf = JSON.parse(json);
  const of = (block: Record<string, Record<string, unknown>> | undefined, prefix = '') =>
    Object.entries(block ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${prefix}${type}.${n}`));
  return [...of(tf.resource), ...of(tf.data, 'data.'), ...Object.keys(tf.output ?? {}).map((o) => `output.${o}`)].sort();
}

const reverse = <T>(l: T[] | undefined) => (l ? [...l].reverse() : l);

test.each([
  ['accounts', (m: Matrix) => ({ ...m, accounts: reverse(m.accounts)! })],
  ['regions', (m: Matrix) => ({ ...m, accounts: m.accounts.map((a) => ({ ...a, regions: reverse(a.regions)! })) })],
  ['tenants', (m: Matrix) => ({ ...m, tenants: reverse(m.tenants) })],
  ['models', (m: Matrix) => ({ ...m, models: reverse(m.models), tenants: m.tenants?.map((t) => ({ ...t, models: reverse(t.models) })) })],
])('reordering %s changes no Terraform address and no byte of any stack', (_what, reorder) => {
  const before = synthAll(MATRIX);
  const after = synthAll(reorder(MATRIX));
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const name of Object.keys(before)) {
    expect([name, addresses(after[name])]).toEqual([name, addresses(before[name])]);
    expect([name, after[name]]).toEqual([name, before[name]]);
  }
});

test('the stateful-address snapshot of the bootstrap stack (the logging and management stacks: stateful-addresses.test.ts)', () => {
  const config = resolveMatrix(MATRIX);
  const tf = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), config.bootstraps[0])));
  expect(addresses(JSON.stringify(tf))).toEqual([
    'aws_iam_openid_connect_provider.terraform_cloud',
    'aws_iam_role.deploy',
    'aws_iam_role_policy.deploy',
    'output.deploy_role_arn',
  ]);
});
