/**
 * Fixture trees for each dangerous kind and for harmless changes: the base is the
 * example matrix, each head a variant of it (or a hand edit of the synthesized
 * JSON, for policy changes the matrix cannot make).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { MAX_MARKDOWN, toMarkdown } from '../../review/report';
import { Change, classify } from '../../review/diff';
import { generateMatrix } from '../../tools/bench/generate-matrix';
import { Review, StackReview, reviewTrees } from '../../review/review';
import { reviewTrees as synthTrees } from './trees';
import type { PolicyDocument } from '../../review/terraform-json';

const PROD_USE1 = 'bedrock-logging-111111111111-us-east-1';
const DEV_USE1 = 'bedrock-logging-222222222222-us-east-1';
const { dir: freshDir, tree, clone } = synthTrees('bedrock-review-test-');
const BASE = tree(clone());

/** A stack's JSON as the edits below change it: type -> name -> arguments, and the other blocks. */
type StackJson = { resource: Record<string, Record<string, Record<string, unknown>>>; [block: string]: unknown };

/** A head tree that is the base with one stack's JSON edited by hand. */
function edited(stack: string, edit: (tf: StackJson) => void): string {
  const dir = freshDir();
  fs.cpSync(BASE, dir, { recursive: true });
  const file = path.join(dir, 'stacks', stack, 'cdk.tf.json');
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(tf);
  fs.writeFileSync(file, JSON.stringify(tf));
  return dir;
}
const editPolicy = (type: string, name: string, field: string, f: (doc: PolicyDocument) => void) => (tf: StackJson) => {
  const doc = JSON.parse(String(tf.resource[type][name][field]));
  f(doc);
  tf.resource[type][name][field] = JSON.stringify(doc);
};

function variant(change: (m: Matrix) => void): Review {
  const m = clone();
  change(m);
  return reviewTrees(BASE, tree(m));
}
const stack = (r: Review, name: string) => r.stacks.find((s) => s.name === name)!;
const dangerousOf = (r: Review) =>
  r.stacks.flatMap((s) => s.changes.filter((c) => c.dangerous).map((c) => `${s.name} ${c.action} ${c.address}: ${c.reason}`));

describe('harmless changes', () => {
  test('a region that leaves the matrix: nothing is changed on merge, not a delete, not dangerous; its own heading with the decommission command', () => {
    const r = variant((m) => {
      m.accounts[0].regions = ['us-east-1'];
      m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    });
    const left = stack(r, 'bedrock-logging-111111111111-eu-west-1');
    expect(left.status).toBe('leaves');
    expect(left.changes).toEqual([]);
    expect(dangerousOf(r).filter((d) => d.startsWith('bedrock-logging-111111111111-eu-west-1'))).toEqual([]);
    // What npm run decommission keeps (the data and what protects it) and destroys, from the base stack.
    expect(left.decommission!.keeps).toEqual(
      expect.arrayContaining(['aws_s3_bucket.invocation_logs', 'aws_kms_key.invocation_logs', 'aws_s3_bucket_policy.invocation_logs']),
    );
    expect(left.decommission!.destroys).toEqual(
      expect.arrayContaining(['aws_bedrock_model_invocation_logging_configuration.this', 'aws_bedrock_inference_profile.acme__haiku']),
    );
    expect(left.decommission!.keeps.filter((a) => left.decommission!.destroys.includes(a))).toEqual([]);
    expect(left.decommission!.command).toBe(
      'MATRIX_FILE=<matrix file> npm run decommission -- bedrock-logging-111111111111-eu-west-1 --previous-matrix <the matrix before this change> --dry-run',
    );
    const md = toMarkdown(r);
    const section = md.slice(md.indexOf('### Stacks that leave the matrix'));
    expect(section).toContain('- `bedrock-logging-111111111111-eu-west-1`: leaves the matrix: nothing is changed on merge.');
    expect(section).toContain(
      '  - decommission: `MATRIX_FILE=<matrix file> npm run decommission -- bedrock-logging-111111111111-eu-west-1',
    );
    expect(section).toMatch(/ {2}- keeps in AWS, out of Terraform state \(\d+\): .*`aws_s3_bucket.invocation_logs`/);
    expect(section).toMatch(/ {2}- destroys \(\d+\): .*`aws_bedrock_inference_profile.acme__haiku`/);
    // Counted in the headline, not in the stack table or the details as deletes.
    expect(md).toMatch(/^\d+ of 4 stacks change, 1 leaves the matrix \(nothing is changed on merge\); \d+ unchanged\.$/m);
    expect(md).not.toMatch(/\| `bedrock-logging-111111111111-eu-west-1` \|/);
    expect(md).not.toContain('delete `aws_s3_bucket.invocation_logs`');
  });

  test('the decommission command with the matrix file and the base commit is complete', () => {
    const { decommissionCommand } = require('../../review/review');
    expect(decommissionCommand('bedrock-logging-111111111111-eu-west-1', { file: 'landing-zone.yaml', baseCommit: '0123456789ab' })).toBe(
      'git show 0123456789ab:./landing-zone.yaml > previous-matrix.yaml && MATRIX_FILE=landing-zone.yaml npm run decommission -- bedrock-logging-111111111111-eu-west-1 --previous-matrix previous-matrix.yaml --dry-run',
    );
  });

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
    const replaced = r.stacks.flatMap((s) =>
      s.changes.filter((c) => c.action !== 'create').map((c) => `${s.name} ${c.action} ${c.address}`),
    );
    expect(replaced.sort()).toEqual(
      [
        ...['bedrock-logging-111111111111-eu-west-1', PROD_USE1, DEV_USE1].map((s) => `${s} update aws_s3_object.rate_card`),
        'bedrock-management-999999999999 replace aws_ce_anomaly_monitor.bedrock_tenants',
      ].sort(),
    );
    expect(
      stack(r, PROD_USE1)
        .changes.filter((c) => c.action === 'create')
        .map((c) => c.address),
    ).toEqual(['aws_bedrock_inference_profile.umbrella__haiku', 'aws_iam_policy.invoke_umbrella']);
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
        `${DEV_USE1} delete aws_cloudwatch_log_group.invocation_logs: stateful resource deleted: orphaned, not deleted (skip_destroy): the log group and its logs stay in AWS, unmanaged, and creating it again fails until it is imported`,
        expect.stringContaining(
          `${DEV_USE1} delete aws_iam_role.invocation_logging: stateful resource deleted: the role and its unique ID are gone`,
        ),
        expect.stringContaining(
          `${DEV_USE1} update aws_bedrock_model_invocation_logging_configuration.this: destination cloudwatch_config removed`,
        ),
      ]),
    );
  });

  test('a stateful resource replaced: a new bucket name', () => {
    const d = dangerousOf(variant((m) => (m.logging!.bucketNamePrefix = 'bedrock-logs')));
    expect(d).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${DEV_USE1} replace aws_s3_bucket.invocation_logs: stateful resource replaced \\(bucket forces a new resource\\)`),
      ),
    );
  });

  test('a stateful resource replaced: a key setting that forces a new key', () => {
    const r = reviewTrees(
      BASE,
      edited(DEV_USE1, (tf) => (tf.resource.aws_kms_key.invocation_logs.multi_region = true)),
    );
    expect(dangerousOf(r)).toEqual([
      expect.stringContaining(`${DEV_USE1} replace aws_kms_key.invocation_logs: stateful resource replaced (multi_region`),
    ]);
  });

  test('prevent_destroy removed from a stateful resource', () => {
    const r = reviewTrees(
      BASE,
      edited(DEV_USE1, (tf) => delete tf.resource.aws_s3_bucket.invocation_logs.lifecycle),
    );
    expect(dangerousOf(r)).toEqual([`${DEV_USE1} update aws_s3_bucket.invocation_logs: prevent_destroy removed`]);
  });

  test('the logging configuration removed from a stack', () => {
    const r = reviewTrees(
      BASE,
      edited(DEV_USE1, (tf) => delete tf.resource.aws_bedrock_model_invocation_logging_configuration),
    );
    expect(dangerousOf(r)).toEqual([
      `${DEV_USE1} delete aws_bedrock_model_invocation_logging_configuration.this: invocation logging turned off for this account and region`,
    ]);
  });

  test('a delivery flag turned off', () => {
    const d = dangerousOf(variant((m) => (m.accounts[0].logging!.delivery = { embedding: false })));
    expect(d).toContainEqual(`${PROD_USE1} update aws_bedrock_model_invocation_logging_configuration.this: embedding delivery turned off`);
  });

  test('personal-data masking or a log-delivery alarm removed while logs still go to CloudWatch', () => {
    const d = dangerousOf(variant((m) => (m.analytics = { ...m.analytics, piiMasking: false, alarms: false })));
    expect(d).toEqual(
      expect.arrayContaining([
        `${DEV_USE1} delete aws_cloudwatch_log_data_protection_policy.invocation_logs: personal-data masking removed while invocation logs still go to CloudWatch: prompts and responses logged from now on are not masked`,
        `${DEV_USE1} delete aws_cloudwatch_metric_alarm.log_delivery_s3: log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed`,
        `${DEV_USE1} delete aws_cloudwatch_metric_alarm.log_delivery_cloudwatch: log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed`,
        `${DEV_USE1} delete aws_cloudwatch_metric_alarm.log_delivery_large_data: log-delivery alarm removed: lost invocation logs (and their tenant attribution) would go unnoticed`,
        // Its prevent_destroy stops the apply too: see the README.
        `${DEV_USE1} delete aws_kms_key.alarms: stateful resource deleted: the key is scheduled for deletion (30-day window): everything encrypted with it becomes unreadable after that`,
      ]),
    );
    // The other alarms and the topic go quietly.
    expect(d.filter((x) => x.startsWith(DEV_USE1))).toHaveLength(5);
  });

  test('an inference profile replaced (model change) or deleted (tenant removed)', () => {
    const replaced = dangerousOf(variant((m) => (m.models![0].source = 'anthropic.claude-3-5-haiku-20241022-v1:0')));
    expect(replaced).toContainEqual(
      `${DEV_USE1} replace aws_bedrock_inference_profile.acme__haiku: inference profile replaced (model_source[0].copy_from): its ARN changes and callers break`,
    );
    const deleted = dangerousOf(
      variant((m) => {
        m.tenants = m.tenants!.filter((t) => t.id !== 'acme');
        delete (m.analytics!.alarms as { tenantDailyTokens?: unknown }).tenantDailyTokens;
      }),
    );
    expect(deleted).toContainEqual(
      `${DEV_USE1} delete aws_bedrock_inference_profile.acme__haiku: inference profile deleted: callers using its ARN break`,
    );
  });

  test.each([
    [
      'a new principal in the bucket policy',
      editPolicy(
        'aws_s3_bucket_policy',
        'invocation_logs',
        'policy',
        (d) => ((d.Statement[0].Principal as Record<string, string[]>).Service = ['bedrock.amazonaws.com', 'ec2.amazonaws.com']),
      ),
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
      editPolicy('aws_iam_role', 'invocation_logging', 'assume_role_policy', (d) => delete d.Statement[0].Condition!.ArnLike),
      'AllowBedrockAssumeRole: condition ArnLike aws:SourceArn removed',
    ],
    [
      'a removed TLS-only deny',
      editPolicy('aws_s3_bucket_policy', 'invocation_logs', 'policy', (d) => d.Statement.pop()),
      'Deny statement DenyInsecureTransport removed',
    ],
    [
      'a new Allow statement',
      editPolicy('aws_kms_key', 'invocation_logs', 'policy', (d) =>
        d.Statement.push({ Sid: 'Extra', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }),
      ),
      'new Allow statement Extra',
    ],
  ])('a widened policy: %s', (_what, edit, reason) => {
    const r = reviewTrees(BASE, edited(DEV_USE1, edit));
    expect(r.dangerous).toBe(1);
    expect(dangerousOf(r)[0]).toContain(reason);
  });

  test('a narrowed policy is not dangerous', () => {
    const r = reviewTrees(
      BASE,
      edited(
        DEV_USE1,
        editPolicy('aws_kms_key', 'invocation_logs', 'policy', (d) => d.Statement.pop()),
      ),
    );
    expect(r.dangerous).toBe(0);
    expect(stack(r, DEV_USE1).changes).toEqual([
      expect.objectContaining({ address: 'aws_kms_key.invocation_logs', action: 'update', attributes: ['policy'] }),
    ]);
  });

  test('a backend change moves the state', () => {
    const d = dangerousOf(variant((m) => (m.deployment = { backend: { type: 'tfc', organization: 'acme-corp' } })));
    expect(d).toContainEqual(expect.stringContaining(`${DEV_USE1} update (backend): state location changes`));
  });

  test('--accept acknowledges matching dangerous changes', () => {
    const m = clone();
    m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    const head = tree(m);
    // initech's profile, and the Bedrock guardrail only initech used (deleting a guardrail is dangerous too).
    const r = reviewTrees(BASE, head, [
      'bedrock-logging-*:aws_bedrock_inference_profile.initech__*',
      'bedrock-logging-*:aws_bedrock_guardrail.*',
    ]);
    expect(r.dangerous).toBe(0);
    expect(r.accepted).toBe(2);
    expect(reviewTrees(BASE, head).dangerous).toBe(2);
  });
});

describe('data-loss cuts: dangerous, with old and new values', () => {
  test('CloudWatch retention cut, 731 -> 1 days', () => {
    // The example keeps 731 days in account 111111111111.
    const m = clone();
    m.accounts[0].logging!.logRetentionDays = 1;
    const head = tree(m);
    const r = reviewTrees(BASE, head);
    const c = stack(r, PROD_USE1).changes.find((x) => x.address === 'aws_cloudwatch_log_group.invocation_logs')!;
    expect(c).toMatchObject({
      action: 'update',
      dangerous: true,
      causes: ['retention-cut'],
      values: [{ path: 'retention_in_days', old: '731', new: '1' }],
    });
    expect(c.reason).toBe('log retention cut from 731 days to 1 days: events older than 1 days are deleted');
    // A longer retention is harmless.
    expect(reviewTrees(head, BASE).dangerous).toBe(0);
  });

  test('S3 expiration 3650 -> 400 days, and noncurrent-version expiration 90 -> 30 days', () => {
    const m = clone();
    m.logging = { ...m.logging, lifecycle: { expirationDays: 3650 } };
    const before = tree(m);
    m.logging.lifecycle = { expirationDays: 400, noncurrentVersionExpirationDays: 30 };
    const r = reviewTrees(before, tree(m));
    const c = stack(r, PROD_USE1).changes.find((x) => x.address === 'aws_s3_bucket_lifecycle_configuration.invocation_logs')!;
    expect(c.dangerous).toBe(true);
    expect(c.reason).toContain('S3 expiration of rule invocation-log-retention cut from 3650 days to 400 days');
    expect(c.reason).toContain('noncurrent-version expiration of rule invocation-log-retention cut from 90 days to 30 days');
    expect(c.values).toEqual(
      expect.arrayContaining([
        { path: 'rule[0].expiration[0].days', old: '3650', new: '400' },
        { path: 'rule[0].noncurrent_version_expiration[0].noncurrent_days', old: '90', new: '30' },
      ]),
    );
  });

  test('an expiration where logs were kept forever is a cut', () => {
    const r = variant((m) => (m.logging = { ...m.logging, lifecycle: { expirationDays: 400 } }));
    expect(dangerousOf(r)).toContainEqual(expect.stringContaining('cut from never expire to 400 days'));
  });

  test('a lower Athena bytes-scanned limit', () => {
    const r = variant((m) => (m.analytics = { ...m.analytics, athena: { bytesScannedCutoffMb: 100 } }));
    expect(dangerousOf(r)).toContainEqual(
      `${PROD_USE1} update aws_athena_workgroup.usage: Athena bytes-scanned limit per query lowered from 10240 MB to 100 MB: queries over it are cancelled`,
    );
  });
});

describe('fails closed', () => {
  test('renaming the Athena workgroup replaces it (and its named queries), not an in-place update', () => {
    const r = reviewTrees(
      BASE,
      edited(DEV_USE1, (tf) => (tf.resource.aws_athena_workgroup.usage.name = 'bedrock-usage-2')),
    );
    expect(stack(r, DEV_USE1).changes).toEqual([
      expect.objectContaining({
        address: 'aws_athena_workgroup.usage',
        action: 'replace',
        values: [{ path: 'name', old: '"bedrock-usage"', new: '"bedrock-usage-2"' }],
      }),
    ]);
  });

  test('a change to a type the contract does not classify is "unclassified" and dangerous, never an update', () => {
    const withType = (v: string) => (tf: StackJson) => (tf.resource.aws_made_up_thing = { x: { setting: v } });
    const base = edited(DEV_USE1, withType('a'));
    const r = reviewTrees(base, edited(DEV_USE1, withType('b')));
    expect(stack(r, DEV_USE1).changes).toEqual([
      expect.objectContaining({ address: 'aws_made_up_thing.x', action: 'unclassified', dangerous: true, causes: ['unclassified'] }),
    ]);
    // Deleting one is dangerous too: the review cannot know that it holds no data.
    const gone = reviewTrees(base, BASE);
    expect(stack(gone, DEV_USE1).changes[0]).toMatchObject({ action: 'delete', dangerous: true });
  });
});

describe('honest wording', () => {
  const bucketGone = (force: boolean) =>
    classify('aws_s3_bucket.invocation_logs', { bucket: 'b', force_destroy: force }, undefined)!.reason;

  test('a bucket with force_destroy = false: the apply fails with BucketNotEmpty, not "data lost"', () => {
    expect(bucketGone(false)).toContain('the apply fails with BucketNotEmpty while the bucket holds objects');
    expect(bucketGone(true)).toContain('every stored log is lost');
  });

  test('a log group with skip_destroy is orphaned, not deleted', () => {
    expect(classify('aws_cloudwatch_log_group.g', { name: 'g', skip_destroy: true }, undefined)!.reason).toContain('orphaned, not deleted');
    expect(classify('aws_cloudwatch_log_group.g', { name: 'g' }, undefined)!.reason).toContain('every log in it are deleted');
  });

  test('masking removed together with the CloudWatch destination is not a masking finding', () => {
    const r = variant((m) => (m.accounts[1].logging!.destinations = ['s3']));
    const masking = stack(r, DEV_USE1).changes.find((c) => c.address === 'aws_cloudwatch_log_data_protection_policy.invocation_logs')!;
    expect(masking).toMatchObject({ action: 'delete', dangerous: false });
    expect(dangerousOf(r).join('\n')).not.toContain('masking');
  });
});

describe('old -> new in the Markdown', () => {
  const r = variant((m) => {
    m.tenants![0].costCenter = 'cc-9999';
    m.accounts[1].logging!.delivery = { text: false };
  });
  const md = toMarkdown(r);

  test('opens with the verdict, then the dangerous changes by cause, then the stack table and collapsed details', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Bedrock governance plan review');
    expect(lines[2]).toBe('**1 dangerous change** needs attention.');
    const byCause = md.indexOf('### Dangerous changes by cause');
    expect(byCause).toBeGreaterThan(0);
    expect(md).toContain(`| Invocation logging switched off or reduced | 1 | \`${DEV_USE1}\` |`);
    expect(byCause).toBeLessThan(md.indexOf('### Stacks'));
    expect(md.indexOf('### Stacks')).toBeLessThan(md.indexOf('### Changes, one line per intent'));
    expect(md).toContain(`| \`${DEV_USE1}\` | changed | 0 | 0 | 4 | 0 | 0 | 0 | 0 | **1** |`);
    // The same tag change in three stacks is one line, with the stack count and the stacks.
    expect(md).toContain(
      `- \`~\` update \`aws_bedrock_inference_profile.acme__haiku\` — in 3 stacks: \`bedrock-logging-111111111111-eu-west-1\`, \`${PROD_USE1}\`, \`${DEV_USE1}\``,
    );
    expect(md.match(/update `aws_bedrock_inference_profile.acme__haiku`/g)).toHaveLength(1);
  });

  test('every changed attribute is rendered old -> new', () => {
    expect(md).toMatch(
      /- `~` update `aws_bedrock_inference_profile.acme__haiku` — in 3 stacks: [^\n]*\n {2}- `tags.cost-center`: `"cc-1001"` -> `"cc-9999"`/,
    );
    expect(md).toContain('  - `logging_config.text_data_delivery_enabled`: `true` -> `false`');
  });

  test('a policy document as a statement diff, a long body summarized', () => {
    const head = edited(DEV_USE1, (tf) => {
      const doc = JSON.parse(String(tf.resource.aws_kms_key.invocation_logs.policy));
      doc.Statement[1].Action = ['kms:GenerateDataKey', 'kms:Decrypt'];
      doc.Statement.pop();
      tf.resource.aws_kms_key.invocation_logs.policy = JSON.stringify(doc);
      tf.resource.aws_cloudwatch_dashboard.usage.dashboard_body = String(tf.resource.aws_cloudwatch_dashboard.usage.dashboard_body).replace(
        'Tokens',
        'Tokenz',
      );
    });
    const text = toMarkdown(reviewTrees(BASE, head));
    expect(text).toContain(
      '  - `policy statement AllowBedrockGenerateDataKey Action`: `"kms:GenerateDataKey"` -> `["kms:GenerateDataKey","kms:Decrypt"] (+kms:Decrypt)` (widens)',
    );
    // A removed statement is shown whole, with its real values, and what its removal does.
    expect(text).toContain(
      '  - `policy statement AllowCloudWatchLogsForInvocationLogGroup`: `{"Sid":"AllowCloudWatchLogsForInvocationLogGroup","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*",',
    );
    expect(text).toContain('` -> `(none)` (narrows)');
    const dashboard = stack(reviewTrees(BASE, head), DEV_USE1).changes.find((c) => c.address === 'aws_cloudwatch_dashboard.usage')!;
    expect(dashboard.values!.length).toBeGreaterThan(0);
    for (const v of dashboard.values!) {
      expect(v.path).toMatch(/^dashboard_body widgets\[\d+\]/);
      expect(v.old.length).toBeLessThanOrEqual(100);
    }
  });

  test('unchanged stacks are counted, not listed', () => {
    const same = toMarkdown(reviewTrees(BASE, tree(clone())));
    expect(same).toContain('No dangerous change.');
    expect(same).toContain('0 of 4 stacks change; 4 unchanged.');
    expect(same).not.toContain('| Stack |');
  });

  test('--accept: the headline counts the acknowledged dangerous changes', () => {
    const m = clone();
    m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    const text = toMarkdown(reviewTrees(BASE, tree(m), ['*:aws_bedrock_inference_profile.initech__*', '*:aws_bedrock_guardrail.*']));
    expect(text.split('\n')[2]).toBe('**2 dangerous changes acknowledged with --accept**, none unacknowledged.');
    expect(text).not.toContain('No dangerous change');
  });
});

test('an import block: the resource is adopted, not created', () => {
  const base = edited(DEV_USE1, (tf) => delete tf.resource.aws_s3_bucket.invocation_logs);
  const head = edited(
    DEV_USE1,
    (tf) => (tf.import = [{ to: 'aws_s3_bucket.invocation_logs', id: 'bedrock-invocation-logs-222222222222-us-east-1' }]),
  );
  const c = stack(reviewTrees(base, head), DEV_USE1).changes.find((x) => x.address === 'aws_s3_bucket.invocation_logs')!;
  expect(c).toMatchObject({
    action: 'adopt',
    dangerous: false,
    reason: 'adopted: Terraform imports the existing resource bedrock-invocation-logs-222222222222-us-east-1 and creates nothing',
  });
});

describe('scale', () => {
  // One intent across 60 accounts x 3 regions: a retention cut in every stack.
  const m = generateMatrix(180, 2, 1);
  m.logging = { logRetentionDays: 731 };
  const before = tree(m);
  m.logging = { logRetentionDays: 1 };
  const r = reviewTrees(before, tree(m));
  const md = toMarkdown(r);

  test('dangerous changes grouped by cause, with the count and the stacks', () => {
    expect(r.dangerous).toBe(180);
    expect(r.groups).toEqual([expect.objectContaining({ cause: 'retention-cut', count: 180, accepted: 0, stacks: expect.any(Array) })]);
    expect(r.groups[0].stacks).toHaveLength(180);
    expect(md).toMatch(
      /\| Log retention or expiration shortened: stored logs are deleted \| 180 \| 180: `bedrock-logging-[^|]* and 170 more \|/,
    );
    // One line for the same change in 180 stacks, not 180 lines.
    expect(md.match(/^- update `aws_cloudwatch_log_group\.invocation_logs`: log retention cut from 731 days to 1 days/gm)).toHaveLength(1);
    // The headline counts intents too, and the change list has one line for the 180 stacks.
    expect(md.split('\n')[2]).toBe('**180 dangerous changes** (1 intent) need attention.');
    expect(
      md.match(/^- `~` update `aws_cloudwatch_log_group\.invocation_logs` \*\*dangerous\*\*: log retention cut [^\n]* — in 180 stacks: /gm),
    ).toHaveLength(1);
    expect(md.length).toBeLessThan(25_000); // the stack table of 180 rows is most of it
  });

  test('review.md stays within one comment; the overflow is in review.json and the comment says so', () => {
    // Four different changes in every stack: 720 intents, more than one comment holds.
    const big = {
      ...r,
      stacks: r.stacks.map((s) => ({
        ...s,
        changes: [1, 2, 3, 4].flatMap((k) => s.changes.map((c) => ({ ...c, address: `${c.address}_${k}_${s.name}` }))),
      })),
    };
    const text = toMarkdown(big);
    expect(text.length).toBeLessThanOrEqual(MAX_MARKDOWN);
    expect(text).toContain('**This comment is shortened** to stay within 65,536 characters');
    expect(text).toMatch(/\d+ more changes \(one line per intent\) are only in review.json/);
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN);
  });
});

test('an upgrade of the tool: the review names both versions up front', () => {
  const r = reviewTrees(BASE, tree(clone()));
  const md = toMarkdown({ ...r, tools: { base: 'bedrock-governance 0.1.0', head: 'bedrock-governance 0.2.0' } });
  expect(md.split('### ')[0]).toContain('**Tool version: `bedrock-governance 0.1.0` -> `bedrock-governance 0.2.0`**');
  expect(toMarkdown({ ...r, tools: { base: 'bedrock-governance 0.2.0', head: 'bedrock-governance 0.2.0' } })).not.toContain('Tool version');
});

describe('the provider plan (--plan) as the review reads it: a fixture plan JSON', () => {
  const base = {
    resource: {
      aws_athena_workgroup: { usage: { name: 'bedrock-usage' } },
      aws_athena_named_query: { q: { name: 'q', workgroup: '${aws_athena_workgroup.usage.name}' } },
    },
  };
  const head = {
    resource: {
      ...base.resource,
      aws_athena_workgroup: { usage: { name: 'bedrock-usage-2' } },
      aws_s3_bucket: { adopted: { bucket: 'existing-bucket' } },
    },
    import: [{ to: 'aws_s3_bucket.adopted', id: 'existing-bucket' }],
  };
  const rc = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
    address,
    mode: 'managed',
    type: address.split('.')[0],
    change: { actions, before: {}, after: {}, after_unknown: {}, ...extra },
    ...(extra.replace_paths ? { replace_paths: extra.replace_paths } : {}),
  });
  const plan = {
    resource_changes: [
      rc('aws_athena_workgroup.usage', ['delete', 'create'], {
        before: { name: 'bedrock-usage' },
        after: { name: 'bedrock-usage-2' },
        replace_paths: [['name']],
      }),
      // A cascade: the configuration of the query did not change, the provider replaces it for the new workgroup name.
      rc('aws_athena_named_query.q', ['create', 'delete'], {
        before: { id: 'x', workgroup: 'bedrock-usage' },
        after: { workgroup: 'bedrock-usage-2' },
        after_unknown: { id: true },
        replace_paths: [['workgroup']],
      }),
      // terraform show -json of a plan with an import block: change.importing.
      rc('aws_s3_bucket.adopted', ['no-op'], { importing: { id: 'existing-bucket' } }),
      rc('aws_kms_key.unchanged', ['no-op']),
    ],
  };
  const { changesFromPlan } = require('../../review/provider-plan');
  const changes = changesFromPlan(plan, base, head);

  test('replace from actions, with the provider replace paths; cascades shown with the provider values', () => {
    expect(changes.map((c: Change) => `${c.action} ${c.address}`)).toEqual([
      'replace aws_athena_workgroup.usage',
      'replace aws_athena_named_query.q',
      'adopt aws_s3_bucket.adopted',
    ]);
    expect(changes[1].values).toEqual([{ path: 'workgroup', old: '"bedrock-usage"', new: '"bedrock-usage-2"' }]);
    expect(changes[1].reason).toBe('the provider replaces it (workgroup)');
  });

  test('an import (change.importing) is an adoption, not a new resource', () => {
    expect(changes[2]).toMatchObject({
      action: 'adopt',
      dangerous: false,
      reason: 'adopted: Terraform imports the existing resource existing-bucket and creates nothing',
    });
  });
});

test('--plan placeholders for unknown computed values: ARN-shaped ARNs, RFC 3339 times, strings for IDs and names, null for the rest', () => {
  const { placeholder, fillBlock } = require('../../review/provider-plan');
  const t = { account: '111111111111', region: 'eu-west-1' };
  expect(placeholder('aws_sns_topic', 'arn', 'string', 'aws_sns_topic.alarms', t)).toBe(
    'arn:aws:sns:eu-west-1:111111111111:sns_topic/alarms',
  );
  expect(placeholder('aws_kms_key', 'key_id', 'string', 'aws_kms_key.k', t)).toBe('offline-k-key-id');
  expect(placeholder('aws_athena_workgroup', 'creation_time', 'string', 'aws_athena_workgroup.w', t)).toBe('2024-01-01T00:00:00Z');
  expect(placeholder('aws_s3_bucket', 'bucket_regional_domain_name', 'string', 'aws_s3_bucket.b', t)).toBe(
    'offline-b-bucket-regional-domain-name',
  );
  expect(placeholder('aws_s3_bucket', 'acceleration_status', 'string', 'aws_s3_bucket.b', t)).toBeNull(); // an enum
  expect(placeholder('aws_iam_role', 'managed_policy_arns', ['set', 'string'], 'aws_iam_role.r', t)).toEqual([]);
  const schema = {
    attributes: { id: { type: 'string', computed: true }, arn: { type: 'string', computed: true }, n: { type: 'number', computed: true } },
    block_types: {
      rule: { nesting_mode: 'list', block: { attributes: { id: { type: 'string' } } } },
      cfg: { nesting_mode: 'single', block: { attributes: { x: { type: 'string' } } } },
    },
  };
  expect(
    fillBlock({ rule: { id: 'r1' }, cfg: [{ x: 'a' }] }, { id: true, arn: true, n: true }, schema, {
      type: 'aws_thing',
      address: 'aws_thing.t',
      target: t,
    }),
  ).toEqual({
    id: 'offline-t-id',
    arn: 'arn:aws:thing:eu-west-1:111111111111:thing/t',
    n: null,
    rule: [{ id: 'r1' }],
    cfg: { x: 'a' },
  });
});

test('a new region that adopts its existing logging configuration and log group: adoptions, not creates', () => {
  const r = variant((m) => m.accounts[1].regions.push({ region: 'us-west-2', adopt: ['loggingConfiguration', 'logGroup'] }));
  const added = stack(r, 'bedrock-logging-222222222222-us-west-2');
  expect(added.status).toBe('added');
  expect(added.changes.filter((c) => c.action === 'adopt').map((c) => c.address)).toEqual([
    'aws_bedrock_model_invocation_logging_configuration.this',
    'aws_cloudwatch_log_group.invocation_logs',
  ]);
  expect(
    added.changes
      .filter((c) => c.action === 'adopt')
      .every((c) => /^adopted: Terraform imports the existing resource \S+ and creates nothing$/.test(c.reason)),
  ).toBe(true);
  expect(toMarkdown(r)).toContain('- `<=` adopt `aws_cloudwatch_log_group.invocation_logs`');
});

test('an expiring lifecycle rule whose filter changes covers other objects: a cut', () => {
  const m = clone();
  m.logging = { ...m.logging, lifecycle: { expirationDays: 3650 } };
  const before = tree(m);
  const head = freshDir();
  fs.cpSync(before, head, { recursive: true });
  const file = path.join(head, 'stacks', DEV_USE1, 'cdk.tf.json');
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  tf.resource.aws_s3_bucket_lifecycle_configuration.invocation_logs.rule[0].filter = [{ prefix: 'athena-results/' }];
  const changed = reviewTrees(before, (fs.writeFileSync(file, JSON.stringify(tf)), head));
  expect(dangerousOf(changed)).toEqual([
    `${DEV_USE1} update aws_s3_bucket_lifecycle_configuration.invocation_logs: the filter of expiring rule invocation-log-retention changed: it may now expire objects it did not cover (the review does not compare filters)`,
  ]);
});

describe('a removed block with destroy = false is a forget, not a delete', () => {
  test('static review: switching cost-allocation tag activation off forgets the activations and deletes nothing', () => {
    const r = variant((m) => (m.costAllocationTags = { activate: false }));
    const changes = r.stacks.flatMap((s) => s.changes);
    const tags = changes.filter((c) => c.address.startsWith('aws_ce_cost_allocation_tag.'));
    expect(tags.length).toBe(3);
    for (const c of tags) expect(c).toMatchObject({ action: 'forget', dangerous: false, reason: expect.stringContaining('stays in AWS') });
    expect(changes.filter((c) => c.action === 'delete')).toEqual([]);
    expect(toMarkdown(r)).toMatch(/\| create \| adopt \| update \| replace \| delete \| forget \| unclassified \|/);
  });

  test('--plan: the provider action forget stays a forget', () => {
    const { changesFromPlan } = require('../../review/provider-plan');
    const base = { resource: { aws_ce_cost_allocation_tag: { tenant: { tag_key: 'tenant', status: 'Active' } } } };
    const head = { removed: [{ from: 'aws_ce_cost_allocation_tag.tenant', lifecycle: { destroy: false } }] };
    const plan = {
      resource_changes: [
        {
          address: 'aws_ce_cost_allocation_tag.tenant',
          mode: 'managed',
          type: 'aws_ce_cost_allocation_tag',
          change: { actions: ['forget'], before: {}, after: null, after_unknown: {} },
        },
      ],
    };
    expect(changesFromPlan(plan, base, head)).toEqual([
      expect.objectContaining({ action: 'forget', dangerous: false, address: 'aws_ce_cost_allocation_tag.tenant' }),
    ]);
  });
});

describe('deployment.review.warnOnly: dangerous changes of those environments are warnings (issue 25, item 4)', () => {
  // Text delivery turned off in the dev account (environment "dev"), and the prod account's retention cut.
  const head = (() => {
    const m = clone();
    m.accounts[1].logging!.delivery = { text: false };
    m.accounts[0].logging = { ...m.accounts[0].logging, logRetentionDays: 1 };
    return tree(m);
  })();

  test('each stack knows its environment from its provider default tags', () => {
    const r = reviewTrees(BASE, head);
    expect(Object.fromEntries(r.stacks.map((s) => [s.name, s.environment]))).toEqual({
      'bedrock-logging-111111111111-eu-west-1': 'prod',
      [PROD_USE1]: 'prod',
      [DEV_USE1]: 'dev',
      'bedrock-management-999999999999': 'management',
    });
  });

  test('default: every dangerous change fails the check', () => {
    const r = reviewTrees(BASE, head);
    expect(r.warnings).toBeUndefined();
    expect(dangerousOf(r).some((d) => d.startsWith(DEV_USE1))).toBe(true);
  });

  test('warnOnly dev: the dev change is a warning, not counted as dangerous; prod still fails', () => {
    const all = reviewTrees(BASE, head).dangerous;
    const r = reviewTrees(BASE, head, [], { warnOnly: ['dev'] });
    const dev = stack(r, DEV_USE1).changes.filter((c) => c.dangerous);
    expect(dev.length).toBeGreaterThan(0);
    expect(dev.every((c) => c.warning)).toBe(true);
    expect(r.warnings).toBe(dev.length);
    expect(r.dangerous).toBe(all - dev.length);
    expect(r.dangerous).toBeGreaterThan(0);
    const md = toMarkdown(r);
    expect(md.split('\n')[2]).toContain(
      `${dev.length === 1 ? '1 dangerous change' : `${dev.length} dangerous changes`} in warn-only environments (dev) shown as warnings`,
    );
    expect(md).toContain('**warning** (warn-only environment)');
  });

  test('only warn-only changes: the check passes, with a warning headline', () => {
    const m = clone();
    m.accounts[1].logging!.delivery = { text: false };
    const r = reviewTrees(BASE, tree(m), [], { warnOnly: ['dev'] });
    expect(r.dangerous).toBe(0);
    expect(toMarkdown(r).split('\n')[2]).toMatch(
      /^\*\*Warning: 1 dangerous change in warn-only environments \(dev\) shown as warnings\*\*, none that fails the check\.$/,
    );
  });

  test('the matrix key, and an environment the matrix does not have is an error naming it', () => {
    const { problems } = require('../helpers');
    const m = clone();
    m.deployment = { review: { warnOnly: { environments: ['dev'] } } };
    expect(problems(m)).toEqual([]);
    m.deployment!.review!.warnOnly!.environments = ['sandbx'];
    expect(problems(m)).toEqual([
      {
        path: 'deployment.review.warnOnly.environments[0]',
        value: 'sandbx',
        allowed: expect.stringContaining('an environment of the matrix: prod, dev'),
      },
    ]);
  });
});

describe('--stacks <glob> limits the review (issue 25, item 7)', () => {
  const { selectStacks, stackMatches } = require('../../review/review');
  test('globs: * and ?, several separated by commas', () => {
    expect(stackMatches('bedrock-logging-111111111111-*', PROD_USE1)).toBe(true);
    expect(stackMatches('bedrock-logging-111111111111-*', DEV_USE1)).toBe(false);
    expect(stackMatches('bedrock-logging-22222222222?-us-east-1', DEV_USE1)).toBe(true);
    expect(stackMatches('bedrock-management-*, bedrock-logging-*-us-east-1', DEV_USE1)).toBe(true);
    expect(stackMatches('bedrock.logging*', DEV_USE1)).toBe(false); // a dot is a dot
  });

  test('only matching stacks are reviewed, and the report says how many were left out', () => {
    const m = clone();
    m.logging = { ...m.logging, logRetentionDays: 1 };
    const all = reviewTrees(BASE, tree(m)).stacks;
    const { stacks, outside } = selectStacks(all, 'bedrock-logging-111111111111-*');
    expect(stacks.map((s: StackReview) => s.name)).toEqual(['bedrock-logging-111111111111-eu-west-1', PROD_USE1]);
    expect(outside).toBe(2);
    const { finish } = require('../../review/review');
    const md = toMarkdown(finish(stacks, [], { scope: { glob: 'bedrock-logging-111111111111-*', outside } }));
    expect(md).toContain('Only stacks matching `bedrock-logging-111111111111-*` (--stacks): 2 stacks left out, not reviewed.');
    expect(md).not.toContain(DEV_USE1);
  });
});

describe('cross-account observability (docs/observability.md)', () => {
  const MONITORING = '333333333333';
  const withObservability = (): Matrix => ({ ...clone(), observability: { monitoringAccountId: MONITORING } });
  const OBS_BASE = tree(withObservability());

  test('turning it on only creates: the monitoring stacks and one link per logging stack of another account', () => {
    const r = reviewTrees(BASE, OBS_BASE);
    expect(r.dangerous).toBe(0);
    const links = r.stacks.flatMap((s) =>
      s.changes.filter((c) => c.address === 'aws_oam_link.monitoring').map((c) => `${s.name} ${c.action}`),
    );
    expect(links).toEqual(expect.arrayContaining([`${PROD_USE1} create`, `${DEV_USE1} create`]));
  });

  test('a link removed (observability off) is flagged; the monitoring stack leaves the matrix (nothing changed on merge)', () => {
    const r = reviewTrees(OBS_BASE, BASE);
    const cut = dangerousOf(r).filter((d) => d.includes('OAM '));
    expect(cut).toEqual(expect.arrayContaining([expect.stringContaining(`${PROD_USE1} delete aws_oam_link.monitoring: OAM link deleted`)]));
    const monitoring = r.stacks.find((s) => s.name === `bedrock-monitoring-${MONITORING}-us-east-1`)!;
    expect(monitoring.status).toBe('leaves');
    expect(monitoring.changes.filter((c) => c.dangerous)).toEqual([]);
  });

  test('the sink deleted from a monitoring stack that stays is flagged', () => {
    const head = (() => {
      const dir = freshDir();
      fs.cpSync(OBS_BASE, dir, { recursive: true });
      const file = path.join(dir, 'stacks', `bedrock-monitoring-${MONITORING}-us-east-1`, 'cdk.tf.json');
      const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete tf.resource.aws_oam_sink;
      fs.writeFileSync(file, JSON.stringify(tf));
      return dir;
    })();
    const cut = dangerousOf(reviewTrees(OBS_BASE, head)).filter((d) => d.includes('OAM '));
    expect(
      cut.some(
        (d) =>
          d.startsWith(`bedrock-monitoring-${MONITORING}-us-east-1 delete aws_oam_sink.organization: `) && d.includes('OAM sink deleted'),
      ),
    ).toBe(true);
  });

  test('a link replaced (another sink) is flagged with the force-new argument', () => {
    const head = (() => {
      const dir = freshDir();
      fs.cpSync(OBS_BASE, dir, { recursive: true });
      const file = path.join(dir, 'stacks', PROD_USE1, 'cdk.tf.json');
      const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
      tf.resource.aws_oam_link.monitoring.label_template = '$AccountEmail';
      fs.writeFileSync(file, JSON.stringify(tf));
      return dir;
    })();
    expect(dangerousOf(reviewTrees(OBS_BASE, head))).toEqual([
      expect.stringContaining(`${PROD_USE1} replace aws_oam_link.monitoring: OAM link replaced (label_template)`),
    ]);
  });
});
