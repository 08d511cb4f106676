/** The one command-line kit of the project (tools/args.ts), used by main.ts and every tool. */
import { EXIT, cliOptions } from '../../tools/args';

const USAGE = 'Usage: thing [options]\n';

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

const SPEC = { values: ['--out'], lists: ['--region'], switches: ['--json'] };

test('values, repeated lists, switches, and --name=value', () => {
  const r = capture(() => cliOptions(USAGE, SPEC, ['--out', 'a', '--region', 'us-east-1', '--region=eu-west-1,eu-central-1', '--json', '--out=b']));
  expect(r.result).toEqual({ values: { '--out': 'b' }, lists: { '--region': ['us-east-1', 'eu-west-1,eu-central-1'] }, switches: new Set(['--json']) });
  expect([r.stdout, r.stderr, r.exitCode]).toEqual(['', '', undefined]);
});

test('--help prints the usage on stdout and stops, exit code untouched (0)', () => {
  for (const help of ['-h', '--help']) {
    const r = capture(() => cliOptions(USAGE, SPEC, ['--out', 'a', help]));
    expect([r.result, r.stdout, r.stderr, r.exitCode]).toEqual([undefined, USAGE, '', undefined]);
  }
});

test.each([
  [['--outt', 'a'], 'unknown option --outt'],
  [['--nope=1'], 'unknown option --nope=1'],
  [['--out'], '--out needs a value'],
  [['--out', '--json'], '--out needs a value'],
  [['--region='], '--region needs a value'],
  [['--json=yes'], '--json takes no value'],
])('%j is a usage error: the message, the usage, exit 2', (argv, message) => {
  const r = capture(() => cliOptions(USAGE, SPEC, argv));
  expect(r.result).toBeUndefined();
  expect(r.stderr).toBe(`Error: ${message}\n\n${USAGE}`);
  expect(r.exitCode).toBe(EXIT.usage);
});

test('the exit codes every command uses', () => {
  expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, dangerous: 3 });
});
