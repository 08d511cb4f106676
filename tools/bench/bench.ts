/**
 * npm run bench -- --help
 *
 * For generated landing zones (25 tenants x 2 models in every stack) of each size,
 * prints synth wall time, peak memory of the whole process tree (synth workers
 * included) and output size, for `npm run synth` and for the plain cdktf pattern
 * (`cdktf synth` running the app with ts-node, type-checking at synth time), with
 * our speed-up from the same run. Also times a selective synth of one stack in the
 * largest matrix and, with --verify, the batched Terraform verification.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateMatrix } from './generate-matrix';
import { projectRoot } from '../../lib/terraform';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { treeRssKb } from './tree-rss';
import {
  BENCH_DOC,
  BENCH_WRITE_OPTIONS,
  benchWriteTarget,
  BENCH_PARENT_ENV,
  BenchSection,
  benchCommand,
  benchHost,
  hostLine,
  markdownTable,
  writeBenchSection,
} from './bench-doc';

interface Measure {
  seconds: number;
  peakMb: number;
  outputMb?: number;
}

function dirMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : (bytes += fs.statSync(path.join(d, e.name)).size)));
  if (fs.existsSync(dir)) walk(dir);
  return bytes / 1e6;
}

/** Runs a command, sampling the memory of its process tree every 20 ms. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, outdir?: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: projectRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed:\n${stderr}`));
      else resolve({ seconds, peakMb: peak / 1024, outputMb: outdir ? dirMb(outdir) : undefined });
    });
  });
}

export const COMMAND = defineCommand({
  command: 'npm run bench',
  usage: '[-- --sizes <n,n,...>] [--no-plain] [--verify] [--no-review] [--write [--doc <file>]]',
  summary: `Generates landing-zone matrices (25 tenants x 2 models in every stack) and prints,
for each size, synth wall time, peak memory of the process tree and output size, for
npm run synth and for the plain cdktf pattern (cdktf synth with ts-node), then the
selective synth of one stack of the largest matrix, and the plan review of the
largest matrix with a log retention cut in every stack (static, and --plan on 10
changed stacks). With --write, the figures, with the date, host, load average and
command, replace the synth section (and bench:review's the review section) of
docs/benchmarks.md; without it, nothing is written.
The figures go to stdout, progress (each run as it starts) to stderr.`,
  options: [
    { name: '--sizes', value: '<n,n,...>', help: 'logging stacks per matrix (default 1,10,100,400)' },
    { name: '--no-plain', help: 'skip the plain cdktf pattern' },
    { name: '--verify', help: 'also time npm run verify on the largest matrix' },
    {
      name: '--no-review',
      help: 'skip the plan review of the largest matrix (npm run bench:review:\nthe static review of every stack, and --plan on 10 changed stacks)',
    },
    ...BENCH_WRITE_OPTIONS,
  ],
  exits: { failed: 'failed: a measured run failed' },
});

async function main(opts: { sizes: number[]; plain: boolean; verify: boolean; review: boolean; write?: string }) {
  const { sizes, plain } = opts;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-bench-'));
  const env = { CHECKPOINT_DISABLE: '1', SYNTH_ACCOUNTS: '', SYNTH_ENVIRONMENTS: '', SYNTH_REGIONS: '' };
  const host = benchHost();
  const date = new Date().toISOString();
  const command = benchCommand('bench', process.argv.slice(2), path.join(projectRoot(), BENCH_DOC));
  const figures: string[] = [];
  console.log(hostLine(host));
  console.log('Matrices: 25 tenants x 2 models in every stack (tools/bench/generate-matrix.ts)\n');
  const header = [
    'stacks',
    'profiles',
    'npm run synth',
    'peak MB',
    'output MB',
    ...(plain ? ['cdktf synth + ts-node', 'peak MB', 'speed-up'] : []),
  ];
  const rows: string[][] = [];
  const log = progress();
  try {
    // The first npm run synth builds dist/ if needed; do it outside the measurements.
    await measure('npm', ['run', '--silent', 'build'], env);
    let largest = '';
    for (const size of sizes) {
      const matrix = path.join(scratch, `m${size}.json`);
      const m = generateMatrix(size);
      fs.writeFileSync(matrix, JSON.stringify(m));
      largest = matrix;
      const stacks = size + 1; // and the management stack
      const ours = path.join(scratch, `ours-${size}`);
      log.step(`${stacks} stacks: npm run synth`);
      const a = await measure('npm', ['run', '--silent', 'synth'], { ...env, MATRIX_FILE: matrix, CDKTF_OUTDIR: ours }, ours);
      const row = [String(stacks), String(size * 50), `${a.seconds.toFixed(2)} s`, a.peakMb.toFixed(0), a.outputMb!.toFixed(1)];
      if (plain) {
        const theirs = path.join(scratch, `plain-${size}`);
        log.step(`${stacks} stacks: cdktf synth with ts-node`);
        const b = await measure(
          'npx',
          ['cdktf', 'synth', '--app', 'npx ts-node main.ts', '--output', theirs],
          { ...env, MATRIX_FILE: matrix },
          theirs,
        );
        row.push(`${b.seconds.toFixed(2)} s`, b.peakMb.toFixed(0), `${(b.seconds / a.seconds).toFixed(1)}x`);
        fs.rmSync(theirs, { recursive: true, force: true });
      }
      fs.rmSync(ours, { recursive: true, force: true });
      rows.push(row);
      console.log(row.join('  '));
    }
    console.log(`\n${markdownTable(header, rows)}\n`);

    const one = path.join(scratch, 'one');
    const s = await measure(
      'npm',
      ['run', '--silent', 'synth', '--', '--account', 'account-0', '--region', 'us-east-1'],
      { ...env, MATRIX_FILE: largest, CDKTF_OUTDIR: one },
      one,
    );
    figures.push(
      `Selective synth of one stack of the ${sizes.at(-1)}-stack matrix (\`--account account-0 --region us-east-1\`): ${s.seconds.toFixed(2)} s, peak ${s.peakMb.toFixed(0)} MB`,
    );
    console.log(figures.at(-1));

    if (opts.review) {
      // The plan review of the largest landing zone with one intent changing every stack (tools/bench/bench-review.ts).
      console.log('');
      const write = opts.write ? ['--write', '--doc', opts.write] : [];
      log.step(`the plan review of ${sizes.at(-1)} stacks (npm run bench:review)`);
      const r = spawnSync(
        process.execPath,
        [path.join(projectRoot(), 'dist', 'tools', 'bench', 'bench-review.js'), '--stacks', String(sizes.at(-1)), ...write],
        {
          stdio: 'inherit',
          env: { ...process.env, [BENCH_PARENT_ENV]: command },
        },
      );
      if (r.status !== 0) throw new Error('the review benchmark failed');
    }

    if (opts.verify) {
      const out = path.join(scratch, 'verify');
      await measure('npm', ['run', '--silent', 'synth'], { ...env, MATRIX_FILE: largest, CDKTF_OUTDIR: out });
      log.step(`npm run verify of ${sizes.at(-1)} stacks`);
      const v = await measure('npm', ['run', '--silent', 'verify', '--', '--outdir', out], env);
      figures.push(
        `Terraform verification (\`npm run verify\`) of the ${sizes.at(-1)}-stack matrix: ${v.seconds.toFixed(1)} s, peak ${v.peakMb.toFixed(0)} MB`,
      );
      console.log(figures.at(-1));
    }
    if (opts.write) {
      const section: BenchSection = {
        id: 'synth',
        title: 'Synthesis (`npm run bench`)',
        command,
        date,
        host,
        loadAtEnd: os.loadavg()[0],
        intro:
          'Generated landing zones (25 tenants x 2 models in every stack, [`tools/bench/generate-matrix.ts`](../tools/bench/generate-matrix.ts)) plus the management stack, ' +
          'synthesized by `npm run synth` and' +
          (plain
            ? ' by the plain cdktf pattern (`cdktf synth` running this app with ts-node, which type-checks at every synth and runs in one process) in the same run'
            : ' (the plain cdktf pattern skipped, `--no-plain`)') +
          ': wall time, peak memory of the whole process tree (synth workers included) and output size.',
        table: { header, rows },
        figures,
      };
      console.log(`Wrote the synth section of ${writeBenchSection(opts.write, section)}`);
    }
    log.done('benchmarks done');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const opts = require.main === module ? cliOptions(COMMAND) : undefined;
const sizes = (opts?.values['--sizes'] ?? '1,10,100,400').split(',').map(Number);
if (opts && !sizes.every((n) => Number.isInteger(n) && n > 0)) {
  usageError(COMMAND, `--sizes takes whole numbers of stacks above 0, comma-separated, not "${opts.values['--sizes']}"`);
} else if (opts && benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error) {
  usageError(COMMAND, benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error!);
} else if (opts) {
  const write = benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).file;
  main({
    sizes,
    plain: !opts.switches.has('--no-plain'),
    verify: opts.switches.has('--verify'),
    review: !opts.switches.has('--no-review'),
    write,
  }).catch((e) => {
    console.error(`Error: ${e.message}`);
    process.exitCode = EXIT.failed;
  });
}
