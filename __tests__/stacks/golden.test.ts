/**
 * Golden digests: one sha256 per synthesized stack of the example matrices (the embedded example,
 * examples/terraform-cloud.yaml, the landing-zone template's matrix and the everything-on matrix), kept as a
 * jest snapshot. A refactor leaves every digest as it is; a change meant to change what users deploy updates
 * them (`npx jest __tests__/stacks/golden.test.ts -u`), and the snapshot's diff names each stack it changes.
 * Under CI jest writes no snapshot, so a missing or stale one fails.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { parseMatrixText, validateMatrix } from '../../config/load';
import { addStacks } from '../../stacks/app';
import { EVERYTHING_ON } from '../everything-matrix';
import { templates } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

/** Stack name -> sha256 of its cdk.tf.json, with this checkout's path (local state files) made relative. */
function digests(matrix: unknown, source: string): Record<string, string> {
  const app = Testing.app();
  addStacks(app, validateMatrix(matrix, source));
  return Object.fromEntries(
    Object.entries(templates(app))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, t]) => [name, createHash('sha256').update(t.json.split(ROOT).join('<checkout>')).digest('hex').slice(0, 16)]),
  );
}

const file = (rel: string) => parseMatrixText(fs.readFileSync(path.join(ROOT, rel), 'utf8'), rel);

test.each([
  ['the embedded example', () => EXAMPLE_MATRIX],
  ['examples/terraform-cloud.yaml', () => file('examples/terraform-cloud.yaml')],
  ['templates/landing-zone/landing-zone.yaml', () => file('templates/landing-zone/landing-zone.yaml')],
  ['the everything-on matrix', () => EVERYTHING_ON],
])('%s synthesizes to its golden digests', (name, matrix) => {
  expect(digests(matrix(), name)).toMatchSnapshot();
});
