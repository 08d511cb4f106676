/**
 * `npm run docs`: writes every generated section of the docs (docsgen/sections.ts,
 * between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`) from
 * the code, and leaves everything else as it is. With --check it writes nothing and
 * fails when a section differs from what it would write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, EXIT, cliOptions } from '../tools/args';
import { projectRoot } from '../tools/terraform';
import { fillSections } from './markers';
import { DOC_SECTIONS } from './sections';

export const COMMAND: Command = {
  command: 'npm run docs',
  usage: '[-- --check]',
  summary: `Writes the code-derived parts of the docs between their BEGIN GENERATED and
END GENERATED markers (HTML comments that name the section): the matrix keys,
the commands with their options and exit codes, the stack names, the review and IaC
rule tables, the resource-type contract, the test tiers and the review excerpt of the
example landing zone. Text outside the markers is left as it is. Deterministic: run it
after a change and commit the result (git diff --exit-code then stays clean).`,
  options: [{ name: '--check', help: 'write nothing; exit 1 and name the files whose generated sections are out of date' }],
};

/** Each file of DOC_SECTIONS with its current text and the text npm run docs writes. */
export function renderDocs(root = projectRoot()): { file: string; current: string; generated: string }[] {
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
