/**
 * What the docs point at exists: every relative link (and its #anchor, a heading of
 * the target), every repository path they name in code spans, and every `npm run`
 * script they name. This checks pointers, not prose: what the docs restate from code
 * is generated (npm run docs) and checked by generated.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const DOC_FILES = [
  'README.md',
  'CONTRIBUTING.md',
  'examples/landing-zone/README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
const anchors = (text: string) =>
  new Set([...text.replace(/^````?[\s\S]*?^````?$/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

test('the anchor of a heading is the one GitHub gives it', () => {
  expect(slug('Commands and exit codes')).toBe('commands-and-exit-codes');
  expect(slug("`--plan`: the provider's own decisions")).toBe('--plan-the-providers-own-decisions');
  expect(slug('Usage report (`npm run bench:usage`)')).toBe('usage-report-npm-run-benchusage');
});

test('every relative link of the README and docs/ reaches a file, and its #anchor a heading of it', () => {
  const missing: string[] = [];
  for (const file of DOC_FILES) {
    const text = read(file);
    const dir = path.dirname(path.join(ROOT, file));
    for (const [, target, anchor] of text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]*))?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const full = target ? path.resolve(dir, target) : path.join(ROOT, file);
      if (!fs.existsSync(full)) missing.push(`${file}: link ${target}`);
      else if (anchor && full.endsWith('.md') && !anchors(fs.readFileSync(full, 'utf8')).has(anchor))
        missing.push(`${file}: link ${target}#${anchor} (no such heading)`);
    }
  }
  expect(missing).toEqual([]);
});

test('every repository path the README and docs/ name in a code span exists', () => {
  const missing: string[] = [];
  for (const file of DOC_FILES)
    for (const [, named] of read(file).matchAll(
      /`((?:__tests__|config|stacks|synth|policies|iac-rules|review|tools|docsgen|examples|docs|\.github)\/[\w./-]+)`/g,
    ))
      if (!fs.existsSync(path.join(ROOT, named))) missing.push(`${file}: \`${named}\``);
  expect(missing).toEqual([]);
});

test('every `npm run <script>` the README and docs/ name is a script of package.json', () => {
  const named = DOC_FILES.flatMap((file) =>
    [...read(file).matchAll(/npm run (?:--silent )?([a-z](?:[\w-]|:(?=[\w-]))*)/g)].map((m) => [file, m[1]] as const),
  );
  expect(named.length).toBeGreaterThan(30);
  expect(named.filter(([, s]) => !(s in scripts)).map(([f, s]) => `${f}: npm run ${s}`)).toEqual([]);
});

test('every `npx bedrock-governance <command>` the README and docs/ name is a command of the CLI (cli.ts)', () => {
  const commands = Object.keys(require('../../cli').COMMANDS);
  const named = DOC_FILES.flatMap((file) =>
    [...read(file).matchAll(/npx bedrock-governance(?:@\S+)? ([a-z][\w-]*)/g)].map((m) => [file, m[1]] as const),
  );
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter(([, c]) => !commands.includes(c)).map(([f, c]) => `${f}: npx bedrock-governance ${c}`)).toEqual([]);
});
