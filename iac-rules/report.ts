/**
 * The IaC rule report of a synth output, read from the written cdk.tf.json files
 * alone: every suppression they carry (stack, resource address, rule and its
 * standards, reason), every violation of a rule, and every malformed suppression.
 * Pure: tools/checks/iac-rules.ts reads the files and prints it (npm run iac-rules).
 */
import { RULES, StackJson, checkResources, resourcesOf, suppressionProblem, writtenSuppressions } from './index';
import type { Rule } from './rule';

/** One suppression in the output. */
export interface SuppressionEntry {
  stack: string;
  /** The Terraform address, e.g. "aws_cloudwatch_log_group.invocation_logs". */
  resource: string;
  rule: string;
  /** The rule's Checkov / Trivy / Security Hub IDs. */
  standards: string[];
  reason: string;
  /** Against a base output (compareWithBase): new here, here and there alike, or there with another reason. */
  change?: 'added' | 'kept' | 'reason changed';
}

/** A rule a resource breaks, or a suppression that cannot exempt anything (an unknown rule, no reason). */
export interface ReportProblem {
  stack: string;
  resource: string;
  rule: string;
  problem: string;
}

export interface IacRuleReport {
  stacks: number;
  rules: number;
  suppressions: SuppressionEntry[];
  violations: ReportProblem[];
  /** Suppressions in the output that exempt nothing: the synth never writes these, so the output was edited. */
  malformed: ReportProblem[];
  /** Against a base output (compareWithBase): its suppressions that this output no longer carries. */
  removed?: SuppressionEntry[];
}

/** The report of synthesized stacks (name and parsed cdk.tf.json), in the order given. */
export function iacRuleReport(stacks: { name: string; tf: StackJson }[]): IacRuleReport {
  const report: IacRuleReport = { stacks: stacks.length, rules: RULES.length, suppressions: [], violations: [], malformed: [] };
  for (const { name, tf } of stacks) {
    const resources = resourcesOf(tf);
    for (const r of resources)
      for (const s of writtenSuppressions(r)) {
        const resource = `${r.type}.${r.name}`;
        const problem = suppressionProblem(s);
        if (problem) report.malformed.push({ stack: name, resource, rule: String(s.id), problem: `suppression ${problem}` });
        else
          report.suppressions.push({
            stack: name,
            resource,
            rule: String(s.id),
            standards: RULES.find((x) => x.id === s.id)!.standards,
            reason: String(s.reason),
          });
      }
    for (const v of checkResources(resources))
      report.violations.push({ stack: name, resource: v.resource, rule: v.rule.id, problem: v.problem });
  }
  return report;
}

const suppressionKey = (s: SuppressionEntry) => `${s.stack}\u0000${s.resource}\u0000${s.rule}`;

/**
 * The report with each suppression marked against the suppressions of a base
 * output (the target branch of a pull request): added, kept or reason changed;
 * and the base's suppressions this output no longer carries, as removed.
 */
export function compareWithBase(report: IacRuleReport, base: SuppressionEntry[]): IacRuleReport {
  const before = new Map(base.map((s) => [suppressionKey(s), s]));
  const here = new Set(report.suppressions.map(suppressionKey));
  return {
    ...report,
    suppressions: report.suppressions.map((s) => {
      const b = before.get(suppressionKey(s));
      return { ...s, change: !b ? 'added' : b.reason === s.reason ? 'kept' : 'reason changed' };
    }),
    removed: base.filter((s) => !here.has(suppressionKey(s))).map(({ change: _change, ...s }) => s),
  };
}

/** The output passes: no violation, no malformed suppression. */
export const reportPasses = (r: IacRuleReport): boolean => r.violations.length === 0 && r.malformed.length === 0;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report as Markdown: a summary line, then a table of suppressions and one of problems (fit for a pull-request comment). */
export function formatReport(r: IacRuleReport): string {
  const compared = r.removed !== undefined;
  const count = (c: SuppressionEntry['change']) => r.suppressions.filter((s) => s.change === c).length;
  const lines = [
    `IaC rules: ${plural(r.stacks, 'stack')} checked against ${plural(r.rules, 'rule')}: ${plural(r.violations.length, 'violation')}, ${plural(r.suppressions.length, 'suppression')}` +
      (r.malformed.length ? `, ${plural(r.malformed.length, 'malformed suppression')}` : '') +
      (compared
        ? ` (against the base: ${count('added')} added, ${r.removed!.length} removed, ${count('reason changed')} with another reason)`
        : '') +
      '.',
  ];
  if (r.suppressions.length || r.removed?.length) {
    lines.push(
      '',
      `| ${compared ? 'vs base | ' : ''}stack | resource | rule | standards | reason |`,
      `|${compared ? '---|' : ''}---|---|---|---|---|`,
    );
    const row = (s: SuppressionEntry, change?: string) =>
      `| ${compared ? `${change} | ` : ''}${s.stack} | \`${s.resource}\` | ${s.rule} | ${s.standards.join(', ')} | ${cell(s.reason)} |`;
    for (const s of r.suppressions) lines.push(row(s, s.change));
    for (const s of r.removed ?? []) lines.push(row(s, 'removed'));
  }
  const problems = [...r.violations, ...r.malformed];
  if (problems.length) {
    lines.push('', '| stack | resource | rule | problem |', '|---|---|---|---|');
    for (const p of problems) lines.push(`| ${p.stack} | \`${p.resource}\` | ${cell(p.rule)} | ${cell(p.problem)} |`);
  }
  return lines.join('\n') + '\n';
}

/** Markdown-escapes the text of a table cell: `*`, `_`, `<`, `>` and `|` stay literal. */
const escapeCell = (s: string) => s.replace(/[\\*_<>|]/g, (c) => `\\${c}`);

/** The header of docs/iac-rules.md's rule table; each row is ruleTableRow() of a file of iac-rules/rules/. */
export const RULE_TABLE_HEADER = ['| rule | file in `iac-rules/rules/` | standards | what it requires |', '|---|---|---|---|'];

/** One row of the rule table, from the rule module itself: its ID, file, standards and title. */
export function ruleTableRow(file: string, rule: Rule): string {
  return `| ${rule.id} | [\`${file}\`](../iac-rules/rules/${file}) | ${rule.standards.join(', ')} | ${escapeCell(rule.title)} |`;
}
