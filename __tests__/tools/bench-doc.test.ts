/** docs/benchmarks.md: the writer the benchmark scripts share (rendering from figures, not timings), and the committed file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from '../../lib/args';
import {
  BENCH_DOC,
  BENCH_DOC_HEADER,
  BENCH_SECTIONS,
  BENCH_WRITE_OPTIONS,
  BenchSection,
  benchCommand,
  benchWriteTarget,
  parseBenchDoc,
  renderBenchSection,
  updateBenchDoc,
  writeBenchSection,
} from '../../tools/bench/bench-doc';

const ROOT = path.join(__dirname, '..', '..');
const host = { cores: 2, cpu: 'AMD EPYC', memoryGiB: 24, node: 'v20.20.2', loadAverage: [3.04, 2.5, 1.96] };
const synth: BenchSection = {
  id: 'synth',
  title: 'Synthesis (`npm run bench`)',
  command: 'npm run bench -- --verify',
  date: '2026-12-01T04:10:00.123Z',
  host,
  loadAtEnd: 5.55,
  intro: 'Generated landing zones.',
  table: {
    header: ['stacks', 'profiles', 'npm run synth'],
    rows: [
      ['2', '50', '0.85 s'],
      ['401', '20000', '4.81 s'],
    ],
  },
  figures: ['Selective synth: 1.07 s', 'verify: 94.3 s'],
};
const review: BenchSection = {
  ...synth,
  id: 'review',
  title: 'Plan review',
  command: 'npm run bench:review',
  table: undefined,
  figures: ['static: 15.7 s'],
};
const usage: BenchSection = {
  ...synth,
  id: 'usage',
  title: 'Usage report',
  command: 'npm run bench:usage',
  table: undefined,
  figures: ['plain: 15.9 s'],
};

test('a section names the command, the date, the host and the load, then the table and the figures, between its markers', () => {
  expect(renderBenchSection(synth)).toBe(
    [
      '<!-- bench:synth -->',
      '## Synthesis (`npm run bench`)',
      '',
      'Written by `npm run bench -- --verify` on 2026-12-01 04:10:00 UTC.',
      'Host: 2 cores (AMD EPYC), 24 GiB, node v20.20.2; load average 3.0, 2.5, 2.0 (1, 5, 15 min) at the start, 5.5 (1 min) at the end.',
      '',
      'Generated landing zones.',
      '',
      '| stacks | profiles | npm run synth |',
      '|---|---|---|',
      '| 2 | 50 | 0.85 s |',
      '| 401 | 20000 | 4.81 s |',
      '',
      '- Selective synth: 1.07 s',
      '- verify: 94.3 s',
      '<!-- /bench:synth -->',
    ].join('\n'),
  );
  expect(renderBenchSection({ ...review, loadAtEnd: undefined })).toContain('(1, 5, 15 min) at the start.\n');
});

test('a new file gets the header and the section; a later run of another script adds its own in order and keeps the rest', () => {
  const first = updateBenchDoc(undefined, usage);
  expect(first.startsWith(BENCH_DOC_HEADER)).toBe(true);
  expect(Object.keys(parseBenchDoc(first))).toEqual(['usage']);
  const second = updateBenchDoc(first, synth);
  expect(Object.keys(parseBenchDoc(second))).toEqual(['synth', 'usage']);
  expect(second.indexOf('<!-- bench:synth -->')).toBeLessThan(second.indexOf('<!-- bench:usage -->'));
  expect(parseBenchDoc(second).usage).toBe(renderBenchSection(usage));
});

test('a run replaces only its own section: old figures go, the other sections stay byte for byte', () => {
  const before = updateBenchDoc(updateBenchDoc(updateBenchDoc(undefined, synth), review), usage);
  const after = updateBenchDoc(before, { ...review, figures: ['static: 9.9 s'] });
  expect(after).toContain('- static: 9.9 s');
  expect(after).not.toContain('- static: 15.7 s');
  expect(parseBenchDoc(after).synth).toBe(parseBenchDoc(before).synth);
  expect(parseBenchDoc(after).usage).toBe(parseBenchDoc(before).usage);
  expect(updateBenchDoc(after, { ...review, figures: ['static: 9.9 s'] })).toBe(after);
});

test('writeBenchSection creates the file and its folder, then updates it in place', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-doc-'));
  try {
    const file = path.join(dir, 'docs', 'benchmarks.md');
    writeBenchSection(file, review);
    writeBenchSection(file, synth);
    expect(Object.keys(parseBenchDoc(fs.readFileSync(file, 'utf8')))).toEqual(['synth', 'review']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the command is the script and the options it was given, without --doc of the default file', () => {
  expect(benchCommand('bench', [])).toBe('npm run bench');
  expect(benchCommand('bench', ['--verify', '--sizes', '1,10'])).toBe('npm run bench -- --verify --sizes 1,10');
  expect(
    benchCommand('bench:review', ['--stacks', '400', '--write', '--doc', '/repo/docs/benchmarks.md'], '/repo/docs/benchmarks.md'),
  ).toBe('npm run bench:review -- --stacks 400 --write');
  expect(benchCommand('bench:review', ['--write', '--doc', '/tmp/b.md', '--no-plan'], '/repo/docs/benchmarks.md')).toBe(
    'npm run bench:review -- --write --doc /tmp/b.md --no-plan',
  );
});

test('a benchmark writes a file only with --write: by default it only prints', () => {
  expect(benchWriteTarget(false, undefined, '/repo')).toEqual({});
  expect(benchWriteTarget(true, undefined, '/repo')).toEqual({ file: path.resolve('/repo', BENCH_DOC) });
  expect(benchWriteTarget(true, '/tmp/b.md', '/repo')).toEqual({ file: '/tmp/b.md' });
  expect(benchWriteTarget(false, '/tmp/b.md', '/repo').error).toMatch(/--write/);
});

test('every benchmark script takes the write options, none of them writes by default', () => {
  for (const file of ['bench', 'bench-review', 'bench-usage']) {
    const spec: Command = require(`../../tools/bench/${file}`).COMMAND;
    expect([file, spec.options.filter((o) => BENCH_WRITE_OPTIONS.some((w) => w === o)).length]).toEqual([file, BENCH_WRITE_OPTIONS.length]);
  }
});

test('a benchmark run by another names the command that ran it', () => {
  expect(renderBenchSection({ ...review, command: 'npm run bench:review -- --stacks 400', runBy: 'npm run bench -- --verify' })).toContain(
    'Written by `npm run bench:review -- --stacks 400` (run by `npm run bench -- --verify`) on 2026-12-01 04:10:00 UTC.',
  );
});

describe('the committed docs/benchmarks.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, BENCH_DOC), 'utf8');
  const sections = parseBenchDoc(doc);

  test('is what the writer produces: the header, then a section of each benchmark script, each naming its command, date and host', () => {
    expect(doc.startsWith(BENCH_DOC_HEADER)).toBe(true);
    expect(Object.keys(sections)).toEqual([...BENCH_SECTIONS]);
    for (const id of BENCH_SECTIONS) {
      expect(sections[id]).toMatch(
        /^Written by `npm run bench[:\w]*( -- [^`]*)?`( \(run by `[^`]+`\))? on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/m,
      );
      expect(sections[id]).toMatch(
        /^Host: \d+ cores \(.+\), \d+ GiB, node v\d+\.\d+\.\d+; load average [\d.]+, [\d.]+, [\d.]+ \(1, 5, 15 min\)/m,
      );
    }
    // Nothing outside the header and the sections: hand-written figures would not be replaced by the next run.
    expect(doc).toBe(`${BENCH_DOC_HEADER}\n${BENCH_SECTIONS.map((id) => sections[id]).join('\n')}\n`);
  });
});
