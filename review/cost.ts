/**
 * What a change costs to run (issue 25, item 9): the monthly cost delta of the
 * governance resources themselves, per stack kind and in total, from a dated price
 * table, and the change in the sum of tenant budgets. An estimate in the form of
 * Infracost's pull-request comment: fixed monthly prices only; usage-priced
 * resources (S3 storage, Athena scans, KMS requests) are listed as not estimated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resourcesOf } from './diff';
import type { Review, StackReview } from './review';

/** One row of the price table: the monthly price of one resource, where it was read, and how sure it is. */
export interface Price {
  type: string;
  unit: string;
  usdPerMonth: number;
  source: string;
  /** Set when the figure was not read on the official page itself (a third-party page or an assumption). */
  note?: string;
}

/**
 * Prices for us-east-1, read on 2026-12-04. Other regions may differ (the CloudWatch
 * page says "Pricing varies by Region"); the review applies these to every region
 * and says so. Free tiers (3 dashboards, 10 alarm metrics, 10 custom metrics per
 * account) are ignored: the estimate is an upper bound for small accounts.
 */
export const PRICE_TABLE = {
  date: '2026-12-04',
  region: 'us-east-1',
  prices: [
    {
      type: 'aws_kms_key',
      unit: 'key',
      usdPerMonth: 1.0,
      source: 'https://aws.amazon.com/kms/pricing/',
      note: 'automatic rotation adds $1 per rotated key version (capped at two), not counted',
    },
    {
      type: 'aws_cloudwatch_metric_alarm',
      unit: 'standard-resolution alarm metric',
      usdPerMonth: 0.1,
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      note: 'rate read on a third-party summary (c3x.dev), not on the official page: check it there',
    },
    {
      type: 'aws_cloudwatch_dashboard',
      unit: 'dashboard',
      usdPerMonth: 3.0,
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      note: 'rate not read on the official page: check it there',
    },
    {
      type: 'aws_cloudwatch_log_metric_filter',
      unit: 'custom metric (assumed one per filter)',
      usdPerMonth: 0.3,
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      note: 'rate not read on the official page; a filter with dimensions makes one metric per value',
    },
    {
      type: 'aws_cloudwatch_log_data_protection_policy',
      unit: 'log group, at the assumed log volume',
      usdPerMonth: 0.12 * 10,
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      note: 'assumes 10 GB of invocation logs scanned a month per log group at $0.12 per GB; rate not read on the official page',
    },
  ] as Price[],
  /** Resources whose cost depends only on use: listed, not estimated. */
  usagePriced: [
    'aws_s3_bucket',
    'aws_athena_workgroup',
    'aws_cloudwatch_log_group',
    'aws_sns_topic',
    'aws_budgets_budget',
    'aws_bedrock_guardrail',
  ],
};

const price = (type: string) => PRICE_TABLE.prices.find((p) => p.type === type);

/** The kind of a stack from its name: logging, management or bootstrap. */
export const stackKind = (name: string) => /^bedrock-(logging|management|bootstrap)-/.exec(name)?.[1] ?? 'other';

/** How many billed units a resource body is: an alarm with metric math is billed per metric it queries. */
function units(type: string, body: any): number {
  if (type === 'aws_cloudwatch_metric_alarm') {
    const queries = [body?.metric_query ?? []].flat().filter((q: any) => q?.metric);
    return Math.max(1, queries.length);
  }
  return 1;
}

export interface CostRow {
  kind: string;
  type: string;
  /** Billed units added (positive) or removed (negative). */
  units: number;
  usdPerMonth: number;
}

export interface CostEstimate {
  date: string;
  region: string;
  rows: CostRow[];
  totalUsdPerMonth: number;
  /** Sum of tenant budget limits (aws_budgets_budget.limit_amount), before and after. */
  budgets: { before: number; after: number };
  /** A stack that leaves the matrix keeps running (and costing) until it is decommissioned: not counted. */
  note: string;
}

/** The resources of one side of a stack's change, by address, from the review's changes and the stack bodies. */
export function estimateCost(stacks: StackReview[], bodies: (stack: string, side: 'base' | 'head') => Map<string, any>): CostEstimate {
  const rows = new Map<string, CostRow>();
  const budgets = { before: 0, after: 0 };
  for (const s of stacks) {
    if (s.status === 'unchanged' || s.status === 'leaves') continue;
    const base = s.status === 'added' ? new Map<string, any>() : bodies(s.name, 'base');
    const head = bodies(s.name, 'head');
    for (const c of s.changes) {
      const type = c.address.split('.')[0];
      if (type === 'aws_budgets_budget') {
        budgets.before += Number(base.get(c.address)?.limit_amount ?? 0);
        budgets.after += Number(head.get(c.address)?.limit_amount ?? 0);
      }
      const p = price(type);
      if (!p) continue;
      const delta =
        (head.has(c.address) ? units(type, head.get(c.address)) : 0) - (base.has(c.address) ? units(type, base.get(c.address)) : 0);
      if (!delta) continue;
      const key = `${stackKind(s.name)} ${type}`;
      const row = rows.get(key) ?? { kind: stackKind(s.name), type, units: 0, usdPerMonth: 0 };
      row.units += delta;
      row.usdPerMonth = Math.round(row.units * p.usdPerMonth * 100) / 100;
      rows.set(key, row);
    }
  }
  const list = [...rows.values()].filter((r) => r.units !== 0).sort((a, b) => a.kind.localeCompare(b.kind) || a.type.localeCompare(b.type));
  return {
    date: PRICE_TABLE.date,
    region: PRICE_TABLE.region,
    rows: list,
    totalUsdPerMonth: Math.round(list.reduce((n, r) => n + r.usdPerMonth, 0) * 100) / 100,
    budgets,
    note: 'stacks that leave the matrix keep running, and costing, until they are decommissioned: not counted',
  };
}

const usd = (n: number) => `${n < 0 ? '-' : n > 0 ? '+' : ''}$${Math.abs(n).toFixed(2)}`;

/** The cost section of review.md. */
export function costMarkdown(review: Review): string {
  const c = review.cost;
  if (!c || (!c.rows.length && c.budgets.before === c.budgets.after)) return '';
  const lines = [
    '### Monthly cost of the governance resources',
    '',
    `Estimate from the price table of ${c.date} (${c.region} prices applied to every region; free tiers ignored; review/cost.ts names each source). Usage-priced resources (S3 storage, Athena scans, log ingestion) are not estimated; ${c.note}.`,
    '',
    '| Stack kind | Resource | Units | Monthly |',
    '|---|---|---:|---:|',
    ...c.rows.map((r) => `| ${r.kind} | \`${r.type}\` | ${r.units > 0 ? '+' : ''}${r.units} | ${usd(r.usdPerMonth)} |`),
    `| **total** | | | **${usd(c.totalUsdPerMonth)}** |`,
    '',
  ];
  if (c.budgets.before !== c.budgets.after)
    lines.push(
      `Tenant budgets: the monthly limits of the changed budgets sum to $${c.budgets.before.toFixed(2)} before and $${c.budgets.after.toFixed(2)} after (${usd(c.budgets.after - c.budgets.before)} a month).`,
      '',
    );
  return lines.join('\n');
}

/** The estimate for two synth outputs: each changed or added stack's resources read from its cdk.tf.json. */
export function costOfTrees(stacks: StackReview[], baseDir: string, headDir: string): CostEstimate {
  const read = (dir: string, stack: string) => {
    const file = path.join(dir, 'stacks', stack, 'cdk.tf.json');
    return fs.existsSync(file) ? resourcesOf(JSON.parse(fs.readFileSync(file, 'utf8'))) : new Map<string, any>();
  };
  return estimateCost(stacks, (stack, side) => read(side === 'base' ? baseDir : headDir, stack));
}
