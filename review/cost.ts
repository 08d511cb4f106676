/**
 * What a change costs to run (issue 25, item 9): the monthly cost delta of the governance
 * resources themselves, per stack kind and region and in total, priced from the dated table of
 * review/prices.ts, and the change in the sum of tenant budgets. The form follows Infracost's
 * pull-request comment: a headline, previous / new / diff per stack kind, the resources that
 * change, then the assumptions.
 *
 * Fixed monthly prices (keys, alarm metrics, dashboards, custom metrics, budgets) are counted from
 * the resources. Usage-priced ones are estimated at the stated ASSUMPTIONS (log volume, Athena
 * scans); the rest (SNS, KMS requests, guardrails, VPC endpoints, ...) are not estimated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resourcesOf } from './diff';
import { type TerraformBody, asObject, isObject } from './terraform-json';
import { PRICE_TABLE, type PriceEntry, type PriceId, lookupPrice } from './prices';
import type { Review, StackReview } from './review';

/** Usage the estimate assumes, per logging stack and month. */
export const ASSUMPTIONS = {
  /** Invocation logs Bedrock delivers a month, to each destination (S3 bucket, log group). */
  logGbPerMonth: 10,
  /** Data the usage workgroup's queries scan a month. */
  athenaGbScannedPerMonth: 10,
  /** A log group that never expires its events is counted as holding this many months. */
  neverExpireMonths: 12,
};

/** One charge of one resource: a quantity of a price-table entry. */
interface Charge {
  price: PriceId;
  quantity: number;
}

/** The metrics an alarm lists (metric math: each metric it queries) and whether any is high-resolution (period under 60 s). */
function alarmCharges(body: TerraformBody | undefined): Charge[] {
  const queries = [body?.metric_query ?? []].flat().filter((q) => isObject(q) && q.metric);
  const periods = [body?.period, ...queries.map((q) => asObject([asObject(q).metric].flat()[0]).period)].filter(
    (p): p is number => typeof p === 'number',
  );
  const high = periods.some((p) => p < 60);
  return [{ price: high ? 'cloudwatch.alarm.high-resolution' : 'cloudwatch.alarm.standard', quantity: Math.max(1, queries.length) }];
}

/** What one resource bills a month, as quantities of price-table entries; [] for what is free or not estimated. */
export function chargesOf(address: string, body: TerraformBody | undefined): Charge[] {
  const [type, name] = address.split('.');
  const a = ASSUMPTIONS;
  switch (type) {
    case 'aws_kms_key':
      return [{ price: 'kms.key', quantity: 1 }];
    case 'aws_cloudwatch_metric_alarm':
      return alarmCharges(body);
    case 'aws_cloudwatch_dashboard':
      return [{ price: 'cloudwatch.dashboard', quantity: 1 }];
    case 'aws_cloudwatch_log_metric_filter':
      // One custom metric per transformation (a filter with dimensions makes one per dimension value: counted as one).
      return [{ price: 'cloudwatch.metric.custom', quantity: Math.max(1, [body?.metric_transformation ?? []].flat().length) }];
    case 'aws_cloudwatch_log_data_protection_policy':
      return [{ price: 'cloudwatch.logs.data-protection', quantity: a.logGbPerMonth }];
    case 'aws_cloudwatch_log_group': {
      // Stored: what the retention keeps once it is full (billed on the compressed size: an upper bound).
      const days = Number(body?.retention_in_days ?? 0);
      const months = days > 0 ? days / 30 : a.neverExpireMonths;
      return [
        { price: 'cloudwatch.logs.ingestion', quantity: a.logGbPerMonth },
        { price: 'cloudwatch.logs.storage', quantity: Math.round(a.logGbPerMonth * months * 100) / 100 },
      ];
    }
    case 'aws_s3_bucket':
      // The invocation-log bucket: one month's logs in S3 Standard (what the lifecycle keeps longer is not counted).
      return name === 'invocation_logs' ? [{ price: 's3.standard.storage', quantity: a.logGbPerMonth }] : [];
    case 'aws_athena_workgroup':
      return [{ price: 'athena.scan', quantity: a.athenaGbScannedPerMonth / 1024 }];
    case 'aws_budgets_budget':
      return [{ price: 'budgets.budget', quantity: 1 }];
    default:
      return [];
  }
}

/** The kind of a stack from its name: logging, management or bootstrap. */
export const stackKind = (name: string) => /^bedrock-(logging|management|bootstrap|monitoring)-/.exec(name)?.[1] ?? 'other';

export interface CostRow {
  kind: string;
  region: string;
  type: string;
  price: PriceId;
  /** Quantity added (positive) or removed (negative), in the entry's unit. */
  quantity: number;
  unit: string;
  usdPerUnit: number;
  usdPerMonth: number;
}

export interface CostEstimate {
  /** The price table's date. */
  date: string;
  rows: CostRow[];
  /** Per stack kind, over the stacks that change: the monthly total before and after. */
  kinds: { kind: string; stacks: number; before: number; after: number }[];
  totalUsdPerMonth: number;
  /** Regions priced with the fallback region's entries, and which prices. */
  fallbacks: { region: string; prices: PriceId[] }[];
  /** The entries used that are not confirmed on an AWS page or in AWS's price list. */
  unverified: PriceEntry[];
  assumptions: typeof ASSUMPTIONS;
  /** Sum of tenant budget limits (aws_budgets_budget.limit_amount) of the changed budgets, before and after. */
  budgets: { before: number; after: number };
  /** A stack that leaves the matrix keeps running (and costing) until it is decommissioned: not counted. */
  note: string;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** One side of a stack: its resources by address, and its region. */
export interface StackSide {
  resources: Map<string, TerraformBody>;
  region: string;
}

/**
 * The estimate from the review's stacks and each stack's two sides. A resource the head adopts (an import)
 * or forgets (it stays in AWS) already costs what it costs: no delta.
 */
export function estimateCost(stacks: StackReview[], sides: (stack: string, side: 'base' | 'head') => StackSide): CostEstimate {
  const rows = new Map<string, CostRow>();
  const budgets = { before: 0, after: 0 };
  const kinds = new Map<string, { kind: string; stacks: number; before: number; after: number }>();
  const used = new Map<string, PriceEntry>();
  const fallbacks = new Map<string, Set<PriceId>>();
  const price = (id: PriceId, region: string) => {
    const { entry, fallback } = lookupPrice(id, region);
    used.set(`${entry.id} ${entry.region}`, entry);
    if (fallback) fallbacks.set(region, (fallbacks.get(region) ?? new Set()).add(id));
    return entry;
  };
  const monthly = (address: string, body: TerraformBody, region: string) =>
    chargesOf(address, body).reduce((n, c) => n + c.quantity * price(c.price, region).usd, 0);
  for (const s of stacks) {
    if (s.status === 'unchanged' || s.status === 'leaves') continue;
    const kind = stackKind(s.name);
    const head = sides(s.name, 'head');
    const base = s.status === 'added' ? { resources: new Map<string, TerraformBody>(), region: head.region } : sides(s.name, 'base');
    const k = kinds.get(kind) ?? { kind, stacks: 0, before: 0, after: 0 };
    k.stacks++;
    for (const [address, body] of base.resources) k.before += monthly(address, body, base.region);
    for (const [address, body] of head.resources) k.after += monthly(address, body, head.region);
    kinds.set(kind, k);
    for (const c of s.changes) {
      if (c.action === 'adopt' || c.action === 'forget') continue;
      const type = c.address.split('.')[0];
      if (type === 'aws_budgets_budget') {
        budgets.before += Number(base.resources.get(c.address)?.limit_amount ?? 0);
        budgets.after += Number(head.resources.get(c.address)?.limit_amount ?? 0);
      }
      const quantities = new Map<PriceId, number>();
      const add = (side: StackSide, sign: number) => {
        if (!side.resources.has(c.address)) return;
        for (const ch of chargesOf(c.address, side.resources.get(c.address)))
          quantities.set(ch.price, (quantities.get(ch.price) ?? 0) + sign * ch.quantity);
      };
      add(head, 1);
      add(base, -1);
      for (const [id, quantity] of quantities) {
        if (!quantity) continue;
        const entry = price(id, head.region);
        const key = `${kind} ${head.region} ${type} ${id}`;
        const row = rows.get(key) ?? {
          kind,
          region: head.region,
          type,
          price: id,
          quantity: 0,
          unit: entry.unit,
          usdPerUnit: entry.usd,
          usdPerMonth: 0,
        };
        row.quantity = Math.round((row.quantity + quantity) * 10000) / 10000;
        row.usdPerMonth = cents(row.quantity * entry.usd);
        rows.set(key, row);
      }
    }
  }
  const list = [...rows.values()]
    .filter((r) => r.quantity !== 0)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.region.localeCompare(b.region) || a.type.localeCompare(b.type));
  return {
    date: PRICE_TABLE.asOf,
    rows: list,
    kinds: [...kinds.values()]
      .map((k) => ({ ...k, before: cents(k.before), after: cents(k.after) }))
      .sort((a, b) => a.kind.localeCompare(b.kind)),
    totalUsdPerMonth: cents(list.reduce((n, r) => n + r.usdPerMonth, 0)),
    fallbacks: [...fallbacks]
      .map(([region, ids]) => ({ region, prices: [...ids].sort() }))
      .sort((a, b) => a.region.localeCompare(b.region)),
    unverified: [...used.values()].filter((e) => e.evidence === 'unverified').sort((a, b) => a.id.localeCompare(b.id)),
    assumptions: ASSUMPTIONS,
    budgets,
    note: 'stacks that leave the matrix, which keep running (and costing) until they are decommissioned',
  };
}

const usd = (n: number) => `${n < 0 ? '-' : n > 0 ? '+' : ''}$${Math.abs(n).toFixed(2)}`;
const plain = (n: number) => `$${n.toFixed(2)}`;
/** A unit price: cents, or up to four decimals for smaller rates ($0.023). */
const rate = (n: number) => (Number.isInteger(Math.round(n * 10000) / 100) ? plain(n) : `$${Number(n.toFixed(4))}`);
const qty = (n: number) => `${n > 0 ? '+' : ''}${Number(n.toFixed(4))}`;

/** The cost section of review.md. */
export function costMarkdown(review: Review): string {
  const c = review.cost;
  // A stack that leaves keeps costing until it is decommissioned: the section says so even when nothing else is priced.
  const leaves = review.stacks.some((s) => s.status === 'leaves');
  // Rows and stack kinds whose monthly delta rounds to $0.00 say nothing.
  const rows = c?.rows.filter((r) => r.usdPerMonth !== 0) ?? [];
  const kinds = c?.kinds.filter((k) => cents(k.after - k.before) !== 0) ?? [];
  if (!c || (!rows.length && c.budgets.before === c.budgets.after && !leaves)) return '';
  const t = c.totalUsdPerMonth;
  const headline =
    t > 0
      ? `Monthly estimate **increased by ${plain(t)}**`
      : t < 0
        ? `Monthly estimate **decreased by ${plain(-t)}**`
        : 'Monthly estimate **unchanged**';
  const a = c.assumptions;
  const lines = [
    '### Monthly cost of the governance resources',
    '',
    `${headline}, from the price table of ${c.date} (the tool's \`review/prices.ts\`: each price with its source, by region where prices differ) and the assumptions below.`,
    '',
  ];
  if (rows.length) {
    lines.push(
      '| Stack kind | Stacks | Previous | New | Diff |',
      '|---|---:|---:|---:|---:|',
      ...kinds.map((k) => `| ${k.kind} | ${k.stacks} | ${plain(k.before)} | ${plain(k.after)} | ${usd(cents(k.after - k.before))} |`),
      '',
      '| Stack kind | Region | Resource | Quantity | Unit price | Monthly |',
      '|---|---|---|---:|---:|---:|',
      ...rows.map(
        (r) => `| ${r.kind} | ${r.region} | \`${r.type}\` | ${qty(r.quantity)} ${r.unit} | ${rate(r.usdPerUnit)} | ${usd(r.usdPerMonth)} |`,
      ),
      `| **total** | | | | | **${usd(t)}** |`,
      '',
    );
  }
  if (c.budgets.before !== c.budgets.after)
    lines.push(
      `Tenant budgets: the monthly limits of the changed budgets sum to ${plain(c.budgets.before)} before and ${plain(c.budgets.after)} after (${usd(c.budgets.after - c.budgets.before)} a month).`,
      '',
    );
  const notes = [
    `Assumed per logging stack and month: ${a.logGbPerMonth} GB of invocation logs to each destination (log-group ingestion, data protection, one month in the S3 bucket; the log group stores what its retention keeps, a group that never expires counted as ${a.neverExpireMonths} months), and ${a.athenaGbScannedPerMonth} GB scanned by Athena.`,
    'Free tiers (3 dashboards, 10 alarm metrics, 10 custom metrics, 5 GB of logs per account) are ignored: an upper bound for small accounts. Not estimated: SNS, KMS and S3 requests, Glue, Bedrock guardrails, VPC interface endpoints, the query-results and export buckets.',
    ...c.fallbacks.map(
      (f) => `${f.region} has no entry of its own for ${f.prices.join(', ')}: priced at ${PRICE_TABLE.fallbackRegion} rates.`,
    ),
    ...(c.unverified.length
      ? [
          `Unverified prices (not confirmed on an AWS page or in AWS's price list): ${c.unverified.map((e) => `${e.id} (${e.region}, ${rate(e.usd)} per ${e.unit})`).join(', ')}.`,
        ]
      : []),
    ...(leaves ? [`Not counted: ${c.note}.`] : []),
  ];
  lines.push('<details><summary>Assumptions and prices</summary>', '', ...notes.map((n) => `- ${n}`), '', '</details>', '');
  return lines.join('\n');
}

/** One side of a stack from a synth tree: its resources and its provider's region (us-east-1 when it names none). */
function readSide(dir: string, stack: string): StackSide {
  const file = path.join(dir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) return { resources: new Map(), region: PRICE_TABLE.fallbackRegion };
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  const region = [tf?.provider?.aws ?? []].flat()[0]?.region;
  return { resources: resourcesOf(tf), region: typeof region === 'string' ? region : PRICE_TABLE.fallbackRegion };
}

/** The estimate for two synth outputs: each changed or added stack's resources read from its cdk.tf.json. */
export function costOfTrees(stacks: StackReview[], baseDir: string, headDir: string): CostEstimate {
  return estimateCost(stacks, (stack, side) => readSide(side === 'base' ? baseDir : headDir, stack));
}
