/**
 * Checks a synth output against the IaC rules and lists every suppression it
 * carries, from the cdk.tf.json files alone (docs/iac-rules.md).
 * Usage: npm run iac-rules -- --help
 */
import * as fs from 'fs';
import * as path from 'path';
import type { StackJson } from '../../iac-rules';
import { compareWithBase, formatReport, iacRuleReport, reportPasses, type IacRuleReport } from '../../iac-rules/report';
import { EXIT, cliOptions, defineCommand, namedAsRun } from '../../lib/args';

export const COMMAND = defineCommand({
  command: 'npm run iac-rules',
  usage: '[-- options]',
  summary: `Reads a synth output (every stack in its manifest.json, each cdk.tf.json) and
prints the IaC rule report: every suppression it carries (stack, resource
address, rule with its Checkov / Security Hub IDs, reason), then any resource that
breaks a rule and any suppression that cannot exempt it (an unknown rule, no
reason). Suppressions are read from the resources' "//" blocks, where suppress()
writes them, so the report shows what the output holds (docs/iac-rules.md).
A suppression changes no Terraform plan, so the plan review does not show it:
--base-dir compares the suppressions with those of another output.`,
  options: [
    { name: '--outdir', value: '<dir>', help: 'the synth output to read (default CDKTF_OUTDIR, or cdktf.out)' },
    {
      name: '--base-dir',
      value: '<dir>',
      help: "another synth output (the target branch of a pull request): mark each\nsuppression added, kept or reason changed, and list the base's removed ones",
    },
    {
      name: '--json',
      help: 'print the report as JSON ({"stacks", "rules", "suppressions",\n"violations", "malformed", with --base-dir "removed"}) instead of Markdown',
    },
  ],
  env: { CDKTF_OUTDIR: 'the synth output to read when --outdir is not given' },
  exits: {
    ok: 'every stack passes (suppressions are listed, not failures)',
    failed: 'a violation, a malformed suppression, or no synth output to read',
  },
});

/** The stacks of a synth output, by name (sorted), each with its parsed cdk.tf.json. */
export function readOutput(outdir: string): { name: string; tf: StackJson }[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(namedAsRun(`${outdir} has no manifest.json: run npm run synth first`));
  const manifest: { stacks: Record<string, { synthesizedStackPath: string }> } = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  return Object.keys(manifest.stacks)
    .sort()
    .map((name) => ({ name, tf: JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[name].synthesizedStackPath), 'utf8')) }));
}

/** Runs the command and returns its exit code; undefined after --help or a usage error (cliOptions set the code). */
export function main(argv = process.argv.slice(2), out: (s: string) => void = (s) => process.stdout.write(s)): number | undefined {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return undefined;
  let report: IacRuleReport;
  try {
    report = iacRuleReport(readOutput(opts.values['--outdir'] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out'));
    const baseDir = opts.values['--base-dir'];
    if (baseDir !== undefined) report = compareWithBase(report, iacRuleReport(readOutput(baseDir)).suppressions);
  } catch (e) {
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
  out(opts.switches.has('--json') ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  return reportPasses(report) ? EXIT.ok : EXIT.failed;
}

if (require.main === module) {
  const code = main();
  if (code !== undefined) process.exitCode = code;
}
