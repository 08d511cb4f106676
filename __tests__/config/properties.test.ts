/**
 * Property-based tests (fast-check): random valid matrices always synthesize,
 * with the IaC rules passing; random corruptions always give a clear MatrixError,
 * never a crash. A sample of random matrices also passes the real
 * `terraform validate` (__tests__/stacks/random-matrices.terraform.test.ts).
 */
import fc from 'fast-check';
import { Testing } from 'cdktf';
import { MatrixError } from '../../config/errors';
import { parseMatrixText, validateMatrix } from '../../config/load';
import { addStacks } from '../../stacks/app';
import { corruptedMatrix, corruptedText, validMatrix } from '../arbitraries';
import { templates } from '../helpers';
import { at } from '../../review/terraform-json';

test('random valid matrices always validate and synthesize, every stack passing the IaC rules', () => {
  fc.assert(
    fc.property(validMatrix, (m) => {
      const config = validateMatrix(m, 'random matrix');
      const app = Testing.app();
      addStacks(app, config);
      const stacks = app.node.children;
      expect(stacks.length).toBe(config.stacks.length + config.bootstraps.length + (config.management ? 1 : 0));
      // With validations on: the IaC rules run on every stack.
      for (const t of Object.values(templates(app, { validate: true })))
        expect(at(t.tf.provider?.aws, 0, 'allowed_account_ids')).toHaveLength(1);
      // Every tenant gets a profile per model in every stack (no placement here).
      for (const s of config.stacks) expect(s.profiles.length).toBe((m.tenants ?? []).reduce((n, t) => n + (t.models?.length ?? 0), 0));
    }),
    { numRuns: 25, seed: 20261123 },
  );
});

/** The outcome of validating input: valid, or a clear MatrixError. Anything else is thrown on, and fails the property. */
function outcome(validate: () => unknown): 'valid' | 'error' {
  try {
    validate();
    return 'valid';
  } catch (e) {
    if (!(e instanceof MatrixError)) throw new Error(`not a MatrixError: ${(e as Error)?.stack ?? e}`);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.path).not.toBe('');
      expect(issue.allowed.length).toBeGreaterThan(3);
    }
    expect(e.message).toMatch(/^Invalid environment matrix \(.+\): \d+ problems?\n {2}- /);
    return 'error';
  }
}

test('random corruptions of a valid matrix give a MatrixError naming field and allowed values, never a crash', () => {
  const seen = { valid: 0, error: 0 };
  fc.assert(
    fc.property(corruptedMatrix, (m) => {
      seen[outcome(() => validateMatrix(m, 'corrupted matrix'))]++;
    }),
    { numRuns: 400, seed: 7 },
  );
  // The corruptions mostly break the matrix (some, like a deleted optional key, leave it valid).
  expect(seen.error).toBeGreaterThan(seen.valid);
});

test('random corruptions of the file text give a MatrixError, never a crash', () => {
  const seen = { valid: 0, error: 0 };
  fc.assert(
    fc.property(corruptedText, fc.constantFrom('m.json', 'm.yaml'), (text, file) => {
      seen[outcome(() => validateMatrix(parseMatrixText(text, file), file))]++;
    }),
    { numRuns: 300, seed: 11 },
  );
  // Without this, a property whose inputs all stayed valid would check no error at all.
  expect(seen.error).toBeGreaterThan(seen.valid);
});
