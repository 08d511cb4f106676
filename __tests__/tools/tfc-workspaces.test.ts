/** tfc-workspaces and cross-account observability: the monitoring workspaces share their state with the logging workspaces that read it. */
import type { Matrix } from '../../config/schema';
import { ApiRequest, applyPlan, dryRunRequests, workspacePlans } from '../../tools/rollout/tfc-workspaces';
import { resolveMatrix } from '../helpers';
import { COMMAND_NAME_ENV } from '../../lib/args';

const matrix: Matrix = {
  deployment: { assumeRole: false, backend: { type: 'tfc', organization: 'acme-org' } },
  accounts: [
    { id: '111111111111', regions: ['us-east-1', 'eu-west-1'] },
    { id: '222222222222', regions: ['us-east-1'] },
  ],
  observability: { monitoringAccountId: '333333333333' },
};
const plans = workspacePlans(resolveMatrix(matrix));
const mon = plans.find((p) => p.stack === 'bedrock-monitoring-333333333333-us-east-1')!;

test("a workspace per monitoring stack, running with the monitoring account's deploy role, shared with the logging workspaces of its region only", () => {
  expect(plans.filter((p) => p.kind === 'monitoring').map((p) => p.workspace)).toEqual([
    'bedrock-monitoring-333333333333-eu-west-1',
    'bedrock-monitoring-333333333333-us-east-1',
  ]);
  expect(mon.vars.find((v) => v.key === 'TFC_AWS_RUN_ROLE_ARN')!.value).toBe('arn:aws:iam::333333333333:role/bedrock-governance-deploy');
  expect(mon.remoteStateConsumers).toEqual(['bedrock-logging-111111111111-us-east-1', 'bedrock-logging-222222222222-us-east-1']);
  // The logging workspaces come first: the consumers must exist when the monitoring workspace names them.
  const order = plans.map((p) => p.stack);
  expect(order.indexOf(mon.stack)).toBeGreaterThan(order.indexOf('bedrock-logging-222222222222-us-east-1'));
  expect(dryRunRequests(mon).at(-1)).toEqual({
    method: 'POST',
    path: '/api/v2/workspaces/<id of bedrock-monitoring-333333333333-us-east-1>/relationships/remote-state-consumers',
    body: {
      data: [
        { type: 'workspaces', id: '<id of bedrock-logging-111111111111-us-east-1>' },
        { type: 'workspaces', id: '<id of bedrock-logging-222222222222-us-east-1>' },
      ],
    },
  });
});

test('applying adds only the consumers that are missing, and nothing on a second run', async () => {
  const consumers = new Set<string>(['ws-logging-111111111111-us-east-1']);
  const sent: ApiRequest[] = [];
  const send = async (req: ApiRequest) => {
    sent.push(req);
    const ws = req.path.match(/\/workspaces\/([^/?]+)$/)?.[1];
    if (req.method === 'GET' && ws?.startsWith('bedrock-monitoring'))
      return {
        status: 200,
        json: {
          data: {
            id: 'ws-mon',
            attributes: { name: mon.workspace, 'execution-mode': 'remote', 'working-directory': '', 'terraform-version': '1.11.4' },
          },
        },
      };
    if (req.method === 'GET' && ws?.startsWith('bedrock-logging'))
      return { status: 200, json: { data: { id: ws.replace('bedrock-', 'ws-') } } };
    if (req.path.endsWith('/vars'))
      return {
        status: 200,
        json: {
          data: mon.vars.map((v, i) => ({
            id: `var-${i}`,
            attributes: { key: v.key, value: v.value, category: 'env', hcl: false, sensitive: false },
          })),
        },
      };
    if (req.path.endsWith('/remote-state-consumers') && req.method === 'GET')
      return { status: 200, json: { data: [...consumers].map((id) => ({ type: 'workspaces', id })) } };
    if (req.path.endsWith('/remote-state-consumers') && req.method === 'POST') {
      (req.body as { data: { id: string }[] }).data.forEach((d) => consumers.add(d.id));
      return { status: 204, json: undefined };
    }
    throw new Error(`unexpected ${req.method} ${req.path}`);
  };
  const first = await applyPlan(mon, send, new Map());
  expect(first.consumersAdded).toEqual(['bedrock-logging-222222222222-us-east-1']);
  expect(sent.filter((r) => r.method === 'POST')).toEqual([
    {
      method: 'POST',
      path: '/api/v2/workspaces/ws-mon/relationships/remote-state-consumers',
      body: { data: [{ type: 'workspaces', id: 'ws-logging-222222222222-us-east-1' }] },
    },
  ]);
  sent.length = 0;
  expect((await applyPlan(mon, send, new Map())).consumersAdded).toEqual([]);
  expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
});

test('--bootstrap-outputs without the deploy role of an account names the command that writes them, as it runs where the tool runs', () => {
  const config = resolveMatrix({
    deployment: { backend: { type: 'tfc', organization: 'acme-org' }, bootstrap: {} },
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
  });
  const saved = process.env[COMMAND_NAME_ENV];
  try {
    delete process.env[COMMAND_NAME_ENV];
    expect(() => workspacePlans(config, { bootstrapOutputs: {} })).toThrow('(npm run deploy:wave -- bootstrap -- --outputs-file <file>)');
    process.env[COMMAND_NAME_ENV] = 'bedrock-governance tfc-workspaces'; // under the one CLI (a landing-zone repository)
    expect(() => workspacePlans(config, { bootstrapOutputs: {} })).toThrow(
      '(npx bedrock-governance deploy-wave bootstrap -- --outputs-file <file>)',
    );
  } finally {
    if (saved === undefined) delete process.env[COMMAND_NAME_ENV];
    else process.env[COMMAND_NAME_ENV] = saved;
  }
});
