/**
 * review --plan, with real Terraform and the provider, offline: for every resource
 * type the stacks synthesize, one force-new argument is changed, and the provider's
 * plan (against a prior state built from the base and converged) must say
 * "replace". The static review, from the resource-type contract, must agree.
 * Also: the base converges to all no-op, and renaming the Athena workgroup shows
 * the cascade no table lists (its named queries are replaced too).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseMatrixText } from '../../config/load';
import type { Matrix } from '../../config/schema';
import { classify, resourcesOf } from '../../review/diff';
import { StackPlanResult, Schemas, planStack, providerSchemas } from '../../review/provider-plan';
import { synthesize } from '../../stacks/app';
import { RESOURCE_TYPES } from '../../lib/resource-types';
import { TerraformSession, requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';

jest.setTimeout(1_200_000);
const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const ROOT = path.join(__dirname, '..', '..');
const suffix =
  (sep = '-') =>
  (v: string) =>
    `${v}${sep}x`;
/** One force-new argument per type, and a new value the provider's validation accepts. */
const EDITS: Record<string, [string, (v: string) => string | boolean]> = {
  aws_athena_named_query: ['name', suffix()],
  aws_athena_workgroup: ['name', suffix()],
  aws_bedrock_inference_profile: ['name', suffix()],
  aws_budgets_budget: ['name', suffix()],
  aws_ce_anomaly_monitor: ['monitor_specification', (v: string) => v.replace('"acme"', '"acme-x"')],
  aws_ce_anomaly_subscription: ['name', suffix()],
  aws_cloudwatch_dashboard: ['dashboard_name', suffix()],
  aws_cloudwatch_log_data_protection_policy: ['log_group_name', () => '/bedrock/other-log-group'],
  aws_cloudwatch_log_group: ['name', suffix()],
  aws_cloudwatch_log_metric_filter: ['name', suffix()],
  aws_cloudwatch_metric_alarm: ['alarm_name', suffix()],
  aws_glue_catalog_database: ['name', suffix('_')],
  aws_glue_catalog_table: ['name', suffix('_')],
  aws_iam_openid_connect_provider: ['url', (v: string) => `${v}/other`],
  aws_iam_policy: ['name', suffix()],
  aws_iam_role: ['name', suffix()],
  aws_iam_role_policy: ['name', suffix()],
  aws_kms_alias: ['name', suffix()],
  aws_kms_key: ['multi_region', () => true],
  aws_organizations_policy: ['type', () => 'TAG_POLICY'],
  aws_organizations_policy_attachment: ['target_id', () => 'ou-abcd-22222222'],
  aws_quicksight_data_set: ['data_set_id', suffix()],
  aws_quicksight_data_source: ['data_source_id', suffix()],
  aws_s3_bucket: ['bucket', suffix()],
  aws_s3_bucket_lifecycle_configuration: ['bucket', () => 'other-bucket-lifecycle'],
  aws_s3_bucket_ownership_controls: ['bucket', () => 'other-bucket-ownership'],
  aws_s3_bucket_policy: ['bucket', () => 'other-bucket-policy'],
  aws_s3_bucket_public_access_block: ['bucket', () => 'other-bucket-pab'],
  aws_s3_bucket_server_side_encryption_configuration: ['bucket', () => 'other-bucket-sse'],
  aws_s3_bucket_versioning: ['bucket', () => 'other-bucket-versioning'],
  aws_s3_object: ['key', suffix()],
  aws_sns_topic: ['name', suffix()],
  aws_sns_topic_policy: ['arn', () => 'arn:aws:sns:us-east-1:111111111111:other-topic'],
  aws_sns_topic_subscription: ['endpoint', () => 'other@example.com'],
};

maybe('review --plan: the provider decides', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-plan-'));
  const session = new TerraformSession(terraform!);
  afterAll(() => {
    session.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  let schemaPromise: Promise<Schemas> | undefined;
  const schemas = () => (schemaPromise ??= session.warm().then(() => providerSchemas(session, path.join(session.scratch, 'warm'))));

  // Every kind of stack, every option that adds a resource type.
  const m = <Matrix>parseMatrixText(fs.readFileSync(path.join(ROOT, 'examples', 'terraform-cloud.yaml'), 'utf8'), 'terraform-cloud.yaml');
  m.analytics = {
    ...m.analytics,
    quicksight: { principalArn: 'arn:{partition}:quicksight:us-east-1:{accountId}:group/default/finops' },
    alarms: { ...(typeof m.analytics?.alarms === 'object' ? m.analytics.alarms : {}), emails: ['oncall@example.com'] },
  };
  const base = path.join(scratch, 'base');
  synthesize(resolveMatrix(m), base);
  const stackFile = (tree: string, s: string) => path.join(tree, 'stacks', s, 'cdk.tf.json');
  const read = (tree: string, s: string) => JSON.parse(fs.readFileSync(stackFile(tree, s), 'utf8'));

  // The fewest stacks that hold every synthesized type, and the edited head of each.
  const stacks = fs
    .readdirSync(path.join(base, 'stacks'))
    .sort((a, b) => Object.keys(read(base, b).resource).length - Object.keys(read(base, a).resource).length);
  const chosen = new Map<string, { stack: string; address: string; arg: string }>();
  for (const s of stacks)
    for (const [type, byName] of Object.entries<Record<string, unknown>>(read(base, s).resource))
      if (!chosen.has(type))
        chosen.set(type, { stack: s, address: `${type}.${Object.keys(byName).sort()[0]}`, arg: EDITS[type]?.[0] ?? '' });
  const head = path.join(scratch, 'head');
  fs.cpSync(base, head, { recursive: true });
  const edited = new Set<string>();
  for (const [type, c] of chosen) {
    if (!EDITS[type]) continue;
    const tf = read(head, c.stack);
    const body = tf.resource[type][c.address.split('.')[1]];
    const before = body[c.arg];
    body[c.arg] = EDITS[type][1](before);
    if (JSON.stringify(body[c.arg]) === JSON.stringify(before)) throw new Error(`the edit of ${c.address}.${c.arg} changed nothing`);
    fs.writeFileSync(stackFile(head, c.stack), JSON.stringify(tf));
    edited.add(c.stack);
  }

  const results = new Map<string, StackPlanResult>();
  beforeAll(async () => {
    await schemas();
    const list = [...edited].sort();
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const s = list[next++];
        results.set(s, await planStack(session, schemas, path.join(base, 'stacks', s), path.join(head, 'stacks', s), { verify: true }));
      }
    };
    await Promise.all([worker(), worker()]);
  });

  test('every synthesized type with a force-new argument has an edit here; the others have none in the contract', () => {
    const withForceNew = [...chosen.keys()].filter((t) => RESOURCE_TYPES[t].forceNew.length > 0).sort();
    expect(Object.keys(EDITS).sort()).toEqual(withForceNew);
    expect(withForceNew.length).toBeGreaterThanOrEqual(30);
  });

  test('the prior state converges: the base plans as all no-op within a few rounds', () => {
    for (const [s, r] of results) {
      // With verify, a state taken as converged without a round is planned against the base once more: all no-op.
      expect([s, r.unsettled, r.checked ?? []]).toEqual([s, [], []]);
      expect(r.rounds).toBeLessThanOrEqual(4);
    }
  });

  test('two plans per stack: the base from empty state, the head against the state built from it (issue 25)', () => {
    const plans = [...results].map(
      ([s, r]) =>
        `${s}: ${r.plans} plans${r.assumed ? '' : ', rounds run'}${r.unresolved.length ? `, unknowns not from references: ${r.unresolved.join(' ')}` : ''}`,
    );
    expect(plans).toEqual([...results.keys()].map((s) => `${s}: 2 plans`));
  });

  test('changing one force-new argument of every type: the provider replaces it, and the static review agrees', () => {
    const wrong: string[] = [];
    for (const [type, c] of chosen) {
      if (!EDITS[type]) continue;
      const provider = results.get(c.stack)!.changes.find((x) => x.address === c.address);
      if (provider?.action !== 'replace') wrong.push(`${c.address} ${c.arg}: provider says ${provider?.action ?? 'no change'}`);
      const before = resourcesOf(read(base, c.stack)).get(c.address);
      const after = resourcesOf(read(head, c.stack)).get(c.address);
      const stat = classify(c.address, before, after)?.action;
      if (stat !== 'replace') wrong.push(`${c.address} ${c.arg}: the contract says ${stat}`);
    }
    expect(wrong).toEqual([]);
  });

  test('a renamed Athena workgroup replaces its named queries too (a cascade no table lists)', () => {
    const c = chosen.get('aws_athena_workgroup')!;
    const changes = results.get(c.stack)!.changes;
    const queries = Object.keys(read(base, c.stack).resource.aws_athena_named_query).map((n) => `aws_athena_named_query.${n}`);
    for (const q of queries) expect([q, changes.find((x) => x.address === q)?.action]).toEqual([q, 'replace']);
    // The reason names the attribute that forces it (the plan's replace_paths), not "a replaced dependency".
    const named = changes.find((x) => x.address === queries[0])!;
    expect(named.reason).toMatch(/the provider replaces it \([^)]*\bworkgroup\b[^)]*\)/);
  });
});
