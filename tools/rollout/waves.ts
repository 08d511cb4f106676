/**
 * Prints the rollout waves of the matrix (MATRIX_FILE) and the command that
 * deploys each; with --json, the list the deploy workflow turns into its job
 * matrix (one job per wave, one at a time, in this order).
 * Usage: npm run waves -- --help
 */
import { MatrixError } from '../../config/errors';
import { loadMatrix } from '../../config/load';
import { pipelineJobs, rolloutWaves } from '../../config/select';
import { COMMAND_NAME_ENV, EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';

export const COMMAND = defineCommand({
  command: 'npm run waves',
  usage: '[-- options]',
  summary: `Prints the rollout waves of the matrix (--matrix, else MATRIX_FILE, else the default),
in order: bootstrap (the deploy roles, by hand), monitoring (the OAM sinks of
observability, which the logging stacks' links read), the environments in the order
of deployment.waves (default dev, staging, prod, then accounts without an
environment), and the management stack last. Each must succeed before the next.`,
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the JSON or YAML matrix (default: $MATRIX_FILE; installed in a\nlanding-zone repository, landing-zone.yaml; in the tool's own\ncheckout, the embedded example)",
    },
    {
      name: '--json',
      help: `print [{"wave": "...", "stacks": ["..."], "accounts": [...]}, ...] on one
line: the deploy workflow's job matrix (include:). accounts: the jobs
of the wave, [{"account": "", "role": ""}] (one job for all), or with
an S3 backend one per account with its GitHub OIDC role
(deployment.backend.githubRoleName, required then)`,
    },
    { name: '--exclude', value: '<waves>', help: 'leave out these waves (comma-separated), e.g. bootstrap' },
    {
      name: '--only',
      value: '<waves>',
      help: 'only these waves (comma-separated), e.g. bootstrap: the deploy\nworkflow applies the bootstrap wave before the others',
    },
  ],
  env: { MATRIX_FILE: 'the matrix file when --matrix is not given' },
  exits: { failed: 'failed: an invalid matrix, or an environment outside the waves' },
});

export function main(argv = process.argv.slice(2)): void {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const config = loadMatrix(process.env, opts.values['--matrix']);
  const all = rolloutWaves(config);
  const list = (o: '--exclude' | '--only') =>
    (opts.values[o] ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
  const exclude = list('--exclude');
  const only = list('--only');
  for (const [o, names] of [
    ['--exclude', exclude],
    ['--only', only],
  ] as const) {
    const unknown = names.filter((w) => !all.some((x) => x.wave === w) && w !== 'bootstrap' && w !== 'monitoring' && w !== 'management');
    if (unknown.length)
      return usageError(COMMAND, `${o} names no wave of this matrix: ${unknown.join(', ')} (waves: ${all.map((w) => w.wave).join(', ')})`);
  }
  const waves = all.filter((w) => !exclude.includes(w.wave) && (!only.length || only.includes(w.wave)));
  if (opts.switches.has('--json')) {
    console.log(
      JSON.stringify(waves.map((w) => ({ ...w, accounts: pipelineJobs(config, w.stacks, opts.values['--matrix'] ?? 'matrix') }))),
    );
    return;
  }
  console.log('Rollout waves, in order (each must succeed before the next):');
  waves.forEach((w, i) => {
    console.log(`\n${i + 1}. ${w.wave}: ${deployWaveCommand(w.wave, opts.values['--matrix'])}`);
    for (const s of w.stacks) console.log(`     ${s}`);
  });
}

/**
 * The command that deploys a wave, as it runs where this one runs: under the one CLI
 * (a landing-zone repository, whose package.json names the script deploy-wave)
 * `npx bedrock-governance deploy-wave`, in the tool's checkout `npm run deploy:wave --`.
 */
export function deployWaveCommand(wave: string, matrix: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const cli = env[COMMAND_NAME_ENV]?.split(' ')[0];
  const flag = matrix ? ` --matrix ${/^[\w./@:-]+$/.test(matrix) ? matrix : `'${matrix.replace(/'/g, `'\\''`)}'`}` : '';
  return cli ? `npx ${cli} deploy-wave ${wave}${flag}` : `npm run deploy:wave -- ${wave}${flag}`;
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof MatrixError ? e.message : e);
    process.exitCode = EXIT.failed;
  }
}
