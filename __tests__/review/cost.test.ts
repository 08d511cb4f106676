/**
 * What a change costs to run (issue 25, item 9): the monthly delta of the
 * governance resources, per stack kind and in total, from the dated price table,
 * and the change in tenant budgets.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PRICE_TABLE } from '../../review/cost';
import { toMarkdown } from '../../review/report';
import { reviewTrees } from '../../review/review';
import { reviewTrees as synthTrees } from './trees';

const { tree, clone } = synthTrees('bedrock-review-cost-');
const BASE = tree(clone());
const NEW = 'bedrock-logging-222222222222-us-west-2';

test('the price table is dated and every price names its source', () => {
  expect(PRICE_TABLE.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  for (const p of PRICE_TABLE.prices) expect([p.type, p.source]).toEqual([p.type, expect.stringMatching(/^https:\/\/aws\.amazon\.com\//)]);
});

test('a new region: the keys, alarms, dashboard and filters of its stack, priced from the table, in the total', () => {
  const m = clone();
  m.accounts[1].regions.push('us-west-2');
  const head = tree(m);
  const r = reviewTrees(BASE, head);
  const added = JSON.parse(fs.readFileSync(path.join(head, 'stacks', NEW, 'cdk.tf.json'), 'utf8')).resource;
  const keys = Object.keys(added.aws_kms_key).length;
  const row = (type: string) => r.cost!.rows.find((x) => x.kind === 'logging' && x.type === type);
  expect(row('aws_kms_key')).toEqual({ kind: 'logging', type: 'aws_kms_key', units: keys, usdPerMonth: keys * 1.0 });
  expect(row('aws_cloudwatch_metric_alarm')!.units).toBeGreaterThanOrEqual(Object.keys(added.aws_cloudwatch_metric_alarm).length);
  expect(r.cost!.totalUsdPerMonth).toBeCloseTo(
    r.cost!.rows.reduce((n, x) => n + x.usdPerMonth, 0),
    2,
  );
  expect(r.cost!.totalUsdPerMonth).toBeGreaterThan(keys);
  const md = toMarkdown(r);
  expect(md).toContain('### Monthly cost of the governance resources');
  expect(md).toContain(`Estimate from the price table of ${PRICE_TABLE.date} (us-east-1 prices applied to every region`);
  expect(md).toContain(`| logging | \`aws_kms_key\` | +${keys} | +$${keys.toFixed(2)} |`);
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
