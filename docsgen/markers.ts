/**
 * The generated sections of a markdown file: the text between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`. `npm run docs`
 * rewrites each from code; everything outside the markers is written by hand.
 */

export const begin = (name: string) => `<!-- BEGIN GENERATED: ${name} (npm run docs writes this section; do not edit it by hand) -->`;
export const end = (name: string) => `<!-- END GENERATED: ${name} -->`;

/** A begin marker is a line of its own (so a marker quoted inside a line, or a table cell, is text). */
const BEGIN_RE = /^<!-- BEGIN GENERATED: ([\w-]+)\b[^>\n]*-->$/gm;

/** The names of the generated sections of a text, in order. */
export function sectionNames(text: string): string[] {
  return [...text.matchAll(BEGIN_RE)].map((m) => m[1]);
}

/**
 * The text with every generated section replaced by `sections[name]`. A section of
 * the text that `sections` does not know, a section of `sections` the text lacks, a
 * section twice or without its end marker is an error naming the file.
 */
export function fillSections(file: string, text: string, sections: Record<string, string>): string {
  const names = sectionNames(text);
  const problems: string[] = [];
  for (const n of names)
    if (!(n in sections))
      problems.push(`section "${n}" is not one npm run docs writes (known here: ${Object.keys(sections).join(', ') || 'none'})`);
  for (const n of Object.keys(sections))
    if (!names.includes(n)) problems.push(`section "${n}" is missing: add the lines ${begin(n)} and ${end(n)}`);
  for (const n of new Set(names)) if (names.filter((m) => m === n).length > 1) problems.push(`section "${n}" appears twice`);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  let out = text;
  for (const n of names) {
    const a = out.search(new RegExp(`^<!-- BEGIN GENERATED: ${n}\\b[^>\\n]*-->$`, 'm'));
    const b = out.indexOf(`\n${end(n)}`, a) + 1;
    if (b <= 0) throw new Error(`${file}: section "${n}" has no end marker ${end(n)}`);
    const body = sections[n].replace(/\n+$/, '');
    out = `${out.slice(0, a)}${begin(n)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}
