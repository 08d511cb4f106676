/**
 * docs/benchmarks.md: the measured figures of `npm run bench`, `npm run bench:review`
 * and `npm run bench:usage`. Each script (re)writes its own section, between
 * `<!-- bench:<id> -->` and `<!-- /bench:<id> -->`, and leaves the others as they are,
 * so the file always holds the latest run of each, with its date, host, load and command.
 * Rendering is pure (a figures object in, markdown out); only writeBenchSection touches the disk.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where the benchmark scripts write with --write (relative to the project root). */
export const BENCH_DOC = 'docs/benchmarks.md';

/**
 * The options of every benchmark script that say where its figures go: nowhere but
 * stdout by default, so running a benchmark never changes a committed file unless asked.
 */
export const BENCH_WRITE_OPTIONS = [
  { name: '--write', help: `also write the figures into their section of ${BENCH_DOC} (default: only print them)` },
  { name: '--doc', value: '<file>', help: `with --write: write into <file> instead of ${BENCH_DOC}` },
] as const;

/** The file a benchmark writes its section into (absolute), or undefined to only print; a message for a wrong combination. */
export function benchWriteTarget(write: boolean, doc: string | undefined, root: string): { file?: string; error?: string } {
  if (doc !== undefined && !write) return { error: '--doc names the file --write writes: give --write too' };
  return write ? { file: path.resolve(doc ?? path.join(root, BENCH_DOC)) } : {};
}

/** The sections, in the order the file lists them. */
export const BENCH_SECTIONS = ['synth', 'review', 'usage'] as const;
export type BenchSectionId = (typeof BENCH_SECTIONS)[number];

export interface BenchHost {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  /** os.loadavg() at the start of the run: 1, 5 and 15 minutes. */
  loadAverage: number[];
}

export interface BenchSection {
  id: BenchSectionId;
  title: string;
  /** The command line that produced the figures, e.g. `npm run bench -- --verify`. */
  command: string;
  /** The command that ran this one, if any (`npm run bench` runs bench:review): BENCH_PARENT_ENV. */
  runBy?: string;
  /** ISO date and time of the start of the run. */
  date: string;
  host: BenchHost;
  /** os.loadavg()[0] when the run ended; the wall times are only comparable at a similar load. */
  loadAtEnd?: number;
  /** What was measured, one paragraph. */
  intro: string;
  table?: { header: string[]; rows: string[][] };
  /** Further figures, one bullet each. */
  figures: string[];
}

export function benchHost(): BenchHost {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() || 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg(),
  };
}

/** The host in one line, printed before a benchmark: wall times on a shared host are only comparable at a similar load. */
export const hostLine = (h: BenchHost) =>
  `Machine: ${h.cores} x ${h.cpu}, ${h.memoryGiB} GiB, node ${h.node}, load average ${h.loadAverage[0].toFixed(1)}`;

/** Set by `npm run bench` for the benchmarks it runs (bench:review): its own command line. */
export const BENCH_PARENT_ENV = 'BENCH_PARENT_COMMAND';

/**
 * The command line a script was started with, as a user would type it, with `--doc <file>`
 * left out when it names the default file.
 */
export function benchCommand(script: string, argv: string[] = process.argv.slice(2), defaultDoc?: string): string {
  const args = argv.filter(
    (a, i) =>
      !(
        defaultDoc &&
        ((a === '--doc' && path.resolve(argv[i + 1] ?? '') === path.resolve(defaultDoc)) ||
          (argv[i - 1] === '--doc' && path.resolve(a) === path.resolve(defaultDoc)))
      ),
  );
  return args.length ? `npm run ${script} -- ${args.join(' ')}` : `npm run ${script}`;
}

const start = (id: string) => `<!-- bench:${id} -->`;
const end = (id: string) => `<!-- /bench:${id} -->`;

export function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** One section of docs/benchmarks.md, markers included. */
export function renderBenchSection(s: BenchSection): string {
  const load = s.host.loadAverage.map((l) => l.toFixed(1)).join(', ');
  const lines = [
    start(s.id),
    `## ${s.title}`,
    '',
    `Written by \`${s.command}\`${s.runBy ? ` (run by \`${s.runBy}\`)` : ''} on ${s.date
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')
      .replace(/Z$/, ' UTC')}.`,
    `Host: ${s.host.cores} cores (${s.host.cpu}), ${s.host.memoryGiB} GiB, node ${s.host.node}; load average ${load} (1, 5, 15 min) at the start` +
      (s.loadAtEnd === undefined ? '.' : `, ${s.loadAtEnd.toFixed(1)} (1 min) at the end.`),
    '',
    s.intro,
  ];
  if (s.table) lines.push('', markdownTable(s.table.header, s.table.rows));
  if (s.figures.length) lines.push('', ...s.figures.map((f) => `- ${f}`));
  lines.push(end(s.id));
  return lines.join('\n');
}

export const BENCH_DOC_HEADER = `# Benchmarks

The figures below are written by the benchmark scripts, each section by the command it names
(\`npm run bench\`, \`npm run bench:review\`, \`npm run bench:usage\`; \`-- --help\` lists their options);
run one again with \`--write\` to replace its section (without it, a benchmark only prints). What makes
synthesis fast is in [performance.md](performance.md). The host is a shared VM: wall times of the same command
differ by up to a second from run to run and grow with the load average, which each section records,
so compare figures from one run (as the speed-up column does).
`;

/** The sections of a docs/benchmarks.md text, by id. */
export function parseBenchDoc(text: string): Partial<Record<BenchSectionId, string>> {
  const out: Partial<Record<BenchSectionId, string>> = {};
  for (const id of BENCH_SECTIONS) {
    const a = text.indexOf(start(id));
    const b = text.indexOf(end(id));
    if (a >= 0 && b > a) out[id] = text.slice(a, b + end(id).length);
  }
  return out;
}

/** The document with `section` in its place (replaced, or added in BENCH_SECTIONS order) and the others kept. */
export function updateBenchDoc(existing: string | undefined, section: BenchSection): string {
  const sections = { ...parseBenchDoc(existing ?? ''), [section.id]: renderBenchSection(section) };
  return [BENCH_DOC_HEADER, ...BENCH_SECTIONS.filter((id) => sections[id]).map((id) => sections[id])].join('\n') + '\n';
}

/** Writes `section` into the file (created if missing); returns the path written. */
export function writeBenchSection(file: string, section: BenchSection): string {
  const full = path.resolve(file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, updateBenchDoc(fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined, section));
  return full;
}
