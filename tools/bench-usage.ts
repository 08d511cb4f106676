/**
 * npm run bench:usage -- --help
 *
 * Generates a log tree of about --mb megabytes of JSON records (gzipped as
 * Bedrock writes them; default 1 GB) and prints the usage report's throughput on
 * it: wall time, records and megabytes per second, and peak memory of this process.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateLogTree } from './generate-logs';
import { usageReport } from './usage-report';
import { cliOptions, usageError } from './args';

const USAGE = `Usage: npm run bench:usage [-- --mb <n>] [--keep <dir>]

Generates a log tree of about <n> MB of JSON invocation records (gzipped as Bedrock
writes them) and prints the usage report's throughput on it: wall time, records
and megabytes per second, and peak memory.

  --mb <n>       megabytes of JSON records to generate (default 1024)
  --keep <dir>   generate the tree in <dir> and keep it (default: a temporary directory, removed)
  -h, --help     show this help
`;

async function main(mb: number, keep: string | undefined) {
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-usage-bench-'));
  try {
    console.log(`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    let t = Date.now();
    // A record with a 600-byte prompt is about 1.45 KB of JSON.
    const g = generateLogTree(dir, { records: Math.round((mb * 1e6) / 1450), perFile: 2000, days: 30, seed: 1 });
    console.log(`Generated ${g.records} records in ${g.files} files: ${(g.bytes.json / 1e6).toFixed(0)} MB of JSON, ${(g.bytes.gzip / 1e6).toFixed(0)} MB gzipped (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    t = Date.now();
    const r = await usageReport({ logs: dir });
    clearInterval(timer);
    const s = (Date.now() - t) / 1000;
    console.log(
      `Usage report: ${s.toFixed(1)} s for ${r.records} records, ${(r.records / s).toFixed(0)} records/s, ${(g.bytes.json / 1e6 / s).toFixed(0)} MB/s of JSON (${(g.bytes.gzip / 1e6 / s).toFixed(0)} MB/s gzipped), peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
    if (r.records !== g.records) throw new Error(`the report counted ${r.records} records, the tree has ${g.records}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
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
