/**
 * Which matrix a command reads: --matrix, else MATRIX_FILE, else the default of
 * where the tool runs. In its own checkout that is the embedded example; installed
 * as a package (under node_modules) it is landing-zone.yaml, and a missing one is
 * an error that names the file it looked for, never the embedded example.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MatrixError } from '../../config/errors';
import { renameDeprecatedKeys } from '../../config/deprecated-keys';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { DEFAULT_MATRIX_FILE, loadMatrix, matrixFile, runsFromCheckout, validateMatrix } from '../../config/load';

test('the tool knows whether it runs from its checkout or installed under node_modules', () => {
  expect(runsFromCheckout()).toBe(true); // these tests run from the checkout
  expect(runsFromCheckout('/repo/lz/node_modules/bedrock-governance/dist/config')).toBe(false);
  expect(runsFromCheckout('/work/bedrock-governance/dist/config')).toBe(true);
});

test('--matrix wins over MATRIX_FILE, which wins over the default; only a checkout has no default file', () => {
  expect(matrixFile('a.yaml', { MATRIX_FILE: 'b.yaml' }, false)).toBe('a.yaml');
  expect(matrixFile(undefined, { MATRIX_FILE: 'b.yaml' }, false)).toBe('b.yaml');
  expect(matrixFile(undefined, {}, false)).toBe(DEFAULT_MATRIX_FILE);
  expect(matrixFile(undefined, {}, true)).toBeUndefined();
  expect(matrixFile(undefined, { MATRIX_FILE: '' }, true)).toBeUndefined();
});

describe('loading', () => {
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-load-'));
    cwd = process.cwd();
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('in the checkout, no matrix is the embedded example', () => {
    expect(loadMatrix({}, undefined, true).stacks.length).toBeGreaterThan(0);
  });

  test('installed, no matrix is an error naming the file it looked for', () => {
    let error: unknown;
    try {
      loadMatrix({}, undefined, false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatrixError);
    expect((error as Error).message).toContain(`looked for ${path.join(fs.realpathSync(dir), DEFAULT_MATRIX_FILE)}, which does not exist`);
    expect((error as Error).message).toContain('--matrix <file> or MATRIX_FILE');
  });

  test('installed, landing-zone.yaml in the working directory is the matrix; --matrix names another', () => {
    fs.writeFileSync(DEFAULT_MATRIX_FILE, 'accounts:\n  - { id: "111111111111", regions: [us-east-1] }\n');
    fs.writeFileSync('other.yaml', 'accounts:\n  - { id: "222222222222", regions: [eu-west-1] }\n');
    expect(loadMatrix({}, undefined, false).stacks.map((s) => s.stackName)).toEqual(['bedrock-logging-111111111111-us-east-1']);
    expect(loadMatrix({ MATRIX_FILE: 'other.yaml' }, undefined, false).stacks.map((s) => s.stackName)).toEqual([
      'bedrock-logging-222222222222-eu-west-1',
    ]);
    expect(loadMatrix({ MATRIX_FILE: DEFAULT_MATRIX_FILE }, 'other.yaml', false).stacks.map((s) => s.stackName)).toEqual([
      'bedrock-logging-222222222222-eu-west-1',
    ]);
  });
});

describe('a renamed matrix key (config/deprecated-keys.ts)', () => {
  const policies = { apiKeys: { targetIds: ['ou-abcd-11111111'] }, tenantTagPolicy: { targetIds: ['ou-abcd-11111111'] } };
  const matrix = (key: string) => ({ ...EXAMPLE_MATRIX, [key]: policies });

  test('`guardrails` is read as `organizationPolicies`: the same config, and exactly one warning naming the new key', () => {
    const warnings: string[] = [];
    const legacy = validateMatrix(matrix('guardrails'), 'old.yaml', (l) => warnings.push(l));
    expect(warnings).toEqual([
      'warning: old.yaml: the matrix key `guardrails` is deprecated: rename it to `organizationPolicies` (same content)',
    ]);
    const current: string[] = [];
    expect(legacy).toEqual(validateMatrix(matrix('organizationPolicies'), 'old.yaml', (l) => current.push(l)));
    expect(current).toEqual([]);
    expect(legacy.management!.organizationPolicies).toEqual(policies);
  });

  test('both keys are an error naming both; nothing is warned', () => {
    const warnings: string[] = [];
    const both = { ...matrix('organizationPolicies'), guardrails: policies };
    expect(() => validateMatrix(both, 'both.yaml', (l) => warnings.push(l))).toThrow(
      'guardrails: both `organizationPolicies` and `guardrails`, its former name -> expected only `organizationPolicies`',
    );
    expect(warnings).toEqual([]);
  });

  test('the renaming keeps the key in place and leaves other input alone', () => {
    expect(Object.keys(renameDeprecatedKeys({ a: 1, guardrails: {}, b: 2 }).input as object)).toEqual(['a', 'organizationPolicies', 'b']);
    for (const input of [null, [], 'x', { accounts: [] }]) expect(renameDeprecatedKeys(input)).toEqual({ input, warnings: [], issues: [] });
  });
});
