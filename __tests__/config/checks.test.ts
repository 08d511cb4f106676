/**
 * The config pipeline's shape: every cross-field check is one file in config/checks/
 * and is listed in CHECKS (a check file that is not listed would never run), and
 * each returns its problems without throwing on a valid matrix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHECKS } from '../../config/checks';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { resolveMatrix } from '../../config/pipeline';
import { EVERYTHING_ON } from '../everything-matrix';

const DIR = path.join(__dirname, '..', '..', 'config', 'checks');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && !['check.ts', 'index.ts'].includes(f));

test('every file in config/checks/ exports one check, and CHECKS lists each once', () => {
  expect(files.length).toBeGreaterThanOrEqual(15);
  const exported = files.map((f) => {
    const mod = require(path.join(DIR, f));
    const checks = Object.values(mod).filter((v) => typeof v === 'function' && CHECKS.includes(v as never));
    expect([f, checks.length]).toEqual([f, 1]);
    return checks[0];
  });
  expect(new Set(CHECKS).size).toBe(CHECKS.length);
  expect(CHECKS.filter((c) => !exported.includes(c))).toEqual([]);
  expect(exported.length).toBe(CHECKS.length);
});

test.each([
  ['the example', EXAMPLE_MATRIX],
  ['everything on', EVERYTHING_ON],
])('every check finds nothing in a valid matrix (%s)', (_name, matrix) => {
  const { config, issues } = resolveMatrix(matrix);
  expect(issues).toEqual([]);
  for (const check of CHECKS) expect(check({ matrix, config })).toEqual([]);
});

test('a problem each check looks for is found by the pipeline, with the path of the field', () => {
  const bad = {
    ...EXAMPLE_MATRIX,
    tenants: [...(EXAMPLE_MATRIX.tenants ?? []), { id: 'ACME', models: ['no-such-model'] }],
    costExport: {},
    managementAccountId: undefined,
  };
  const { issues } = resolveMatrix(bad);
  const paths = issues.map((i) => i.path);
  expect(paths).toContain(`tenants[${EXAMPLE_MATRIX.tenants!.length}].models[0]`); // tenant-models
  expect(paths).toContain('costExport'); // cost-export
  expect(issues.find((i) => i.path === `tenants[${EXAMPLE_MATRIX.tenants!.length}].id`)?.allowed).toMatch(/in more than case/); // unique-ids
});
