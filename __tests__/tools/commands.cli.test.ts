/**
 * Every command a user runs, taken from package.json's scripts and from every
 * source file that is a program (`require.main === module`), run from dist/ as
 * users run it: `--help` and `-h` print the help (exit 0) listing every option
 * its parser accepts (its `COMMAND` spec, which cliOptions() reads it with), the
 * environment variables its file reads and the exit codes; an unknown option is
 * one line on stderr naming it and pointing to --help, exit 2, no stack trace.
 * A new script or program without the kit fails here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, EXIT, helpCommand, optionNames } from '../../tools/args';

const ROOT = path.join(__dirname, '..', '..');
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

/** Scripts that run third-party programs (the compiler, jest, eslint, prettier, the cdktf CLI), not a command of this project. */
const THIRD_PARTY = ['build', 'typecheck', 'test', 'test:unit', 'test:cli', 'test:terraform', 'lint', 'format', 'format:check', 'cdktf'];

/** The compiled file a script runs: "tsc -b && node dist/tools/waves.js" -> "tools/waves". */
const target = (script: string) => /\bnode dist\/([\w/-]+)\.js\b/.exec(scripts[script])?.[1];

/** Source files that are programs, outside node_modules, dist and the tests. */
function programs(dir = ROOT, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return ['node_modules', 'dist', '__tests__', '.git', 'cdktf.out'].includes(e.name) || e.name.startsWith('.') ? [] : programs(path.join(dir, e.name), `${rel}${e.name}/`);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && fs.readFileSync(path.join(dir, e.name), 'utf8').includes('require.main === module') ? [`${rel}${e.name.slice(0, -3)}`] : [];
  });
}

const fromScripts = Object.keys(scripts).filter((s) => !THIRD_PARTY.includes(s));
const byScript = new Map(fromScripts.map((s) => [target(s)!, s]));
const COMMANDS: [string, string][] = [...new Set([...fromScripts.map(target), ...programs()])]
  .filter((f): f is string => !!f)
  .sort()
  .map((f) => [f, byScript.has(f) ? `npm run ${byScript.get(f)}` : `node dist/${f}.js`]);

let work: string;
beforeAll(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-commands-'))));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const run = (file: string, args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist', `${file}.js`), ...args], { cwd: work, env: { PATH: process.env.PATH! }, encoding: 'utf8' });

test('every npm script runs a command of this project from dist/ or is a known third-party program', () => {
  for (const s of fromScripts) expect([s, target(s)]).toEqual([s, expect.any(String)]);
  expect(THIRD_PARTY.filter((s) => !(s in scripts))).toEqual([]);
  // The table below covers the scripts and the programs found; the known set guards against the discovery finding nothing.
  expect(COMMANDS.map(([f]) => f)).toEqual(expect.arrayContaining(['main', 'review/cli', 'tools/verify', 'tools/waves', 'tools/deploy-wave', 'tools/bench', 'tools/generate-matrix']));
  expect(COMMANDS.length).toBeGreaterThanOrEqual(fromScripts.length);
});

describe.each(COMMANDS)('%s (%s)', (file, command) => {
  const source = fs.readFileSync(path.join(ROOT, `${file}.ts`), 'utf8');
  const spec = (): Command => require(path.join(ROOT, 'dist', `${file}.js`)).COMMAND;

  test('describes itself to the one kit (an exported COMMAND read with cliOptions) and names how it is run', () => {
    expect(source).toMatch(/export const COMMAND: Command = /);
    expect(source).toMatch(/cliOptions\(COMMAND\b/);
    expect(spec().command).toBe(command);
  });

  test('--help and -h: exit 0, the usage with every option it accepts, the environment it reads, the exit codes', () => {
    const help = run(file, ['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const o of optionNames(spec())) expect([o, help.stdout.includes(o)]).toEqual([o, true]);
    // Every option the code consults (values['--x'], lists['--x'], switches.has('--x'), main.ts's list('--x')) is one the parser accepts, and so one the help lists.
    const consulted = [...source.matchAll(/(?:values|lists|\bv|\bopts)\['(--[\w-]+)'\]|(?:switches\.has|\blist)\('(--[\w-]+)'\)/g)].map((m) => m[1] ?? m[2]);
    for (const o of consulted) expect([o, optionNames(spec())]).toEqual([o, expect.arrayContaining([o])]);
    if (spec().options.length) expect(consulted.length).toBeGreaterThan(0);
    // The environment variables it reads, directly, through the matrix loader or through tools/terraform.ts.
    const env = new Set([...source.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    if (/\bloadMatrix\(/.test(source)) env.add('MATRIX_FILE');
    // Terraform through tools/terraform.ts: the local provider mirror it looks for.
    if (/\b(?:TerraformSession|findMirror)\b/.test(source)) env.add('TF_PLUGIN_MIRROR');
    for (const v of env) expect([v, help.stdout.includes(v)]).toEqual([v, true]);
    expect(help.stdout).toContain('\nExit codes:\n');
    for (const k of ['ok', 'failed', 'usage'] as const) expect(help.stdout).toMatch(new RegExp(`^  ${EXIT[k]}  \\S`, 'm'));
    expect(run(file, ['-h']).stdout).toBe(help.stdout);
  });

  test('an unknown option: exit 2, one line naming it and pointing to --help, no stack trace, nothing on stdout', () => {
    const r = run(file, ['--no-such-option']);
    expect([r.status, r.stdout, r.stderr]).toEqual([EXIT.usage, '', `Error: unknown option --no-such-option (${helpCommand(spec())} lists the options)\n`]);
  });
});

test('only the plan review can end with exit 3 (a dangerous change), and its help says so', () => {
  for (const [file] of COMMANDS) {
    const help = run(file, ['--help']).stdout;
    expect([file, /^ {2}3 {2}\S/m.test(help)]).toEqual([file, file === 'review/cli']);
  }
});
