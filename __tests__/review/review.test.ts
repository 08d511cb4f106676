/**
 * Fixture trees for each dangerous kind and for harmless changes: the base is the
 * example matrix, each head a variant of it (or a hand edit of the synthesized
 * JSON, for policy changes the matrix cannot make).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import type { Matrix } from '../../config/schema';
import { toMarkdown } from '../../review/report';
import { Review, reviewTrees } from '../../review/review';
import { synthesize } from '../../stacks/app';
import { resolveMatrix } from '../helpers';

const PROD_USE1 = 'bedrock-logging-111111111111-us-east-1';
const DEV_USE1 = 'bedrock-logging-222222222222-us-east-1';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function tree(m: Matrix): string {
  const dir = path.join(scratch, `t${n++}`);
  synthesize(resolveMatrix(m), dir);
  return dir;
}
const clone = (): Matrix => JSON.parse(JSON.stringify(EXAMPLE_MATRIX));
const BASE = tree(clone());

/** A head tree that is the base with one stack's JSON edited by hand. */
function edited(stack: string, edit: (tf: any) => void): string {
  const dir = path.join(scratch, `t${n++}`);
  fs.cpSync(BASE, dir, { recursive: true });
  const file = path.join(dir, 'stacks', stack, 'cdk.tf.json');
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(tf);
  fs.writeFileSync(file, JSON.stringify(tf));
  return dir;
}
const editPolicy = (type: string, name: string, field: string, f: (doc: any) => void) => (tf: any) => {
  const doc = JSON.parse(tf.resource[type][name][field]);
  f(doc);
  tf.resource[type][name][field] = JSON.stringify(doc);
};

function variant(change: (m: Matrix) => void): Review {
  const m = clone();
  change(m);
  return reviewTrees(BASE, tree(m));
}
const stack = (r: Review, name: string) => r.stacks.find((s) => s.name === name)!;
const dangerousOf = (r: Review) => r.stacks.flatMap((s) => s.changes.filter((c) => c.dangerous).map((c) => `${s.name} ${c.action} ${c.address}: ${c.reason}`));

describe('harmless changes', () => {
  test('the same matrix: every stack unchanged, by content hash', () => {
    const r = reviewTrees(BASE, tree(clone()));
    expect(r.stacks.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(r.dangerous).toBe(0);
  });

  test('a tag edit: in-place updates with attribute detail, nothing dangerous', () => {
    const r = variant((m) => (m.tenants![0].costCenter = 'cc-9999'));
    expect(r.dangerous).toBe(0);
    expect(stack(r, PROD_USE1).changes).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_inference_profile.acme__haiku', action: 'update', attributes: ['tags.cost-center'] }),
    );
  });

  test('an added tenant: creates, the rate card lists its profiles, and a new anomaly monitor for the longer tenant list', () => {
    const r = variant((m) => m.tenants!.push({ id: 'umbrella', models: ['haiku'], monthlyBudgetUsd: 50 }));
    expect(r.dangerous).toBe(0);
    const replaced = r.stacks.flatMap((s) => s.changes.filter((c) => c.action !== 'create').map((c) => `${s.name} ${c.action} ${c.address}`));
    expect(replaced.sort()).toEqual(
      [
        ...['bedrock-logging-111111111111-eu-west-1', PROD_USE1, DEV_USE1].map((s) => `${s} update aws_s3_object.rate_card`),
        'bedrock-management-999999999999 replace aws_ce_anomaly_monitor.bedrock_tenants',
      ].sort(),
    );
    expect(stack(r, PROD_USE1).changes.filter((c) => c.action === 'create').map((c) => c.address)).toEqual([
      'aws_bedrock_inference_profile.umbrella__haiku',
      'aws_iam_policy.invoke_umbrella',
    ]);
  });

  test('an added region: a new stack of creates', () => {
    const r = variant((m) => m.accounts[1].regions.push('us-west-2'));
    expect(r.dangerous).toBe(0);
    expect(stack(r, 'bedrock-logging-222222222222-us-west-2').status).toBe('added');
    expect(stack(r, 'bedrock-logging-222222222222-us-west-2').changes.every((c) => c.action === 'create')).toBe(true);
  });
});

describe('dangerous changes', () => {
  test('a stateful resource deleted: CloudWatch dropped deletes the log group and role, and removes a destination', () => {
    const d = dangerousOf(variant((m) => (m.accounts[1].logging!.destinations = ['s3'])));
    expect(d).toEqual(
      expect.arrayContaining([
        `${DEV_USE1} delete aws_cloudwatch_log_group.invocation_logs: stateful resource deleted: its data or identity is lost`,
        `${DEV_USE1} delete aws_iam_role.invocation_logging: stateful resource deleted: its data or identity is lost`,
        expect.stringContaining(`${DEV_USE1} update aws_bedrock_model_invocation_logging_configuration.this: destination cloudwatch_config removed`),
      ]),
    );
  });

  test('a stateful resource replaced: a new bucket name', () => {
    const d = dangerousOf(variant((m) => (m.logging!.bucketNamePrefix = 'bedrock-logs')));
    expect(d).toContainEqual(expect.stringMatching(new RegExp(`^${DEV_USE1} replace aws_s3_bucket.invocation_logs: stateful resource replaced \\(bucket forces a new resource\\)`)));
  });

  test('a stateful resource replaced: a key setting that forces a new key', () => {
    const r = reviewTrees(BASE, edited(DEV_USE1, (tf) => (tf.resource.aws_kms_key.invocation_logs.multi_region = true)));
    expect(dangerousOf(r)).toEqual([expect.stringContaining(`${DEV_USE1} replace aws_kms_key.invocation_logs: stateful resource replaced (multi_region`)]);
  });

  test('prevent_destroy removed from a stateful resource', () => {
    const r = reviewTrees(BASE, edited(DEV_USE1, (tf) => delete tf.resource.aws_s3_bucket.invocation_logs.lifecycle));
    expect(dangerousOf(r)).toEqual([`${DEV_USE1} update aws_s3_bucket.invocation_logs: prevent_destroy removed`]);
  });

  test('a whole stack removed turns logging off for that account and region', () => {
    const r = variant((m) => {
      m.accounts[0].regions = ['us-east-1'];
      m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    });
    const removed = stack(r, 'bedrock-logging-111111111111-eu-west-1');
    expect(removed.status).toBe('removed');
    expect(dangerousOf(r)).toContainEqual(
      'bedrock-logging-111111111111-eu-west-1 delete aws_bedrock_model_invocation_logging_configuration.this: invocation logging turned off for this account and region',
    );
  });

  test('the logging configuration removed from a stack', () => {
    const r = reviewTrees(BASE, edited(DEV_USE1, (tf) => delete tf.resource.aws_bedrock_model_invocation_logging_configuration));
    expect(dangerousOf(r)).toEqual([`${DEV_USE1} delete aws_bedrock_model_invocation_logging_configuration.this: invocation logging turned off for this account and region`]);
  });

  test('a delivery flag turned off', () => {
    const d = dangerousOf(variant((m) => (m.accounts[0].logging!.delivery = { embedding: false })));
    expect(d).toContainEqual(`${PROD_USE1} update aws_bedrock_model_invocation_logging_configuration.this: embedding delivery turned off`);
  });

  test('personal-data masking or a log-delivery alarm removed', () => {
    const d = dangerousOf(variant((m) => (m.analytics = { ...m.analytics, piiMasking: false, alarms: false })));
    expect(d).toEqual(
      expect.arrayContaining([
        `${DEV_USE1} delete aws_cloudwatch_log_data_protection_policy.invocation_logs: personal-data masking removed: prompts and responses are stored unmasked from now on`,
        `${DEV_USE1} delete aws_cloudwatch_metric_alarm.log_delivery_s3: log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed`,
        `${DEV_USE1} delete aws_cloudwatch_metric_alarm.log_delivery_cloudwatch: log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed`,
        // Its prevent_destroy stops the apply too: see the README.
        `${DEV_USE1} delete aws_kms_key.alarms: stateful resource deleted: its data or identity is lost`,
      ]),
    );
    // The other alarms and the topic go quietly.
    expect(d.filter((x) => x.startsWith(DEV_USE1))).toHaveLength(4);
  });

  test('an inference profile replaced (model change) or deleted (tenant removed)', () => {
    const replaced = dangerousOf(variant((m) => (m.models![0].source = 'anthropic.claude-3-5-haiku-20241022-v1:0')));
    expect(replaced).toContainEqual(`${DEV_USE1} replace aws_bedrock_inference_profile.acme__haiku: inference profile replaced (model_source[0].copy_from): its ARN changes and callers break`);
    const deleted = dangerousOf(
      variant((m) => {
        m.tenants = m.tenants!.filter((t) => t.id !== 'acme');
        delete (m.analytics!.alarms as any).tenantDailyTokens;
      }),
    );
    expect(deleted).toContainEqual(`${DEV_USE1} delete aws_bedrock_inference_profile.acme__haiku: inference profile deleted: callers using its ARN break`);
  });

  test.each([
    [
      'a new principal in the bucket policy',
      editPolicy('aws_s3_bucket_policy', 'invocation_logs', 'policy', (d) => (d.Statement[0].Principal.Service = ['bedrock.amazonaws.com', 'ec2.amazonaws.com'])),
      'AllowBedrockInvocationLogDelivery: new principal Service:ec2.amazonaws.com',
    ],
    [
      'a new action in the key policy',
      editPolicy('aws_kms_key', 'invocation_logs', 'policy', (d) => (d.Statement[1].Action = ['kms:GenerateDataKey', 'kms:Decrypt'])),
      'AllowBedrockGenerateDataKey: new action kms:Decrypt',
    ],
    [
      'a wildcard in the bucket policy',
      editPolicy('aws_s3_bucket_policy', 'invocation_logs', 'policy', (d) => (d.Statement[0].Action = 's3:*')),
      'AllowBedrockInvocationLogDelivery: wildcard added',
    ],
    [
      'a removed condition in the trust policy',
      editPolicy('aws_iam_role', 'invocation_logging', 'assume_role_policy', (d) => delete d.Statement[0].Condition.ArnLike),
      'AllowBedrockAssumeRole: condition ArnLike aws:SourceArn removed',
    ],
    [
      'a removed TLS-only deny',
      editPolicy('aws_s3_bucket_policy', 'invocation_logs', 'policy', (d) => d.Statement.pop()),
      'Deny statement DenyInsecureTransport removed',
    ],
    [
      'a new Allow statement',
      editPolicy('aws_kms_key', 'invocation_logs', 'policy', (d) => d.Statement.push({ Sid: 'Extra', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' })),
      'new Allow statement Extra',
    ],
  ])('a widened policy: %s', (_what, edit, reason) => {
    const r = reviewTrees(BASE, edited(DEV_USE1, edit));
    expect(r.dangerous).toBe(1);
    expect(dangerousOf(r)[0]).toContain(reason);
  });

  test('a narrowed policy is not dangerous', () => {
    const r = reviewTrees(BASE, edited(DEV_USE1, editPolicy('aws_kms_key', 'invocation_logs', 'policy', (d) => d.Statement.pop())));
    expect(r.dangerous).toBe(0);
    expect(stack(r, DEV_USE1).changes).toEqual([expect.objectContaining({ address: 'aws_kms_key.invocation_logs', action: 'update', attributes: ['policy'] })]);
  });

  test('a backend change moves the state', () => {
    const d = dangerousOf(variant((m) => (m.deployment = { backend: { type: 'tfc', organization: 'acme-corp' } })));
    expect(d).toContainEqual(expect.stringContaining(`${DEV_USE1} update (backend): state location changes`));
  });

  test('--accept acknowledges matching dangerous changes', () => {
    const m = clone();
    m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    const head = tree(m);
    const r = reviewTrees(BASE, head, ['bedrock-logging-*:aws_bedrock_inference_profile.initech__*']);
    expect(r.dangerous).toBe(0);
    expect(r.accepted).toBe(1);
    expect(reviewTrees(BASE, head).dangerous).toBe(1);
  });
});

describe('the Markdown report', () => {
  const r = variant((m) => {
    m.tenants![0].costCenter = 'cc-9999';
    m.accounts[1].logging!.delivery = { text: false };
  });
  const md = toMarkdown(r);

  test('opens with the verdict and a summary table, then the dangerous changes, then details', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Bedrock governance plan review');
    expect(lines[2]).toBe('**1 dangerous change** needs attention.');
    const table = md.indexOf('| Stack | Status | create | update | replace | delete | dangerous |');
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(md.indexOf('### Dangerous changes'));
    expect(md.indexOf('### Dangerous changes')).toBeLessThan(md.indexOf('### Details'));
    expect(md).toContain(`| \`${DEV_USE1}\` | changed | 0 | 4 | 0 | 0 | **1** |`);
  });

  test('details are collapsed per stack and list attribute paths of updates', () => {
    expect(md).toContain(`<details><summary><code>${DEV_USE1}</code>: changed, 4 changes</summary>`);
    expect(md).toContain('- `~` update `aws_bedrock_inference_profile.acme__haiku`: `tags.cost-center`');
  });

  test('unchanged stacks are counted, not listed', () => {
    const same = toMarkdown(reviewTrees(BASE, tree(clone())));
    expect(same).toContain('No dangerous change.');
    expect(same).toContain('0 of 4 stacks change; 4 unchanged.');
    expect(same).not.toContain('| Stack |');
  });
});
