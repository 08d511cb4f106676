/**
 * npm run bench:usage -- --help
 *
 * Generates a log tree of about --mb megabytes of JSON records (gzipped as
 * Bedrock writes them; default 1 GB; 80 % of the records through tenant profiles)
 * and prints the usage report's throughput on it, in the same run, for
 *  - the plain report (no prices, tenants from requestMetadata), as before --profiles existed, and
 *  - the report with --profiles (terraform output -json of the profiles) and --matrix (rate card):
 * wall time, records and megabytes per second, and the peak memory of this process
 * (DuckDB runs in it) during each.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOG_ACCOUNT, LOG_TENANTS, generateLogTree, profileOutputs } from '../usage/generate-logs';
import { UsageReportInput, loadMatrixPrices, loadProfiles, usageReport } from '../usage/usage-report';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { BENCH_DOC, BENCH_WRITE_OPTIONS, benchWriteTarget, benchCommand, benchHost, hostLine, writeBenchSection } from './bench-doc';
import { projectRoot } from '../../lib/terraform';

export const COMMAND = defineCommand({
  command: 'npm run bench:usage',
  usage: '[-- --mb <n>] [--keep <dir>] [--write [--doc <file>]]',
  summary: `Generates a log tree of about <n> MB of JSON invocation records (gzipped as Bedrock
writes them) and prints the usage report's throughput on it, plain and with
--profiles and --matrix, in the same run: wall time, records and megabytes per
second, and peak memory. With --write, the figures, with the date, host, load average
and command, replace the usage section of docs/benchmarks.md; without it, nothing is
written. The figures go to stdout, progress to stderr.`,
  options: [
    { name: '--mb', value: '<n>', help: 'megabytes of JSON records to generate (default 1024)' },
    { name: '--keep', value: '<dir>', help: 'generate the tree in <dir>/logs and keep it (default: a temporary directory, removed)' },
    ...BENCH_WRITE_OPTIONS,
  ],
  exits: { failed: 'failed: the report counted other records than the generator wrote, or a run failed' },
});

/** A matrix with the generator's models and tenants and a rate card, as a user would write it. */
function benchMatrix(): object {
  return {
    accounts: [{ id: LOG_ACCOUNT, regions: ['us-east-1'] }],
    models: [
      { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
      { alias: 'nova-lite', source: 'amazon.nova-lite-v1:0', crossRegion: true },
    ],
    tenants: LOG_TENANTS.map((id) => ({ id })),
    rateCard: [
      {
        model: 'haiku',
        inputPerMillionUsd: 0.25,
        outputPerMillionUsd: 1.25,
        cacheReadPerMillionUsd: 0.03,
        cacheWritePerMillionUsd: 0.3,
        validFrom: '2024-03-01',
        validTo: '2026-11-15',
      },
      {
        model: 'haiku',
        inputPerMillionUsd: 0.2,
        outputPerMillionUsd: 1.1,
        cacheReadPerMillionUsd: 0.02,
        cacheWritePerMillionUsd: 0.25,
        validFrom: '2026-11-15',
      },
      {
        model: 'nova-lite',
        inputPerMillionUsd: 0.06,
        outputPerMillionUsd: 0.24,
        cacheReadPerMillionUsd: 0.015,
        cacheWritePerMillionUsd: 0.07,
        validFrom: '2024-12-01',
      },
    ],
  };
}

/** Runs the report once; wall time and the peak RSS while it ran. */
async function measure(input: UsageReportInput) {
  // Start from what is left after the previous run, not from its peak.
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = Date.now();
  const report = await usageReport(input);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { report, seconds: (Date.now() - t) / 1000, peak };
}

async function main(mb: number, keep: string | undefined, write: string | undefined) {
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-bench-'));
  const side = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-bench-inputs-'));
  const host = benchHost();
  const date = new Date().toISOString();
  const rows: string[][] = [];
  try {
    console.log(hostLine(host));
    const log = progress();
    log.step(`generating about ${mb} MB of JSON records in ${path.join(dir, 'logs')}`);
    const t = Date.now();
    // A record with a 600-byte prompt is about 1.45 KB of JSON.
    const g = generateLogTree(path.join(dir, 'logs'), { records: Math.round((mb * 1e6) / 1450), perFile: 2000, days: 30, seed: 1 });
    const tree = `${g.records.toLocaleString('en-US')} records in ${g.files} files: ${(g.bytes.json / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} MB of JSON, ${(g.bytes.gzip / 1e6).toFixed(0)} MB gzipped`;
    console.log(`Generated ${tree} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    const profilesFile = path.join(side, 'outputs.json');
    fs.writeFileSync(profilesFile, JSON.stringify(profileOutputs()));
    const matrixFile = path.join(side, 'matrix.json');
    fs.writeFileSync(matrixFile, JSON.stringify(benchMatrix()));

    const runs: [string, UsageReportInput][] = [
      ['plain (no --profiles, no prices)', { logs: path.join(dir, 'logs') }],
      [
        '--profiles and --matrix',
        { logs: path.join(dir, 'logs'), profiles: loadProfiles(profilesFile), matrix: loadMatrixPrices(matrixFile) },
      ],
    ];
    for (const [label, input] of runs) {
      log.step(`usage report, ${label}`);
      const { report, seconds: s, peak } = await measure(input);
      if (report.records !== g.records) throw new Error(`the report counted ${report.records} records, the tree has ${g.records}`);
      const priced = input.profiles
        ? `${report.profileRecords} records through profiles, ${report.rows.filter((r) => r.estimatedCostUsd !== undefined).length} of ${report.rows.length} rows priced`
        : '';
      console.log(
        `Usage report, ${label}: ${s.toFixed(1)} s for ${report.records} records, ${(report.records / s).toFixed(0)} records/s, ${(g.bytes.json / 1e6 / s).toFixed(0)} MB/s of JSON (${(g.bytes.gzip / 1e6 / s).toFixed(0)} MB/s gzipped), peak RSS ${(peak / 2 ** 20).toFixed(0)} MB` +
          (priced ? `; ${priced}` : ''),
      );
      rows.push([
        label,
        `${s.toFixed(1)} s`,
        (report.records / s).toLocaleString('en-US', { maximumFractionDigits: 0 }),
        (g.bytes.json / 1e6 / s).toFixed(0),
        `${(peak / 2 ** 20).toFixed(0)} MB`,
        priced || '-',
      ]);
    }
    if (write) {
      const file = writeBenchSection(write, {
        id: 'usage',
        title: 'Usage report (`npm run bench:usage`)',
        command: benchCommand('bench:usage', process.argv.slice(2), path.join(projectRoot(), BENCH_DOC)),
        date,
        host,
        loadAtEnd: os.loadavg()[0],
        intro:
          `A generated log tree of ${tree} (gzipped JSON lines as Bedrock writes them, 80 % of the records through tenant profiles), read by the usage report twice in the same run: ` +
          'plain (no prices, tenants from `requestMetadata`) and with `--profiles` and `--matrix` (profile traffic mapped to its tenant and priced from the rate card). ' +
          'Peak memory is the resident memory of the one process (DuckDB runs in it).',
        table: { header: ['report', 'wall time', 'records/s', 'MB/s of JSON', 'peak RSS', 'priced'], rows },
        figures: [],
      });
      console.log(`Wrote the usage section of ${file}`);
    }
    log.done('benchmarks done');
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(side, { recursive: true, force: true });
  }
}

const opts = require.main === module ? cliOptions(COMMAND) : undefined;
const mb = Number(opts?.values['--mb'] ?? 1024);
if (opts && !(mb > 0)) {
  usageError(COMMAND, `--mb takes a number of megabytes above 0, not "${opts.values['--mb']}"`);
} else if (opts && benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error) {
  usageError(COMMAND, benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).error!);
} else if (opts) {
  const write = benchWriteTarget(opts.switches.has('--write'), opts.values['--doc'], projectRoot()).file;
  main(mb, opts.values['--keep'], write).catch((e) => {
    console.error(`Error: ${e.message}`);
    process.exitCode = EXIT.failed;
  });
}
