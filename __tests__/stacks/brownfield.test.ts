/**
 * Brownfield adoption (unit tier): a region entry's `adopt` and
 * deployment.bootstrap.oidcProvider. What the synthesized stacks hold: import blocks
 * with the right import IDs, or no resource at all. Real `terraform validate` of
 * these stacks, and why there is no offline plan of an import, are in
 * __tests__/stacks/brownfield.terraform.test.ts.
 */
import { Testing } from 'cdktf';
import type { Matrix } from '../../config/schema';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { PROD, problems, resolveMatrix, synth } from '../helpers';

const LOG_GROUP = '/bedrock/model-invocation-logs';
const region = (adopt?: string[], logging?: object) => ({
  accounts: [{ id: PROD, regions: [{ region: 'us-east-1', ...(adopt ? { adopt } : {}), ...(logging ? { logging } : {}) }] }],
});

describe('adopt: existing logging configuration and log group', () => {
  test('both: import blocks with the region and the log group name as import IDs, and the resources as before', () => {
    const s = synth(resolveMatrix(region(['loggingConfiguration', 'logGroup'])).stacks[0]);
    expect(s.tf.import).toEqual([
      { to: 'aws_cloudwatch_log_group.invocation_logs', id: LOG_GROUP },
      { to: 'aws_bedrock_model_invocation_logging_configuration.this', id: 'us-east-1' },
    ]);
    // Same addresses and settings as a stack that creates them: only the import blocks differ.
    const plain = synth(resolveMatrix(region()).stacks[0]);
    expect(s.tf.resource).toEqual(plain.tf.resource);
    expect(plain.tf.import).toBeUndefined();
  });

  test('either one alone', () => {
    expect(synth(resolveMatrix(region(['loggingConfiguration'])).stacks[0]).tf.import).toEqual([
      { to: 'aws_bedrock_model_invocation_logging_configuration.this', id: 'us-east-1' },
    ]);
    expect(synth(resolveMatrix(region(['logGroup'])).stacks[0]).tf.import).toEqual([
      { to: 'aws_cloudwatch_log_group.invocation_logs', id: LOG_GROUP },
    ]);
  });

  test('the log group import ID follows logging.logGroupName', () => {
    const s = synth(resolveMatrix(region(['logGroup'], { logGroupName: '/acme/bedrock' })).stacks[0]);
    expect(s.tf.import).toEqual([{ to: 'aws_cloudwatch_log_group.invocation_logs', id: '/acme/bedrock' }]);
  });

  test('bad adopt values are matrix errors naming the field', () => {
    expect(problems(region(['logGroup'], { destinations: ['s3'] }))).toEqual([
      {
        path: 'accounts[0].regions[0].adopt',
        value: 'logGroup',
        allowed: expect.stringContaining('"logGroup" only where "cloudwatch" is a logging destination'),
      },
    ]);
    expect(problems(region(['bucket']))).toEqual([
      expect.objectContaining({
        path: 'accounts[0].regions[0].adopt[0]',
        allowed: expect.stringContaining('"loggingConfiguration", "logGroup"'),
      }),
    ]);
    expect(problems(region(['logGroup', 'logGroup']))).toEqual([
      expect.objectContaining({ path: 'accounts[0].regions[0].adopt', allowed: 'each resource once' }),
    ]);
    expect(problems(region([]))).toEqual([
      expect.objectContaining({ path: 'accounts[0].regions[0].adopt', allowed: expect.stringContaining('at least one') }),
    ]);
  });
});

describe('deployment.bootstrap.oidcProvider', () => {
  const matrix = (oidcProvider?: 'create' | 'import' | 'existing', regions = ['us-east-1']): Matrix => ({
    deployment: { backend: { type: 'tfc', organization: 'acme-org' }, bootstrap: { ...(oidcProvider ? { oidcProvider } : {}) } },
    accounts: [{ id: PROD, regions }],
  });
  const bootstrap = (m: Matrix) => JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), resolveMatrix(m).bootstraps[0])));
  const federated = (tf: { resource: { aws_iam_role: { deploy: { assume_role_policy: string } } } }) =>
    JSON.parse(tf.resource.aws_iam_role.deploy.assume_role_policy).Statement[0].Principal.Federated;

  test('"create" (the default) creates the provider, with no import block', () => {
    for (const tf of [bootstrap(matrix()), bootstrap(matrix('create'))]) {
      expect(tf.resource.aws_iam_openid_connect_provider.terraform_cloud).toMatchObject({
        url: 'https://app.terraform.io',
        client_id_list: ['aws.workload.identity'],
      });
      expect(tf.import).toBeUndefined();
    }
  });

  test('"import" adopts the existing provider by its ARN', () => {
    const tf = bootstrap(matrix('import'));
    expect(tf.resource.aws_iam_openid_connect_provider.terraform_cloud).toBeDefined();
    expect(tf.import).toEqual([
      { to: 'aws_iam_openid_connect_provider.terraform_cloud', id: `arn:aws:iam::${PROD}:oidc-provider/app.terraform.io` },
    ]);
  });

  test('"existing" creates none; the deploy role trusts the provider already in the account, in the account\'s partition', () => {
    const tf = bootstrap(matrix('existing'));
    expect(tf.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(tf.import).toBeUndefined();
    expect(federated(tf)).toBe(`arn:aws:iam::${PROD}:oidc-provider/app.terraform.io`);
    expect(federated(bootstrap(matrix('existing', ['us-gov-west-1'])))).toBe(`arn:aws-us-gov:iam::${PROD}:oidc-provider/app.terraform.io`);
  });

  test('without a tfc backend, "import" and "existing" are matrix errors', () => {
    const m: Matrix = {
      deployment: { bootstrap: { oidcProvider: 'existing', trustedPrincipalArns: [`arn:aws:iam::${PROD}:role/ci`] } },
      accounts: [{ id: PROD, regions: ['us-east-1'] }],
    };
    expect(problems(m)).toEqual([
      { path: 'deployment.bootstrap.oidcProvider', value: 'existing', allowed: expect.stringContaining('only with a "tfc" backend') },
    ]);
    expect(problems({ ...m, deployment: { ...m.deployment, bootstrap: { ...m.deployment!.bootstrap, oidcProvider: 'create' } } })).toEqual(
      [],
    );
    expect(problems({ ...m, deployment: { ...m.deployment, bootstrap: { ...m.deployment!.bootstrap, oidcProvider: 'adopt' } } })).toEqual([
      expect.objectContaining({
        path: 'deployment.bootstrap.oidcProvider',
        allowed: expect.stringContaining('"create", "import", "existing"'),
      }),
    ]);
  });
});
