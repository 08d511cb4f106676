/**
 * The IaC rule report (npm run iac-rules) lists exactly the suppressions of a
 * synth output: each one the output carries, none it does not, found here by an
 * independent walk of every cdk.tf.json; and a suppression edited out of the output
 * turns into the violation it was hiding.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { RULES } from '../../iac-rules';
import { compareWithBase, formatReport, iacRuleReport, reportPasses } from '../../iac-rules/report';
import { synthesize } from '../../stacks/app';
import { main, readOutput } from '../../tools/checks/iac-rules';
import { resolveMatrix } from '../helpers';

// The example with the dev account in two regions: two stacks keep 30 days in CloudWatch.
const matrix = {
  ...EXAMPLE_MATRIX,
  accounts: EXAMPLE_MATRIX.accounts.map((a) => (a.environment === 'dev' ? { ...a, regions: ['us-east-1', 'eu-west-1'] } : a)),
};
const config = resolveMatrix(matrix);
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-guardrail-report-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
synthesize(config, outdir);

/** Every rules_to_suppress entry anywhere in a stack's JSON, with the resource it sits in: a walk that knows nothing of resourcesOf. */
function walkSuppressions(stack: string, tf: unknown): { stack: string; resource: string; rule: string; reason: string }[] {
  const found: { stack: string; resource: string; rule: string; reason: string }[] = [];
  const walk = (v: unknown, at: string[]) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...at, String(i)]));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'rules_to_suppress') {
        // at = ["resource", type, name, "//", "guardrails"]
        expect(at.slice(0, 1).concat(at.slice(3))).toEqual(['resource', '//', 'guardrails']);
        for (const s of x as { id: string; reason: string }[])
          found.push({ stack, resource: `${at[1]}.${at[2]}`, rule: s.id, reason: s.reason });
      } else walk(x, [...at, k]);
    }
  };
  walk(tf, []);
  return found;
}

const key = (s: { stack: string; resource: string; rule: string; reason: string }) =>
  JSON.stringify([s.stack, s.resource, s.rule, s.reason]);

test('the report lists every suppression of the output and no other, with the rule’s standards', () => {
  const stacks = readOutput(outdir);
  expect(stacks.map((s) => s.name)).toEqual(
    config.stacks
      .map((s) => s.stackName)
      .concat(config.management!.stackName)
      .sort(),
  );
  const report = iacRuleReport(stacks);
  const walked = stacks.flatMap((s) => walkSuppressions(s.name, s.tf));
  // One per stack that keeps less than 365 days, as the matrix says.
  const short = config.stacks.filter((s) => s.logging.logRetentionDays < 365).map((s) => s.stackName);
  expect(short).toHaveLength(2);
  expect(walked.map((w) => w.stack).sort()).toEqual(short.sort());
  expect(report.suppressions.map(key).sort()).toEqual(walked.map(key).sort());
  for (const s of report.suppressions) expect(s.standards).toEqual(RULES.find((r) => r.id === s.rule)!.standards);
  expect([report.stacks, report.violations, report.malformed, reportPasses(report)]).toEqual([stacks.length, [], [], true]);
});

test('the Markdown report has a row per suppression (pipes escaped) and a row per problem', () => {
  const report = iacRuleReport(readOutput(outdir));
  const text = formatReport({ ...report, suppressions: [...report.suppressions, { ...report.suppressions[0], reason: 'a | b\nc' }] });
  expect(text.split('\n')[0]).toBe(
    `IaC rules: ${report.stacks} stacks checked against ${RULES.length} rules: 0 violations, 3 suppressions.`,
  );
  const rows = text.split('\n').filter((l) => l.startsWith('| bedrock-'));
  expect(rows).toHaveLength(3);
  expect(rows[0]).toMatch(
    /^\| bedrock-logging-222222222222-[a-z0-9-]+ \| `aws_cloudwatch_log_group.invocation_logs` \| CKV_AWS_338 \| CKV_AWS_338 \| the matrix sets logRetentionDays = 30/,
  );
  expect(rows[2]).toMatch(/ \| a \\\| b c \|$/);
});

test('an output edited by hand: a removed suppression is a violation, an unknown rule or a missing reason is malformed', () => {
  const stacks = readOutput(outdir);
  // The resources this test edits, with their `"//".guardrails` suppressions.
  type Marked = Record<string, Record<string, { '//': { guardrails?: { rules_to_suppress: { id: string; reason?: string }[] } } }>>;
  const [first, second] = stacks.filter((s) => JSON.stringify(s.tf).includes('rules_to_suppress'));
  const marked = (s: (typeof stacks)[number]) => s.tf.resource as Marked;
  delete marked(first).aws_cloudwatch_log_group.invocation_logs['//'].guardrails;
  marked(second).aws_cloudwatch_log_group.invocation_logs['//'].guardrails!.rules_to_suppress.push({
    id: 'CKV_AWS_999',
    reason: 'a reason long enough to pass',
  });
  marked(second).aws_s3_bucket.invocation_logs['//'].guardrails = { rules_to_suppress: [{ id: 'CKV_AWS_21' }] };
  const report = iacRuleReport(stacks);
  expect(reportPasses(report)).toBe(false);
  expect(report.suppressions.map((s) => [s.stack, s.rule])).toEqual([[second.name, 'CKV_AWS_338']]);
  expect(report.violations).toEqual([
    {
      stack: first.name,
      resource: 'aws_cloudwatch_log_group.invocation_logs',
      rule: 'CKV_AWS_338',
      problem: 'retention_in_days is 30, less than 365',
    },
  ]);
  // One row for the suppression left, one per problem.
  expect(
    formatReport(report)
      .split('\n')
      .filter((l) => l.startsWith('| bedrock-')),
  ).toHaveLength(4);
  expect(report.malformed.map((m) => [m.resource, m.rule, m.problem.replace(/; rules: .*/, '')])).toEqual([
    ['aws_cloudwatch_log_group.invocation_logs', 'CKV_AWS_999', 'suppression names no IaC rule ("CKV_AWS_999")'],
    ['aws_s3_bucket.invocation_logs', 'CKV_AWS_21', 'suppression needs a written reason (at least 20 characters)'],
  ]);
});

test('the command in process: Markdown or JSON, exit 0 when every stack passes, 1 without an output', () => {
  let printed = '';
  expect(main(['--outdir', outdir], (s) => (printed += s))).toBe(0);
  expect(printed).toBe(formatReport(iacRuleReport(readOutput(outdir))));
  printed = '';
  expect(main(['--json', `--outdir=${outdir}`], (s) => (printed += s))).toBe(0);
  expect(JSON.parse(printed)).toEqual(iacRuleReport(readOutput(outdir)));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(main(['--outdir', path.join(outdir, 'missing')], () => undefined)).toBe(1);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('has no manifest.json: run npm run synth first');
  } finally {
    stderr.mockRestore();
  }
});

describe('against a base output (--base-dir)', () => {
  // The example as it is: the dev account in us-east-1 only, one suppression.
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-guardrail-base-'));
  afterAll(() => fs.rmSync(baseDir, { recursive: true, force: true }));
  synthesize(resolveMatrix(EXAMPLE_MATRIX), baseDir);
  const devEast = 'bedrock-logging-222222222222-us-east-1';
  const devWest = 'bedrock-logging-222222222222-eu-west-1';

  test('each suppression is added, kept or reason changed, and the base’s others are removed', () => {
    const head = iacRuleReport(readOutput(outdir));
    const base = iacRuleReport(readOutput(baseDir)).suppressions;
    expect(compareWithBase(head, base).suppressions.map((s) => [s.stack, s.change])).toEqual([
      [devWest, 'added'],
      [devEast, 'kept'],
    ]);
    expect(compareWithBase(head, base).removed).toEqual([]);
    expect(compareWithBase(head, [{ ...base[0], reason: 'an older reason, since reworded' }]).suppressions.map((s) => s.change)).toEqual([
      'added',
      'reason changed',
    ]);
    // The other way round: the eu-west-1 suppression is gone.
    const back = compareWithBase(iacRuleReport(readOutput(baseDir)), head.suppressions);
    expect([back.suppressions.map((s) => s.change), back.removed!.map((s) => [s.stack, s.rule, s.change])]).toEqual([
      ['kept'],
      [[devWest, 'CKV_AWS_338', undefined]],
    ]);
    const text = formatReport(back);
    expect(text.split('\n')[0]).toContain('(against the base: 0 added, 1 removed, 0 with another reason).');
    expect(text).toContain(`| removed | ${devWest} | \`aws_cloudwatch_log_group.invocation_logs\` | CKV_AWS_338 |`);
    expect(text).toContain(`| kept | ${devEast} |`);
  });

  test('the command takes --base-dir; a base that is no synth output fails', () => {
    let printed = '';
    expect(main(['--outdir', outdir, '--base-dir', baseDir, '--json'], (s) => (printed += s))).toBe(0);
    expect(JSON.parse(printed)).toEqual(
      compareWithBase(iacRuleReport(readOutput(outdir)), iacRuleReport(readOutput(baseDir)).suppressions),
    );
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--outdir', outdir, '--base-dir', path.join(baseDir, 'stacks')], () => undefined)).toBe(1);
    } finally {
      stderr.mockRestore();
    }
  });
});
