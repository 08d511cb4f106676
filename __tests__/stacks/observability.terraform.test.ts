/**
 * Real Terraform tier: a monitoring stack and a linking logging stack go through `terraform init` (local
 * mirror), `validate` and an offline `plan`. The logging stack's terraform_remote_state data source is
 * redirected by an override file (Terraform merges override blocks by type and name) to a local state
 * file that holds the monitoring stack's output sink_arn, as its real backend would after the monitoring
 * wave: the plan then shows the link with that very ARN, which proves the data source and the output agree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { localStatePath } from '../../stacks/observability/link';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';
import { asArray, asObject, at } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const PROD = '111111111111';
const MONITORING = '333333333333';
const SINK_ARN = `arn:aws:oam:us-east-1:${MONITORING}:sink/a1b2c3d4-5678-90ab-cdef-111122223333`;
const MONITORING_STACK = `bedrock-monitoring-${MONITORING}-us-east-1`;
const LOGGING_STACK = `bedrock-logging-${PROD}-us-east-1`;

const matrix = (backend?: NonNullable<Matrix['deployment']>['backend']): Matrix => ({
  ...(backend ? { deployment: { backend } } : {}),
  accounts: [{ id: PROD, name: 'genai-prod', regions: ['us-east-1'], logging: { destinations: ['s3', 'cloudwatch'] } }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'] }],
  analytics: { metricFilters: true },
  observability: { monitoringAccountId: MONITORING, organizationId: 'o-abcd123456' },
});

/** A version-4 state with nothing but the monitoring stack's output, as its backend holds it after the monitoring wave. */
const monitoringState = () => ({
  version: 4,
  terraform_version: '1.11.4',
  serial: 1,
  lineage: 'observability-test',
  outputs: { sink_arn: { value: SINK_ARN, type: 'string' } },
  resources: [],
});

maybe('cross-account observability: terraform validate and offline plan', () => {
  let session: TerraformSession;
  let scratch: string;
  let monitoring: StackPlan;
  let logging: StackPlan;
  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-observability-'));
    const outdir = path.join(scratch, 'out');
    // Terraform Cloud backend: the data source reads the monitoring workspace through backend "remote".
    synthesize(resolveMatrix(matrix({ type: 'tfc', organization: 'acme-org' })), outdir);
    const stackDir = (s: string) => path.join(outdir, 'stacks', s);
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir(LOGGING_STACK), 'cdk.tf.json'), 'utf8'));
    expect(tf.data.terraform_remote_state.monitoring).toEqual({
      backend: 'remote',
      config: { organization: 'acme-org', workspaces: { name: MONITORING_STACK } },
    });
    // Offline: the same data source, on a local copy of the state.
    const statePath = path.join(scratch, 'monitoring.tfstate');
    fs.writeFileSync(statePath, JSON.stringify(monitoringState()));
    fs.writeFileSync(
      path.join(stackDir(LOGGING_STACK), 'remote_state_override.tf.json'),
      JSON.stringify({ data: { terraform_remote_state: { monitoring: { backend: 'local', config: { path: statePath } } } } }),
    );
    await session.plan(stackDir(MONITORING_STACK), { validateOnly: true, label: 'validate-monitoring' });
    await session.plan(stackDir(LOGGING_STACK), { validateOnly: true, label: 'validate-logging' });
    monitoring = await session.plan(stackDir(MONITORING_STACK));
    logging = await session.plan(stackDir(LOGGING_STACK));
  });
  afterAll(() => {
    session?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('the monitoring stack plans the sink, its policy, the dashboard and the alarms, and outputs the sink ARN', () => {
    const creates = monitoring.changes.filter((c) => c.actions.includes('create')).map((c) => c.address);
    expect(creates).toEqual(
      expect.arrayContaining([
        'aws_oam_sink.organization',
        'aws_oam_sink_policy.organization',
        'aws_cloudwatch_dashboard.organization',
        `aws_cloudwatch_metric_alarm.throttles_${PROD}`,
      ]),
    );
    expect(monitoring.changes.find((c) => c.address === 'aws_oam_sink.organization')!.after).toMatchObject({
      name: 'bedrock-organization',
    });
    const policy: unknown = JSON.parse(
      at(monitoring.changes.find((c) => c.address === 'aws_oam_sink_policy.organization')!.after, 'policy') as string,
    );
    expect(at(policy, 'Statement', 0, 'Principal', 'AWS')).toEqual([`arn:aws:iam::${PROD}:root`]);
    expect(at(policy, 'Statement', 0, 'Condition', 'StringEquals')).toEqual({ 'aws:PrincipalOrgID': 'o-abcd123456' });
    expect(Object.keys(monitoring.plan?.planned_values?.outputs ?? asObject(at(monitoring.plan, 'output_changes')))).toContain('sink_arn');
    const alarm = monitoring.changes.find((c) => c.address === `aws_cloudwatch_metric_alarm.throttles_${PROD}`)!.after;
    expect(
      asArray(at(alarm, 'metric_query'))
        .filter((q) => asArray(at(q, 'metric')).length)
        .map((q) => at(q, 'account_id')),
    ).toEqual([PROD]);
  });

  test("the logging stack plans the link with the sink ARN from the monitoring stack's state", () => {
    const link = logging.changes.find((c) => c.address === 'aws_oam_link.monitoring')!;
    expect(link.actions).toEqual(['create']);
    expect(link.after).toMatchObject({
      sink_identifier: SINK_ARN,
      label_template: '$AccountName',
      link_configuration: [
        {
          log_group_configuration: [{ filter: "LogGroupName IN ('/bedrock/model-invocation-logs')" }],
          metric_configuration: [{ filter: expect.stringContaining("'AWS/Bedrock'") }],
        },
      ],
    });
    expect(asArray(at(link.after, 'resource_types')).map(String).sort()).toEqual(['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup']);
  });

  test("with the local backend, the data source reads the very file the monitoring stack's backend writes", () => {
    const outdir = path.join(scratch, 'local');
    synthesize(resolveMatrix(matrix()), outdir);
    const read = (s: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
    expect(read(MONITORING_STACK).terraform.backend.local.path).toBe(localStatePath(MONITORING_STACK));
    expect(read(LOGGING_STACK).data.terraform_remote_state.monitoring).toEqual({
      backend: 'local',
      config: { path: localStatePath(MONITORING_STACK) },
    });
  });
});
