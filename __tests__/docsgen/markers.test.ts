/** The marked sections npm run docs fills: replaced in place, everything else kept; a missing, unknown or unterminated marker is an error naming the file. */
import { begin, end, fillSections, sectionNames } from '../../docsgen/markers';

const doc = ['# Title', '', 'hand-written', begin('a'), 'old a', end('a'), 'between', begin('b'), end('b'), 'after', ''].join('\n');

test('fills each section with its text and keeps the rest byte for byte', () => {
  const out = fillSections('x.md', doc, { a: 'new a\nline 2\n', b: '| t |' });
  expect(out).toBe(
    ['# Title', '', 'hand-written', begin('a'), 'new a', 'line 2', end('a'), 'between', begin('b'), '| t |', end('b'), 'after', ''].join(
      '\n',
    ),
  );
  expect(fillSections('x.md', out, { a: 'new a\nline 2\n', b: '| t |' })).toBe(out);
  expect(sectionNames(out)).toEqual(['a', 'b']);
});

test('a begin marker written by hand with other words after the name is still found and rewritten', () => {
  const text = `x\n<!-- BEGIN GENERATED: a -->\nstale\n${end('a')}\n`;
  expect(fillSections('x.md', text, { a: 'fresh' })).toBe(`x\n${begin('a')}\nfresh\n${end('a')}\n`);
});

test('a section the file lacks, one it has that nobody writes, a duplicate or a missing end marker is an error naming the file', () => {
  expect(() => fillSections('x.md', doc, { a: '', b: '', c: '' })).toThrow(/x\.md: section "c" is missing/);
  expect(() => fillSections('x.md', doc, { a: '' })).toThrow(/x\.md: section "b" is not one npm run docs writes/);
  expect(() => fillSections('x.md', `${doc}${begin('a')}\n${end('a')}\n`, { a: '', b: '' })).toThrow(/section "a" appears twice/);
  expect(() => fillSections('x.md', `${begin('a')}\nno end\n`, { a: '' })).toThrow(/section "a" has no end marker/);
});
