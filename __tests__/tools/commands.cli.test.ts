/**
 * Every command a user runs, taken from package.json's scripts and from every
 * source file that is a program (`require.main === module`), run from dist/ as
 * users run it: `--help` and `-h` print the help (exit 0) listing every option
 * its parser accepts (its `COMMAND` spec, which cliOptions() reads it with, typed
 * by it: an option the code reads but the spec lacks does not compile), the
 * environment variables its file reads and the exit codes; an unknown option is
 * one line on stderr naming it and pointing to --help, exit 2, no stack trace.
 * A new script or program without the kit fails here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, EXIT, helpCommand, optionNames } from '../../lib/args';

const ROOT = path.join(__dirname, '..', '..');
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

/** Scripts that run third-party programs (the compiler (build, and prepack before npm pack), jest, eslint, prettier, the cdktf CLI), not a command of this project. */
const THIRD_PARTY = [
  'build',
  'prepack',
  'typecheck',
  'test',
  'test:unit',
  'test:cli',
  'test:terraform',
  'lint',
  'format',
  'format:check',
  'cdktf',
];

/** The compiled file a script runs: "tsc -b && node dist/tools/rollout/waves.js" -> "tools/rollout/waves". */
const target = (script: string) => /\bnode dist\/([\w/-]+)\.js\b/.exec(scripts[script])?.[1];

/** Source files that are programs, outside node_modules, dist and the tests. */
function programs(dir = ROOT, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory())
      return ['node_modules', 'dist', '__tests__', '.git', 'cdktf.out'].includes(e.name) || e.name.startsWith('.')
        ? []
        : programs(path.join(dir, e.name), `${rel}${e.name}/`);
    return e.name.endsWith('.ts') &&
      !e.name.endsWith('.d.ts') &&
      /^if \(require\.main === module\)/m.test(fs.readFileSync(path.join(dir, e.name), 'utf8'))
      ? [`${rel}${e.name.slice(0, -3)}`]
      : [];
  });
}

const fromScripts = Object.keys(scripts).filter((s) => !THIRD_PARTY.includes(s));
const byScript = new Map(fromScripts.map((s) => [target(s)!, s]));
/** The one CLI (cli.ts): its commands by compiled file; a program it runs that no npm script runs is named as the CLI runs it. */
const CLI: Record<string, { file: string }> = require(path.join(ROOT, 'dist', 'cli.js')).COMMANDS;
const byCli = new Map(Object.entries(CLI).map(([name, c]) => [c.file, `bedrock-governance ${name}`]));
const COMMANDS: [string, string][] = [...new Set([...fromScripts.map(target), ...programs()])]
  .filter((f): f is string => !!f)
  .sort()
  .map((f) => [
    f,
    byScript.has(f) ? `npm run ${byScript.get(f)}` : f === 'cli' ? 'bedrock-governance' : (byCli.get(f) ?? `node dist/${f}.js`),
  ]);

let work: string;
beforeAll(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-commands-'))));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'dist', `${file}.js`), ...args], {
    cwd: work,
    env: { PATH: process.env.PATH! },
    encoding: 'utf8',
  });

test('every npm script runs a command of this project from dist/ or is a known third-party program', () => {
  for (const s of fromScripts) expect([s, target(s)]).toEqual([s, expect.any(String)]);
  expect(THIRD_PARTY.filter((s) => !(s in scripts))).toEqual([]);
  // The table below covers the scripts and the programs found; the known set guards against the discovery finding nothing.
  expect(COMMANDS.map(([f]) => f)).toEqual(
    expect.arrayContaining([
      'main',
      'review/cli',
      'tools/rollout/verify',
      'tools/rollout/waves',
      'tools/rollout/deploy-wave',
      'tools/bench/bench',
      'tools/bench/generate-matrix',
    ]),
  );
  expect(COMMANDS.length).toBeGreaterThanOrEqual(fromScripts.length);
});

describe.each(COMMANDS)('%s (%s)', (file, command) => {
  const source = fs.readFileSync(path.join(ROOT, `${file}.ts`), 'utf8');
  const spec = (): Command => require(path.join(ROOT, 'dist', `${file}.js`)).COMMAND;

  test('describes itself to the one kit (an exported COMMAND of defineCommand, so its options are typed, read with cliOptions) and names how it is run', () => {
    expect(source).toMatch(/export const COMMAND = defineCommand\(/);
    expect(source).toMatch(/cliOptions\(COMMAND\b/);
    expect(spec().command).toBe(command);
  });

  test('--help and -h: exit 0, the usage with every option it accepts, the environment it reads, the exit codes', () => {
    const help = run(file, ['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const o of optionNames(spec())) expect([o, help.stdout.includes(o)]).toEqual([o, true]);
    // An option the code reads but the spec does not declare does not compile (cliOptions is typed by the spec; __tests__/lib/args.test.ts).
    // The environment variables it reads, directly, through the matrix loader or through lib/terraform.ts.
    const env = new Set([...source.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    if (/\bloadMatrix\(/.test(source)) env.add('MATRIX_FILE');
    // Terraform through lib/terraform.ts: the local provider mirror it looks for.
    if (/\b(?:TerraformSession|findMirror)\b/.test(source)) env.add('TF_PLUGIN_MIRROR');
    for (const v of env) expect([v, help.stdout.includes(v)]).toEqual([v, true]);
    expect(help.stdout).toContain('\nExit codes:\n');
    for (const k of ['ok', 'failed', 'usage'] as const) expect(help.stdout).toMatch(new RegExp(`^  ${EXIT[k]}  \\S`, 'm'));
    expect(run(file, ['-h']).stdout).toBe(help.stdout);
  });

  test('an unknown option: exit 2, one line naming it and pointing to --help, no stack trace, nothing on stdout', () => {
    const r = run(file, ['--no-such-option']);
    expect([r.status, r.stdout, r.stderr]).toEqual([
      EXIT.usage,
      '',
      `Error: unknown option --no-such-option (${helpCommand(spec())} lists the options)\n`,
    ]);
  });
});

describe.each(Object.entries(CLI))('bedrock-governance %s', (name, { file }) => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), name, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH! },
      encoding: 'utf8',
    });

  test('runs the same entry point as its npm script: the same help, named as the CLI runs it; the same usage errors', () => {
    const own = run(file, ['--help']);
    const viaCli = cli(['--help']);
    expect([viaCli.status, viaCli.stderr]).toEqual([0, '']);
    expect(viaCli.stdout).toMatch(new RegExp(`^Usage: bedrock-governance ${name}( |$)`, 'm'));
    expect(viaCli.stdout).not.toMatch(/^Usage: .*(npm run|\(or: )/m);
    // Everything after the usage lines is the command's own help.
    const body = (h: string) => h.slice(h.indexOf('\n\n'));
    expect(body(viaCli.stdout).replace(/bedrock-governance [\w-]+/g, 'X')).toBe(
      body(own.stdout).replace(/npm run [\w:-]+(?: --)?|bedrock-governance [\w-]+/g, 'X'),
    );
    const bad = cli(['--no-such-option']);
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([
      EXIT.usage,
      '',
      `Error: unknown option --no-such-option (bedrock-governance ${name} --help lists the options)\n`,
    ]);
  });
});

test('bedrock-governance: every npm script of a command of this project is a command of the CLI, and an unknown command is a usage error', () => {
  const files = Object.values(CLI).map((c) => c.file);
  // The benchmarks and npm run docs work on this repository itself, not on a landing zone: not CLI commands.
  for (const s of fromScripts.filter((x) => !x.startsWith('bench') && x !== 'docs'))
    expect([s, files]).toEqual([s, expect.arrayContaining([target(s)])]);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'synthesize'], {
    cwd: work,
    env: { PATH: process.env.PATH! },
    encoding: 'utf8',
  });
  expect([r.status, r.stdout]).toEqual([EXIT.usage, '']);
  expect(r.stderr).toMatch(/^Error: unknown command "synthesize" \(commands: init, synth, /);
});

test('only the plan review can end with exit 3 (a dangerous change), and its help says so', () => {
  for (const [file] of COMMANDS) {
    const help = run(file, ['--help']).stdout;
    expect([file, /^ {2}3 {2}\S/m.test(help)]).toEqual([file, file === 'review/cli']);
  }
});
