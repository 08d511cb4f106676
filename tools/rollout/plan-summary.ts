/**
 * The plans of some synthesized stacks, summarized for the pull request's review
 * comment: `terraform plan` of each against its backend (Terraform Cloud or S3,
 * with the credentials of the job), and a summary per stack (adds, changes,
 * destroys, forgets, replaced and destroyed addresses) as <dir>/<stack>.json. The
 * plans themselves are not kept: a pull request applies nothing, and the
 * summaries hold no attribute values.
 * Usage: npm run plan-summary -- --help
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';
import { PLAN_FILE, planStacks } from './saved-plans';

export const COMMAND = defineCommand({
  command: 'npm run plan-summary',
  usage: '-- <stack>... --out <dir> [options]',
  summary: `Plans the named stacks of the synth output (run synth first) with terraform plan
against their backend, and writes a summary per stack, <dir>/<stack>.json (adds,
changes, destroys, forgets, the addresses replaced or destroyed): the second
section of the pull request's review comment. Terraform prints each plan. Keeps
no plan and applies nothing.`,
  positionals: [{ name: '<stack>...', help: 'the stacks to plan (changed-stacks lists them)' }],
  options: [
    { name: '--out', value: '<dir>', help: 'where the summaries go (required)' },
    {
      name: '--offline',
      help: 'plan with dummy credentials and a scratch local state from the\nlocal provider mirror (a rehearsal: not what AWS has)',
    },
  ],
  env: {
    CDKTF_OUTDIR: 'the synth output (default cdktf.out)',
    TF_PLUGIN_MIRROR: 'with --offline: the local provider mirror (default: a tf-plugins\nfolder at most two levels below /)',
  },
  exits: { failed: 'failed: a stack is not synthesized, or terraform failed' },
});

export async function main(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const out = opts.values['--out'];
  if (!out) return usageError(COMMAND, '--out <dir> is required: where the summaries go');
  const stacks = opts.positionals.flatMap((s) => s.split(/\s+/)).filter(Boolean);
  if (!stacks.length) return usageError(COMMAND, '<stack> is missing: the stacks to plan (changed-stacks lists them)');
  const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-plan-summary-'));
  try {
    const summaries = await planStacks(
      stacks,
      (s) => path.join(scratch, s, PLAN_FILE),
      (s) => path.join(outdir, 'stacks', s),
      opts.switches.has('--offline'),
      env,
    );
    fs.mkdirSync(out, { recursive: true });
    for (const s of summaries) fs.writeFileSync(path.join(out, `${s.stack}.json`), JSON.stringify(s, null, 2) + '\n');
    console.log(`Plan summaries of ${summaries.length} stack${summaries.length === 1 ? '' : 's'} in ${out}.`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`Error: ${(e as Error).message}`);
    process.exitCode = EXIT.failed;
  });
}
