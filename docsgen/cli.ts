/**
 * `npm run docs`: writes every generated section of the docs (docsgen/sections.ts,
 * between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`) from
 * the code, and leaves everything else as it is. With --check it writes nothing and
 * fails when a section differs from what it would write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand } from '../lib/args';
import { projectRoot } from '../lib/terraform';
import { fillSections, sectionNames } from './markers';
import { DOC_SECTIONS } from './sections';

export const COMMAND = defineCommand({
  command: 'npm run docs',
  usage: '[-- --check]',
  summary: `Writes the code-derived parts of the docs between their BEGIN GENERATED and
END GENERATED markers (HTML comments that name the section): the matrix keys,
the commands with their options and exit codes, the stack and physical names, the
review and IaC rule tables, the resource-type contract, the test tiers, the latest
benchmark figures (copied from docs/benchmarks.md, which only the benchmarks write)
and the review excerpt of the example landing zone. Text outside the markers is left
as it is. Deterministic: run it after a change and commit the result (git diff
--exit-code then stays clean).`,
  options: [{ name: '--check', help: 'write nothing; exit 1 and name the files whose generated sections are out of date' }],
});

/** The markdown files of the project: the README, CONTRIBUTING.md and docs/. */
export function markdownFiles(root = projectRoot()): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs].filter((f) => fs.existsSync(path.join(root, f)));
}

/**
 * Each file of DOC_SECTIONS with its current text and the text npm run docs writes. A
 * markdown file with generated sections that DOC_SECTIONS does not list is an error:
 * its sections would never be written.
 */
export function renderDocs(root = projectRoot()): { file: string; current: string; generated: string }[] {
  const unlisted = markdownFiles(root).filter(
    (f) => !(f in DOC_SECTIONS) && sectionNames(fs.readFileSync(path.join(root, f), 'utf8')).length,
  );
  if (unlisted.length)
    throw new Error(
      `${unlisted.join(', ')}: generated sections that npm run docs does not write (add the file to DOC_SECTIONS in docsgen/sections.ts)`,
    );
  return Object.entries(DOC_SECTIONS).map(([file, renderers]) => {
    const current = fs.readFileSync(path.join(root, file), 'utf8');
    const sections = Object.fromEntries(Object.entries(renderers).map(([name, render]) => [name, render()]));
    return { file, current, generated: fillSections(file, current, sections) };
  });
}

function main(check: boolean): number {
  const stale = renderDocs().filter((d) => d.current !== d.generated);
  if (check) {
    for (const d of stale) process.stderr.write(`${d.file}: generated sections are out of date (run npm run docs)\n`);
    return stale.length ? EXIT.failed : EXIT.ok;
  }
  for (const d of stale) {
    fs.writeFileSync(path.join(projectRoot(), d.file), d.generated);
    process.stdout.write(`wrote ${d.file}\n`);
  }
  if (!stale.length) process.stdout.write('the docs are up to date\n');
  return EXIT.ok;
}

if (require.main === module) {
  const opts = cliOptions(COMMAND);
  if (opts) {
    try {
      process.exitCode = main(opts.switches.has('--check'));
    } catch (e) {
      process.stderr.write(`Error: ${(e as Error).message}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}
