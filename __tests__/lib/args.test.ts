/** The one command-line kit of the project (lib/args.ts), used by main.ts, review/cli.ts and every tool. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { COMMAND_NAME_ENV, Command, EXIT, cliOptions, defineCommand, helpText, namedAsRun, optionNames, progress } from '../../lib/args';

function capture<T>(fn: () => T): { result: T; stdout: string; stderr: string; exitCode: typeof process.exitCode } {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, code: process.exitCode };
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const result = fn();
    return { result, stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.code;
  }
}

const CMD: Command = {
  command: 'npm run thing',
  usage: '-- <target> [options]',
  summary: 'Does a thing.',
  positionals: [{ name: '<target>', help: 'what to do it to', required: true }],
  rest: 'passed on to the other tool',
  options: [
    { name: '--out', value: '<dir>', help: 'where it goes\nsecond line' },
    { name: '--region', value: '<code>', repeats: true, help: 'regions' },
    { name: '--json', help: 'JSON instead' },
  ],
  env: { MATRIX_FILE: 'the matrix' },
  exits: { failed: 'the thing failed' },
};

test('values, repeated lists, switches, --name=value, a positional and what follows --', () => {
  const r = capture(() =>
    cliOptions(CMD, [
      '--out',
      'a',
      'x',
      '--region',
      'us-east-1',
      '--region=eu-west-1,eu-central-1',
      '--json',
      '--out=b',
      '--',
      '--other',
      'y',
    ]),
  );
  expect(r.result).toEqual({
    values: { '--out': 'b' },
    lists: { '--region': ['us-east-1', 'eu-west-1,eu-central-1'] },
    switches: new Set(['--json']),
    positionals: ['x'],
    rest: ['--other', 'y'],
  });
  expect([r.stdout, r.stderr, r.exitCode]).toEqual(['', '', undefined]);
});

describe('the parsed options are typed by the spec (defineCommand): a name it does not declare does not compile', () => {
  const TYPED = defineCommand({
    command: 'npm run typed',
    usage: '[-- options]',
    summary: 'Typed.',
    options: [
      { name: '--out', value: '<dir>', help: 'a value' },
      { name: '--region', value: '<code>', repeats: true, help: 'a list' },
      { name: '--json', help: 'a switch' },
    ],
  });

  test('declared names read what the command line holds', () => {
    const opts = capture(() => cliOptions(TYPED, ['--out', 'a', '--region', 'x', '--json'])).result!;
    const out: string | undefined = opts.values['--out'];
    const regions: string[] | undefined = opts.lists['--region'];
    expect([out, regions, opts.switches.has('--json')]).toEqual(['a', ['x'], true]);
    // Checked by tsc (npm test, npm run typecheck): each line below must be a type error, else the directive itself is one.
    // @ts-expect-error -- --nope is not an option of TYPED
    expect(opts.values['--nope']).toBeUndefined();
    // @ts-expect-error -- --json is a switch, not an option with a value
    expect(opts.values['--json']).toBeUndefined();
    // @ts-expect-error -- --region repeats: its values are in lists
    expect(opts.values['--region']).toBeUndefined();
    // @ts-expect-error -- --out takes a value: it is not a switch
    expect(opts.switches.has('--out')).toBe(false);
  });

  /** The type errors of a program that reads `reads` from the options of a spec like TYPED, by the TypeScript compiler in this process. */
  function typeErrors(reads: string[]): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typed-options-'));
    try {
      const file = path.join(dir, 'reads.ts');
      const args = path.join(__dirname, '..', '..', 'lib', 'args').split(path.sep).join('/');
      fs.writeFileSync(
        file,
        `import { cliOptions, defineCommand } from '${args}';
const CMD = defineCommand({ command: 'x', usage: '', summary: '', options: [{ name: '--out', value: '<dir>', help: '' }, { name: '--region', value: '<code>', repeats: true, help: '' }, { name: '--json', help: '' }] });
const opts = cliOptions(CMD, [])!;
export const read = [
${reads.map((r) => `  ${r},`).join('\n')}
];
`,
      );
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(__dirname, '..', '..', 'node_modules', '@types')],
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
      });
      return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file.split(path.sep).join('/') || d.file?.fileName === file)
        .map(
          (d) =>
            `${d.file!.getLineAndCharacterOfPosition(d.start!).line - 3}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').split(' ').slice(0, 4).join(' ')}`,
        );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('the compiler rejects every undeclared name or wrong kind, and accepts the declared ones', () => {
    expect(typeErrors([`opts.values['--out']`, `opts.lists['--region']`, `opts.switches.has('--json')`])).toEqual([]);
    const errors = typeErrors([
      `opts.values['--nope']`,
      `opts.values['--json']`,
      `opts.lists['--out']`,
      `opts.switches.has('--out')`,
      `opts.switches.has('--nope')`,
    ]);
    // One error per line (the line numbers of the read array, from 1).
    expect(errors.map((e) => Number(e.split(':')[0]))).toEqual([1, 2, 3, 4, 5]);
  }, 60_000);
});

test('--help and -h print the help on stdout and stop, exit code untouched (0), even after other arguments', () => {
  for (const help of ['-h', '--help']) {
    const r = capture(() => cliOptions(CMD, ['--out', 'a', help]));
    expect([r.result, r.stdout, r.stderr, r.exitCode]).toEqual([undefined, helpText(CMD), '', undefined]);
  }
});

test.each([
  [['x', '--outt', 'a'], 'unknown option --outt'],
  [['x', '--nope=1'], 'unknown option --nope'],
  [['x', '-v'], 'unknown option -v'],
  [['x', '--out'], '--out needs a value (--out <dir>)'],
  [['x', '--out', '--json'], '--out needs a value (--out <dir>)'],
  [['x', '--region='], '--region needs a value (--region <code>)'],
  [['x', '--json=yes'], '--json takes no value'],
  [['x', 'y'], 'unexpected argument "y"'],
  [['--json'], '<target> is missing: what to do it to'],
])('%j is a usage error: one line naming it and pointing to --help, exit 2', (argv, message) => {
  const r = capture(() => cliOptions(CMD, argv));
  expect(r.result).toBeUndefined();
  expect(r.stderr).toBe(`Error: ${message} (npm run thing -- --help lists the options)\n`);
  expect(r.stdout).toBe('');
  expect(r.exitCode).toBe(EXIT.usage);
});

test('without rest, -- is not special: it is an unexpected argument', () => {
  const r = capture(() => cliOptions({ ...CMD, rest: undefined, positionals: [] }, ['--']));
  expect(r.stderr).toContain('unknown option --');
  expect(r.exitCode).toBe(EXIT.usage);
});

test('the help lists usage, summary, arguments, every option with its help, the environment and the exit codes', () => {
  expect(helpText(CMD)).toBe(`Usage: npm run thing -- <target> [options]

Does a thing.

Arguments:
  <target>   what to do it to
  -- <args>  passed on to the other tool

Options:
  --out <dir>      where it goes
                   second line
  --region <code>  regions
                   (may repeat)
  --json           JSON instead
  -h, --help       show this help

Environment:
  MATRIX_FILE  the matrix

Exit codes:
  0  ok
  1  the thing failed
  2  usage error (a wrong command line: one line on stderr, nothing done)
`);
  expect(optionNames(CMD)).toEqual(['--out', '--region', '--json', '--help']);
});

test('exit code 3 is listed only by a command that can end with a dangerous change', () => {
  expect(helpText({ ...CMD, exits: { dangerous: 'a dangerous change' } })).toContain('\n  3  a dangerous change\n');
  expect(helpText(CMD)).not.toMatch(/^ {2}3 /m);
});

test('progress goes to stderr with the elapsed time, and --quiet silences it', () => {
  const loud = capture(() => {
    const p = progress();
    p.step('batch 1/2');
    p.done('verified 2 batches');
  });
  expect(loud.stdout).toBe('');
  expect(loud.stderr).toMatch(/^\[\d+\.\d s\] batch 1\/2\nverified 2 batches \(\d+\.\d s\)\n$/);
  const quiet = capture(() => {
    const p = progress(true);
    p.step('batch 1/2');
    p.done('done');
  });
  expect([quiet.stdout, quiet.stderr]).toEqual(['', '']);
});

test('the exit codes every command uses', () => {
  expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, dangerous: 3 });
});

describe('one kit in the whole source tree', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const ROOT = path.join(__dirname, '..', '..');
  const sources = (dir = ROOT, rel = ''): [string, string][] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e): [string, string][] => {
      if (e.isDirectory())
        return ['node_modules', 'dist', '__tests__', 'cdktf.out'].includes(e.name) || e.name.startsWith('.')
          ? []
          : sources(path.join(dir, e.name), `${rel}${e.name}/`);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [[`${rel}${e.name}`, fs.readFileSync(path.join(dir, e.name), 'utf8')]]
        : [];
    });
  const all = sources();

  test('one UsageError class, in lib/args.ts', () => {
    expect(all.filter(([, text]) => /class \w*UsageError\b/.test(text)).map(([f]) => f)).toEqual(['lib/args.ts']);
  });

  test('every file that reads the command line parses it with cliOptions (no second parser)', () => {
    // Not commands: the synth worker takes two paths from the process that forks it; bench-doc records the command line in docs/benchmarks.md.
    const exempt = ['stacks/synth-worker.ts', 'tools/bench/bench-doc.ts'];
    const readers = all.filter(([f, text]) => text.includes('process.argv') && !exempt.includes(f) && f !== 'lib/args.ts');
    expect(readers.length).toBeGreaterThanOrEqual(4); // the scan finds the tools that pass process.argv on explicitly
    for (const [f, text] of readers) expect([f, /cliOptions\(COMMAND\b/.test(text)]).toEqual([f, true]);
    for (const f of exempt) expect([f, all.some(([g]) => g === f)]).toEqual([f, true]);
  });
});

test('messages name the npm scripts as the user runs them: under the one CLI its commands, else unchanged', () => {
  const text = 'cdktf.out has no manifest.json: run npm run synth first, then npm run deploy:wave -- dev';
  expect(namedAsRun(text, {})).toBe(text);
  expect(namedAsRun(text, { [COMMAND_NAME_ENV]: 'bedrock-governance verify' })).toBe(
    'cdktf.out has no manifest.json: run bedrock-governance synth first, then bedrock-governance deploy-wave dev',
  );
});
