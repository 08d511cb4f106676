/**
 * The cdktf app: reads the environment matrix (--matrix, MATRIX_FILE, else
 * landing-zone.yaml installed, or the embedded example in the tool's checkout) and synthesizes one logging stack per account x region, with the
 * tenants' inference profiles, plus the management-account and bootstrap stacks.
 * Run it with `npm run synth [-- options]` or `npx cdktf synth|diff|deploy`.
 */
import * as os from 'os';
import { MatrixError } from './config/errors';
import { IacRuleError } from './iac-rules/error';
import { loadMatrix } from './config/load';
import { FILTER_ENV, StackFilter, filterFromEnv, isEmpty, mergeFilters, selectStacks } from './config/select';
// Neither loads cdktf: shards.ts loads it only once the matrix is valid, so bad input fails fast.
import { ROUTING_TABLE } from './stacks/outdir';
import { SHARD_MIN_STACKS, shardCount, synthesizeSharded } from './stacks/shards';
import { SYNTH_PLAIN_ENV, SynthVersionError, checkSynthVersions } from './synth/versions';
import { CliOptions, EXIT, ListName, cliOptions, defineCommand, progress } from './lib/args';

export const COMMAND = defineCommand({
  command: 'npm run synth',
  usage: '[-- options]      (or: node dist/main.js [options])',
  summary: `Synthesizes the Bedrock governance stacks of the environment matrix into cdktf.out/
(or CDKTF_OUTDIR), exactly as \`cdktf synth\` does. No AWS credentials needed.
Prints the stacks written on stdout.`,
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the JSON or YAML matrix (default: $MATRIX_FILE; installed in a\nlanding-zone repository, landing-zone.yaml; in the tool's own\ncheckout, the embedded example)",
    },
    {
      name: '--account',
      value: '<id|name>',
      repeats: true,
      help: 'only stacks of these accounts (comma-separated; "management" for the management stack)',
    },
    {
      name: '--environment',
      value: '<name>',
      repeats: true,
      help: 'only stacks of these environments (comma-separated; "management", "bootstrap" too)',
    },
    { name: '--region', value: '<code>', repeats: true, help: 'only stacks in these regions (comma-separated)' },
  ],
  env: {
    MATRIX_FILE: 'the matrix file when --matrix is not given',
    [`${FILTER_ENV.accounts}, ${FILTER_ENV.environments}, ${FILTER_ENV.regions}`]:
      'the same filters, for cdktf synth/diff/deploy (flags win)',
    CDKTF_OUTDIR: 'output directory (set by the cdktf CLI; default cdktf.out)',
    [`${SYNTH_PLAIN_ENV}=1`]: 'synthesize with stock cdktf, without the speed-ups of synth/',
  },
  exits: { failed: 'failed: an invalid matrix or stack filter, an IaC rule violation, a version mismatch; nothing is written' },
  footer: `Examples:
  npm run synth -- --environment dev
  SYNTH_ENVIRONMENTS=prod npx cdktf deploy '*'`,
});

/** The stack filter of the command line: each option may repeat and take a comma-separated list. */
function filterOf(lists: CliOptions<typeof COMMAND>['lists']): StackFilter {
  const list = (flag: ListName<typeof COMMAND>) => {
    const l = (lists[flag] ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    return l.length ? l : undefined;
  };
  return { accounts: list('--account'), environments: list('--environment'), regions: list('--region') };
}

async function main(): Promise<void> {
  const opts = cliOptions(COMMAND);
  if (!opts) return; // --help, or a usage error (exit 2) already reported
  checkSynthVersions();
  const filter = mergeFilters(filterFromEnv(process.env), filterOf(opts.lists));
  const config = selectStacks(loadMatrix(process.env, opts.values['--matrix']), filter);
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  // A long run (a sharded synth) says what it does on stderr; stdout keeps the list of stacks.
  const log = progress(config.stacks.length < SHARD_MIN_STACKS);
  log.step(
    `synthesizing ${config.stacks.length} logging stacks into ${outdir} (${shardCount(config.stacks.length, os.cpus().length)} processes)`,
  );
  const names = await synthesizeSharded(config, outdir);
  log.done(`synthesized ${names.length} stacks`);
  const profiles = config.stacks.reduce((n, s) => n + s.profiles.length, 0);
  const selected = isEmpty(filter) ? '' : ' (selected by the stack filter)';
  console.log(`Synthesized ${names.length} stack${names.length === 1 ? '' : 's'}${selected} into ${outdir}/stacks:`);
  for (const n of names) console.log(`  ${n}`);
  console.log(`Routing table of ${profiles} inference profile${profiles === 1 ? '' : 's'}: ${outdir}/${ROUTING_TABLE}`);
}

if (require.main === module)
  main().catch((e) => {
    if (e instanceof MatrixError || e instanceof IacRuleError || e instanceof SynthVersionError) {
      console.error(e.message);
      console.error('Nothing was written; the previous output is unchanged.');
      process.exitCode = EXIT.failed;
    } else {
      console.error(e);
      process.exitCode = EXIT.failed;
    }
  });
