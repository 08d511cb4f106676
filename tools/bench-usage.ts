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
import { LOG_ACCOUNT, LOG_TENANTS, generateLogTree, profileOutputs } from './generate-logs';
import { UsageReportInput, loadMatrixPrices, loadProfiles, usageReport } from './usage-report';
import { cliOptions, usageError } from './args';

const USAGE = `Usage: npm run bench:usage [-- --mb <n>] [--keep <dir>]

Generates a log tree of about <n> MB of JSON invocation records (gzipped as Bedrock
writes them) and prints the usage report's throughput on it, plain and with
--profiles and --matrix, in the same run: wall time, records and megabytes per
second, and peak memory.

  --mb <n>       megabytes of JSON records to generate (default 1024)
  --keep <dir>   generate the tree in <dir>/logs and keep it (default: a temporary directory, removed)
  -h, --help     show this help
`;

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
      { model: 'haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: 1.25, cacheReadPerMillionUsd: 0.03, cacheWritePerMillionUsd: 0.3, validFrom: '2024-03-01', validTo: '2026-11-15' },
      { model: 'haiku', inputPerMillionUsd: 0.2, outputPerMillionUsd: 1.1, cacheReadPerMillionUsd: 0.02, cacheWritePerMillionUsd: 0.25, validFrom: '2026-11-15' },
      { model: 'nova-lite', inputPerMillionUsd: 0.06, outputPerMillionUsd: 0.24, cacheReadPerMillionUsd: 0.015, cacheWritePerMillionUsd: 0.07, validFrom: '2024-12-01' },
    ],
  };
}

/** Runs the report once; wall time and the peak RSS while it ran. */
async function measure(input: UsageReportInput) {
  // Start from what is left after the previous run, not from its peak.
  (global as any).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = Date.now();
  const report = await usageReport(input);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { report, seconds: (Date.now() - t) / 1000, peak };
}

async function main(mb: number, keep: string | undefined) {
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-bench-'));
  const side = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-bench-inputs-'));
  try {
    console.log(`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    const t = Date.now();
    // A record with a 600-byte prompt is about 1.45 KB of JSON.
    const g = generateLogTree(path.join(dir, 'logs'), { records: Math.round((mb * 1e6) / 1450), perFile: 2000, days: 30, seed: 1 });
    console.log(`Generated ${g.records} records in ${g.files} files: ${(g.bytes.json / 1e6).toFixed(0)} MB of JSON, ${(g.bytes.gzip / 1e6).toFixed(0)} MB gzipped (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    const profilesFile = path.join(side, 'outputs.json');
    fs.writeFileSync(profilesFile, JSON.stringify(profileOutputs()));
    const matrixFile = path.join(side, 'matrix.json');
    fs.writeFileSync(matrixFile, JSON.stringify(benchMatrix()));

    const runs: [string, UsageReportInput][] = [
      ['plain (no --profiles, no prices)', { logs: path.join(dir, 'logs') }],
      ['--profiles and --matrix', { logs: path.join(dir, 'logs'), profiles: loadProfiles(profilesFile), matrix: loadMatrixPrices(matrixFile) }],
    ];
    for (const [label, input] of runs) {
      const { report, seconds: s, peak } = await measure(input);
      if (report.records !== g.records) throw new Error(`the report counted ${report.records} records, the tree has ${g.records}`);
      console.log(
        `Usage report, ${label}: ${s.toFixed(1)} s for ${report.records} records, ${(report.records / s).toFixed(0)} records/s, ${(g.bytes.json / 1e6 / s).toFixed(0)} MB/s of JSON (${(g.bytes.gzip / 1e6 / s).toFixed(0)} MB/s gzipped), peak RSS ${(peak / 2 ** 20).toFixed(0)} MB` +
          (input.profiles ? `; ${report.profileRecords} records through profiles, ${report.rows.filter((r) => r.estimatedCostUsd !== undefined).length} of ${report.rows.length} rows priced` : ''),
      );
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(side, { recursive: true, force: true });
  }
}

const opts = cliOptions(USAGE, { values: ['--mb', '--keep'] });
const mb = Number(opts?.values['--mb'] ?? 1024);
if (opts && !(mb > 0)) {
  usageError(USAGE, `--mb takes a number of megabytes above 0, not "${opts.values['--mb']}"`);
} else if (opts) {
  main(mb, opts.values['--keep']).catch((e) => {
    console.error(`Error: ${e.message}`);
    process.exitCode = 1;
  });
}
