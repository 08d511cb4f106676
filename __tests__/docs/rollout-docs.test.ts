/**
 * The rollout docs (README's rollout section, docs/rollout.md, docs/package.md,
 * examples/landing-zone/) name only commands, options and files that exist: this
 * repository's npm scripts and the CLI's commands (`npx bedrock-governance <command>`,
 * as a landing-zone repository runs them). The starting matrix init writes is a
 * valid matrix whose waves the deploy workflow would run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseMatrixText, validateMatrix } from '../../config/load';
import { rolloutWaves } from '../../config/select';
import { COMMANDS } from '../../cli';

const ROOT = path.join(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;
const readme = read('README.md');
const section = readme.slice(readme.indexOf('### From an empty repository to the first deployed wave'), readme.indexOf('### Identity'));
const DOCS: [string, string][] = [
  ['README rollout section', section],
  ['docs/rollout.md', read('docs/rollout.md')],
  ['docs/package.md', read('docs/package.md')],
  ['examples/landing-zone/README.md', read('examples/landing-zone/README.md')],
];

/** The source file of an npm script that runs `node dist/<file>.js`. */
function sourceOf(script: string): string {
  const m = scripts[script].match(/node dist\/([\w/.-]+)\.js/);
  if (!m) throw new Error(`npm script ${script} runs no dist/ file`);
  return read(`${m[1]}.ts`);
}

/** Every `npm run <script> [-- options]` command line in a text, with the options this project's tool reads (before a second `--`, which passes options on to cdktf). */
function commands(text: string): { script: string; options: string[]; line: string }[] {
  return text
    .split('\n')
    .flatMap((line) => [...line.matchAll(/npm run (?:--silent )?([\w:-]+)((?: +(?!#)[^\s`|]+)*)/g)].map((m) => ({ m, line })))
    .map(({ m, line }) => {
      const args = m[2].trim().split(/\s+/).filter(Boolean);
      const own = args[0] === '--' ? args.slice(1) : [];
      const end = own.indexOf('--');
      return { script: m[1], options: (end >= 0 ? own.slice(0, end) : own).filter((a) => a.startsWith('--')), line };
    });
}

/** Every `npx bedrock-governance[@version] <command> [options]` in a text, with its options (before a `--`, which passes options on to cdktf). */
function cliCommands(text: string): { command: string; options: string[]; line: string }[] {
  return text
    .split('\n')
    .flatMap((line) => [...line.matchAll(/(?:npx |--package \S+ )bedrock-governance(?:@\S+)? ([a-z][\w-]*)((?: +(?!#)[^\s`|]+)*)/g)].map((m) => ({ m, line })))
    .map(({ m, line }) => {
      const args = m[2].trim().split(/\s+/).filter(Boolean);
      const end = args.indexOf('--');
      return { command: m[1], options: (end >= 0 ? args.slice(0, end) : args).filter((a) => a.startsWith('--')), line };
    });
}

test('the README rollout section is there and links the detail', () => {
  expect(section).toContain('docs/rollout.md');
  expect(section.length).toBeGreaterThan(200);
});

describe.each(DOCS)('%s', (_, text) => {
  const cmds = commands(text);

  const cli = cliCommands(text);

  test('names commands', () => expect(cmds.length + cli.length).toBeGreaterThan(1));

  test('every CLI command it names exists, and every option it passes is one that command reads', () => {
    for (const c of cli) {
      expect([c.line, Object.keys(COMMANDS)]).toEqual([c.line, expect.arrayContaining([c.command])]);
      const source = read(`${COMMANDS[c.command].file}.ts`);
      for (const o of c.options) expect([c.line, o, source.includes(`'${o}'`) || source.includes(`${o} `)]).toEqual([c.line, o, true]);
    }
  });

  test('every npm script it names exists, and every option it passes is one the tool reads', () => {
    for (const c of cmds) {
      expect([c.line, Object.keys(scripts)]).toEqual([c.line, expect.arrayContaining([c.script])]);
      const source = sourceOf(c.script);
      for (const o of c.options) expect([c.line, o, source.includes(`'${o}'`) || source.includes(`${o} `)]).toEqual([c.line, o, true]);
    }
  });

  test('every repository file it names exists', () => {
    const files = [...text.matchAll(/(?:^|[\s(`[])((?:examples|docs|tools|\.github)\/[\w./-]+\.(?:ya?ml|md|txt|tfrc|ts))/g)].map((m) => m[1]);
    for (const f of files) {
      // A file of a landing-zone repository is one init writes (templates/landing-zone/, a leading dot left out there).
      const candidates = [path.join(ROOT, f), path.join(ROOT, 'docs', f), path.join(ROOT, 'templates', 'landing-zone', f.replace(/^\.github\//, 'github/'))];
      expect([f, candidates.some((c) => fs.existsSync(c))]).toEqual([f, true]);
    }
  });
});

test('the check catches an option no tool reads, and passes options after a second -- to cdktf', () => {
  expect(commands('MATRIX_FILE=x npm run deploy:wave -- dev --bogus -- --outputs-file o.json')).toEqual([
    { script: 'deploy:wave', options: ['--bogus'], line: 'MATRIX_FILE=x npm run deploy:wave -- dev --bogus -- --outputs-file o.json' },
  ]);
  expect(sourceOf('deploy:wave').includes("'--bogus'")).toBe(false);
  expect(sourceOf('deploy:wave').includes("'--parallelism'")).toBe(true);
});

test('the commands the rollout names cover the whole path, starting with init: synth, workspaces, bootstrap, a wave, review, decommission, upgrade', () => {
  const [, rollout] = DOCS.find(([name]) => name === 'docs/rollout.md')!;
  const named = cliCommands(rollout).map((c) => c.command);
  expect(named[0]).toBe('init');
  for (const s of ['init', 'synth', 'waves', 'tfc-workspaces', 'deploy-wave', 'review', 'decommission']) expect(named).toContain(s);
  expect(rollout).toContain('init --force');
});

test('the starting matrix init writes is valid; its deploy waves are dev, staging, prod, management', () => {
  const file = path.join(ROOT, 'templates', 'landing-zone', 'landing-zone.yaml');
  const config = validateMatrix(parseMatrixText(fs.readFileSync(file, 'utf8'), file), file);
  expect(rolloutWaves(config).map((w) => w.wave)).toEqual(['bootstrap', 'dev', 'staging', 'prod', 'management']);
  expect(config.stacks.every((s) => s.backend.type === 'tfc')).toBe(true);
  expect(config.deployment.assumeRole).toBe(false);
  expect(fs.existsSync(path.join(ROOT, 'templates', 'landing-zone', 'github', 'review-accept.txt'))).toBe(true);
});

test('the CLI check catches a command and an option the CLI does not have', () => {
  expect(cliCommands('npx bedrock-governance deploy-wave dev --bogus -- --outputs-file o.json')).toEqual([
    { command: 'deploy-wave', options: ['--bogus'], line: 'npx bedrock-governance deploy-wave dev --bogus -- --outputs-file o.json' },
  ]);
  expect(Object.keys(COMMANDS)).not.toContain('deploy:wave');
});
