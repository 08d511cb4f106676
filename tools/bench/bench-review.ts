/**
 * npm run bench:review -- --help
 *
 * The plan review at landing-zone scale: a generated landing zone (25 tenants x 2
 * models in every stack) in which one intent changes every stack (a log retention
 * cut, 731 -> 1 days). Prints wall time and peak memory of `npm run review` (the
 * static review of every stack), and of `--plan` on a tree of 10 changed stacks.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { generateMatrix } from './generate-matrix';
import { projectRoot } from '../../lib/terraform';
import { treeRssKb } from './tree-rss';
import {
  BENCH_DOC,
  BENCH_WRITE_OPTIONS,
  benchWriteTarget,
  BENCH_PARENT_ENV,
  benchCommand,
  benchHost,
  hostLine,
  markdownTable,
  writeBenchSection,
} from './bench-doc';

export const COMMAND = defineCommand({
  command: 'npm run bench:review',
  usage: '[-- --stacks <n>] [--plan-stacks <m>] [--no-plan] [--write [--doc <file>]]',
  summary: `Generates a landing zone of <n> logging stacks (25 tenants x 2 models each), and the
same with every stack's log retention cut from 731 to 1 days, synthesizes both, and
prints wall time and peak memory (the whole process tree, terraform included) of the
static review of all stacks and of --plan on <m> changed stacks. With --write, the
figures, with the date, host, load average and command, replace the review section of
docs/benchmarks.md; without it, nothing is written.
The figures go to stdout, progress to stderr.`,
  options: [
    { name: '--stacks', value: '<n>', help: 'logging stacks (default 400)' },
    { name: '--plan-stacks', value: '<m>', help: 'changed stacks for --plan (default 10)' },
    { name: '--no-plan', help: 'skip the --plan measurement' },
    ...BENCH_WRITE_OPTIONS,
  ],
  env: { TF_PLUGIN_MIRROR: 'for --plan: the local provider mirror (default: a tf-plugins folder near /)' },
  exits: { failed: 'failed: a synthesis failed, or a review did not exit 3 as it should' },
});

/** Runs node with a script, sampling the memory of its process tree every 50 ms; resolves with the exit code. */
function measure(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; peakMb: number; code: number; stderr: string }> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: projectRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMb: peak / 1024, code: code ?? 1, stderr });
    });
  });
}

const dist = (...p: string[]) => path.join(projectRoot(), 'dist', ...p);

async function synth(matrix: object, scratch: string, name: string): Promise<string> {
  const file = path.join(scratch, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(matrix));
  const out = path.join(scratch, name);
  const r = await measure([dist('main.js')], {
    MATRIX_FILE: file,
    CDKTF_OUTDIR: out,
    SYNTH_ACCOUNTS: '',
    SYNTH_ENVIRONMENTS: '',
    SYNTH_REGIONS: '',
  });
  if (r.code !== 0) throw new Error(`synthesis of ${name} failed:\n${r.stderr}`);
  return out;
}

/** A tree of the first `n` logging stacks of a synth output. */
function subset(tree: string, names: string[], dir: string): string {
  fs.mkdirSync(path.join(dir, 'stacks'), { recursive: true });
  fs.copyFileSync(path.join(tree, 'manifest.json'), path.join(dir, 'manifest.json'));
  for (const n of names) fs.cpSync(path.join(tree, 'stacks', n), path.join(dir, 'stacks', n), { recursive: true });
  return dir;
}

async function main(stacks: number, planStacks: number, plan: boolean, write: string | undefined) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-bench-review-'));
  const host = benchHost();
  const date = new Date().toISOString();
  const rows: string[][] = [];
  try {
    console.log(hostLine(host));
    const log = progress();
    const m = generateMatrix(stacks);
    log.step(`synthesizing the base and the head, ${stacks} logging stacks each`);
    const base = await synth({ ...m, logging: { logRetentionDays: 731 } }, scratch, 'base');
    const head = await synth({ ...m, logging: { logRetentionDays: 1 } }, scratch, 'head');
    console.log(
      `Landing zone: ${stacks} logging stacks + the management stack, 50 profiles each; the head cuts log retention 731 -> 1 days in every logging stack`,
    );

    const out = path.join(scratch, 'out');
    log.step(`static review of ${stacks + 1} stacks`);
    const r = await measure([dist('review', 'cli.js'), '--base-dir', base, '--head-dir', head, '--out', out]);
    if (r.code !== 3) throw new Error(`the review should find dangerous changes (exit 3), it exited ${r.code}:\n${r.stderr}`);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
    const md = fs.readFileSync(path.join(out, 'review.md'), 'utf8');
    const result = `${json.dangerous} dangerous changes in ${json.groups.length} cause group(s); review.md ${md.length.toLocaleString('en-US')} characters${md.includes('This comment is shortened') ? ' (shortened, the rest in review.json)' : ''}, review.json ${(fs.statSync(path.join(out, 'review.json')).size / 1e6).toFixed(1)} MB`;
    console.log(`Static review of ${json.stacks.length} stacks: ${r.seconds.toFixed(2)} s, peak ${r.peakMb.toFixed(0)} MB; ${result}`);
    rows.push([`static, ${json.stacks.length} stacks`, `${r.seconds.toFixed(2)} s`, `${r.peakMb.toFixed(0)} MB`, result]);

    if (plan) {
      const names = fs
        .readdirSync(path.join(base, 'stacks'))
        .filter((n) => n.startsWith('bedrock-logging-'))
        .sort()
        .slice(0, planStacks);
      const b = subset(base, names, path.join(scratch, 'plan-base'));
      const h = subset(head, names, path.join(scratch, 'plan-head'));
      log.step(`--plan on ${names.length} changed stacks`);
      const p = await measure([
        dist('review', 'cli.js'),
        '--base-dir',
        b,
        '--head-dir',
        h,
        '--out',
        path.join(scratch, 'plan-out'),
        '--plan',
      ]);
      if (p.code !== 3) throw new Error(`the --plan review should find dangerous changes (exit 3), it exited ${p.code}:\n${p.stderr}`);
      const pj = JSON.parse(fs.readFileSync(path.join(scratch, 'plan-out', 'review.json'), 'utf8'));
      // review.json's stacks[].plan: the --plan line of each stack (tools/ sits below review/, so no import of its types).
      const planLine = (s: unknown) => (s !== null && typeof s === 'object' && 'plan' in s && typeof s.plan === 'string' ? s.plan : '');
      const rounds = (Array.isArray(pj.stacks) ? (pj.stacks as unknown[]) : [])
        .map((s) => /converged in (\d+) rounds?/.exec(planLine(s))?.[1])
        .join(', ');
      console.log(
        `--plan on ${names.length} changed stacks (${os.cpus().length} at a time): ${p.seconds.toFixed(1)} s, ${(p.seconds / names.length).toFixed(1)} s per stack, peak ${p.peakMb.toFixed(0)} MB (terraform and the provider included); rounds to converge per stack: ${rounds}`,
      );
      rows.push([
        `\`--plan\`, ${names.length} changed stacks, ${os.cpus().length} at a time`,
        `${p.seconds.toFixed(1)} s, ${(p.seconds / names.length).toFixed(1)} s per stack`,
        `${p.peakMb.toFixed(0)} MB (terraform and the provider included)`,
        `rounds to converge per stack: ${rounds}`,
      ]);
    }
    const table = { header: ['review', 'wall time', 'peak memory', 'result'], rows };
    console.log(`\n${markdownTable(table.header, table.rows)}`);
    if (write) {
      const file = writeBenchSection(write, {
        id: 'review',
        title: 'Plan review (`npm run bench:review`)',
        command: benchCommand('bench:review', process.argv.slice(2), path.join(projectRoot(), BENCH_DOC)),
        runBy: process.env[BENCH_PARENT_ENV],
        date,
        host,
        loadAtEnd: os.loadavg()[0],
        intro:
          `A generated landing zone of ${stacks} logging stacks (25 tenants x 2 models each) plus the management stack, and the same landing zone with log retention cut from 731 to 1 days in every logging stack (one intent that changes every stack), both synthesized, then reviewed: ` +
          'wall time and peak memory of the whole process tree. What the review does and why `--plan` costs more: [review.md](review.md).',
        table,
        figures: [],
      });
      console.log(`Wrote the review section of ${file}`);
    }
    log.done('benchmarks done');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const opts = require.main === module ? cliOptions(COMMAND) : undefined;
const stacks = Number(opts?.values['--stacks'] ?? 400);
const planStacks = Number(opts?.values['--plan-stacks'] ?? 10);
if (opts && !(Number.isInteger(stacks) && stacks > 0 && Number.isInteger(planStacks) && planStacks > 0 && planStacks <= stacks)) {
  usageError(COMMAND, '--stacks and --plan-stacks take whole numbers above 0, --plan-stacks at most --stacks');
} else if (opts && benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error) {
  usageError(COMMAND, benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error!);
} else if (opts) {
  const write = benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).file;
  main(stacks, planStacks, !opts.switches.has('--no-plan'), write).catch((e) => {
    console.error(`Error: ${e.message}`);
    process.exitCode = EXIT.failed;
  });
}
