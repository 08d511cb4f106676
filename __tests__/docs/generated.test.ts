/**
 * The one freshness check of the docs: every generated section (between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`) is exactly what
 * `npm run docs` writes from the code. A new matrix key, command option, danger or IaC
 * rule or resource type fails here until `npm run docs` is run and its output committed.
 */
import { renderDocs } from '../../docsgen/cli';

const docs = renderDocs();

test('npm run docs knows files with generated sections', () => {
  expect(docs.map((d) => d.file)).toEqual(
    expect.arrayContaining([
      'README.md',
      'docs/matrix.md',
      'docs/commands.md',
      'docs/review.md',
      'docs/iac-rules.md',
      'docs/resource-types.md',
    ]),
  );
});

test.each(docs.map((d) => [d.file, d] as const))(
  '%s: the generated sections are what npm run docs writes (run it and commit the result)',
  (_, d) => {
    expect(d.current).toBe(d.generated);
  },
);
