/**
 * What a change costs to run (issue 25, item 9): the monthly delta of the
 * governance resources, per stack kind and region and in total, from the dated
 * price table (review/prices.ts), and the change in tenant budgets.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ASSUMPTIONS, chargesOf } from '../../review/cost';
import { PRICE_TABLE, lookupPrice } from '../../review/prices';
import { toMarkdown } from '../../review/report';
import { reviewTrees } from '../../review/review';
import { reviewTrees as synthTrees } from './trees';
import type { TerraformBody } from '../../review/terraform-json';

const { dir: freshDir, tree, clone } = synthTrees('bedrock-review-cost-');
const BASE = tree(clone());
const NEW = 'bedrock-logging-222222222222-us-west-2';

test('the price table is dated, every entry names its source and evidence, and every price has a us-east-1 or global entry', () => {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  expect(PRICE_TABLE.asOf).toMatch(date);
  for (const e of PRICE_TABLE.entries) {
    expect([e.id, e.region, e.asOf]).toEqual([e.id, e.region, expect.stringMatching(date)]);
    expect([e.id, e.source]).toEqual([e.id, expect.stringMatching(/^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//)]);
    expect(['aws-page', 'aws-price-list', 'unverified']).toContain(e.evidence);
    // A figure not read on an AWS page says where it came from.
    if (e.evidence !== 'aws-page') expect([e.id, e.note?.length]).toEqual([e.id, expect.any(Number)]);
  }
  const keys = PRICE_TABLE.entries.map((e) => `${e.id} ${e.region}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const id of new Set(PRICE_TABLE.entries.map((e) => e.id)))
    expect([id, PRICE_TABLE.entries.some((e) => e.id === id && ['global', 'us-east-1'].includes(e.region))]).toEqual([id, true]);
});

test('a region with its own entry gets it; one without falls back to us-east-1 and is marked; a global price holds everywhere', () => {
  expect(lookupPrice('cloudwatch.logs.ingestion', 'eu-west-1')).toMatchObject({
    entry: { region: 'eu-west-1', usd: 0.57 },
    fallback: false,
  });
  expect(lookupPrice('cloudwatch.logs.ingestion', 'us-west-2')).toMatchObject({ entry: { region: 'us-east-1', usd: 0.5 }, fallback: true });
  expect(lookupPrice('kms.key', 'us-gov-west-1')).toMatchObject({ entry: { region: 'global', usd: 1 }, fallback: false });
});

test('what each resource is charged: alarm metrics by resolution, log storage by retention, the log bucket only', () => {
  expect(chargesOf('aws_cloudwatch_metric_alarm.a', { period: 300 })).toEqual([{ price: 'cloudwatch.alarm.standard', quantity: 1 }]);
  expect(chargesOf('aws_cloudwatch_metric_alarm.a', { period: 10 })).toEqual([{ price: 'cloudwatch.alarm.high-resolution', quantity: 1 }]);
  const math: TerraformBody = {
    metric_query: [
      { id: 'e1', expression: 'm1+m2' },
      { id: 'm1', metric: { period: 60 } },
      { id: 'm2', metric: { period: 60 } },
    ],
  };
  expect(chargesOf('aws_cloudwatch_metric_alarm.a', math)).toEqual([{ price: 'cloudwatch.alarm.standard', quantity: 2 }]);
  const storage = (days: number) =>
    chargesOf('aws_cloudwatch_log_group.g', { retention_in_days: days }).find((c) => c.price.endsWith('storage'))!;
  expect(storage(90).quantity).toBe(ASSUMPTIONS.logGbPerMonth * 3);
  expect(storage(0).quantity).toBe(ASSUMPTIONS.logGbPerMonth * ASSUMPTIONS.neverExpireMonths);
  expect(chargesOf('aws_s3_bucket.invocation_logs', {})).toEqual([{ price: 's3.standard.storage', quantity: ASSUMPTIONS.logGbPerMonth }]);
  expect(chargesOf('aws_s3_bucket.athena_results', {})).toEqual([]);
  expect(chargesOf('aws_sns_topic.alarms', {})).toEqual([]);
});

test('a new region: its keys, alarms, dashboards and logs, priced from the table at us-east-1 rates (said so), in the total', () => {
  const m = clone();
  m.accounts[1].regions.push('us-west-2');
  const head = tree(m);
  const r = reviewTrees(BASE, head);
  const added = JSON.parse(fs.readFileSync(path.join(head, 'stacks', NEW, 'cdk.tf.json'), 'utf8')).resource;
  const keys = Object.keys(added.aws_kms_key).length;
  const row = (type: string) => r.cost!.rows.find((x) => x.kind === 'logging' && x.type === type);
  expect(row('aws_kms_key')).toEqual({
    kind: 'logging',
    region: 'us-west-2',
    type: 'aws_kms_key',
    price: 'kms.key',
    quantity: keys,
    unit: 'key-month',
    usdPerUnit: 1,
    usdPerMonth: keys,
  });
  expect(row('aws_cloudwatch_metric_alarm')!.quantity).toBeGreaterThanOrEqual(Object.keys(added.aws_cloudwatch_metric_alarm).length);
  expect(row('aws_cloudwatch_dashboard')!.quantity).toBe(Object.keys(added.aws_cloudwatch_dashboard).length);
  expect(r.cost!.totalUsdPerMonth).toBeCloseTo(
    r.cost!.rows.reduce((n, x) => n + x.usdPerMonth, 0),
    2,
  );
  // Only the new stack changes: its kind goes from $0 to the total.
  expect(r.cost!.kinds).toEqual([{ kind: 'logging', stacks: 1, before: 0, after: r.cost!.totalUsdPerMonth }]);
  expect(r.cost!.fallbacks.map((f) => f.region)).toEqual(['us-west-2']);
  expect(r.cost!.fallbacks[0].prices).toContain('cloudwatch.alarm.standard');
  const md = toMarkdown(r);
  expect(md).toContain('### Monthly cost of the governance resources');
  expect(md).toContain(
    `Monthly estimate **increased by $${r.cost!.totalUsdPerMonth.toFixed(2)}**, from the price table of ${PRICE_TABLE.asOf}`,
  );
  expect(md).toContain(`| logging | us-west-2 | \`aws_kms_key\` | +${keys} key-month | $1.00 | +$${keys.toFixed(2)} |`);
  expect(md).toContain('us-west-2 has no entry of its own for ');
  expect(md).toContain(`${ASSUMPTIONS.logGbPerMonth} GB of invocation logs`);
  expect(md).toMatch(
    /Unverified prices \(not confirmed on an AWS page or in AWS's price list\): .*cloudwatch\.dashboard \(global, \$3\.00/,
  );
});

test('a new region with prices of its own: eu-west-1 log ingestion at its own rate, no fallback for it', () => {
  const m = clone();
  const account = m.accounts.find((a) => !a.regions.some((r) => (typeof r === 'string' ? r : r.region) === 'eu-west-1'))!;
  account.regions.push('eu-west-1');
  const r = reviewTrees(BASE, tree(m));
  const ingestion = r.cost!.rows.find((x) => x.type === 'aws_cloudwatch_log_group' && x.price === 'cloudwatch.logs.ingestion');
  expect(ingestion).toMatchObject({ region: 'eu-west-1', quantity: ASSUMPTIONS.logGbPerMonth, usdPerUnit: 0.57 });
  expect(r.cost!.fallbacks.find((f) => f.region === 'eu-west-1')?.prices ?? []).not.toContain('cloudwatch.logs.ingestion');
});

test('a retention cut lowers the stored log volume and the estimate', () => {
  const m = clone();
  // The prod account keeps 731 days (its own logging entry): cut to 90.
  m.accounts[0].logging = { ...m.accounts[0].logging, logRetentionDays: 90 };
  const r = reviewTrees(BASE, tree(m));
  const storage = r.cost!.rows.filter((x) => x.price === 'cloudwatch.logs.storage');
  expect(storage.length).toBeGreaterThan(0);
  for (const row of storage) expect(row.quantity).toBeLessThan(0);
  expect(r.cost!.totalUsdPerMonth).toBeLessThan(0);
  expect(toMarkdown(r)).toMatch(/Monthly estimate \*\*decreased by \$\d+\.\d\d\*\*/);
});

test('a tenant budget raised: the change in the sum of tenant budgets', () => {
  const m = clone();
  const acme = m.tenants!.find((t) => t.id === 'acme')!;
  const before = acme.monthlyBudgetUsd!;
  acme.monthlyBudgetUsd = before + 300;
  const r = reviewTrees(BASE, tree(m));
  expect(r.cost!.budgets).toEqual({ before, after: before + 300 });
  expect(toMarkdown(r)).toContain(`before and $${(before + 300).toFixed(2)} after (+$300.00 a month).`);
});

test('no change: no cost section', () => {
  expect(toMarkdown(reviewTrees(BASE, tree(clone())))).not.toContain('Monthly cost');
});

describe('the cost section and stacks that leave the matrix', () => {
  const section = (md: string) => md.slice(md.indexOf('### Monthly cost'), md.indexOf('</details>', md.indexOf('### Monthly cost')));

  test('a region leaves: the rest of the change is priced, no $0.00 row, and the note says the leaving stack is not counted', () => {
    const m = clone();
    m.accounts[0].regions = ['us-east-1'];
    m.tenants = m.tenants!.filter((t) => t.id !== 'initech');
    const r = reviewTrees(BASE, tree(m));
    // The removed tenant budget is a row of no price: in review.json, not in review.md.
    expect(r.cost!.rows.some((x) => x.usdPerMonth === 0)).toBe(true);
    const md = section(toMarkdown(r));
    expect(md).toContain('### Monthly cost of the governance resources');
    expect(md).not.toMatch(/\| [+-]?\$0\.00 \|/);
    expect(md).toContain('Not counted: stacks that leave the matrix');
  });

  test('only a stack leaving: the section is still there, with the note', () => {
    const head = freshDir();
    fs.cpSync(BASE, head, { recursive: true });
    fs.rmSync(path.join(head, 'stacks', 'bedrock-logging-222222222222-us-east-1'), { recursive: true });
    const md = toMarkdown(reviewTrees(BASE, head));
    expect(md).toContain('Monthly estimate **unchanged**');
    expect(md).toContain('Not counted: stacks that leave the matrix');
  });

  test('no stack leaves: no such note', () => {
    const m = clone();
    m.accounts[0].logging = { ...m.accounts[0].logging, logRetentionDays: 90 };
    const md = toMarkdown(reviewTrees(BASE, tree(m)));
    expect(md).toContain('### Monthly cost');
    expect(md).not.toContain('Not counted: stacks that leave');
  });
});
