/**
 * The speed-ups keep the output exact: skipping cdktf's preparing resolve pass
 * (GovernanceStack.prepareStack) changes no byte of any synthesized file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { loadMatrixFile } from '../../config/load';
import { synthesize } from '../../stacks/app';
import { GovernanceStack } from '../../stacks/base';
import { readTree, resolveMatrix } from '../helpers';

test.each([
  ['the embedded example', () => resolveMatrix(EXAMPLE_MATRIX)],
  ['the Terraform Cloud example (bootstrap, guardrails)', () => loadMatrixFile(path.join(__dirname, '..', '..', 'examples', 'terraform-cloud.yaml'))],
])('%s synthesizes byte-identically with cdktf’s own prepareStack', (_what, config) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-equiv-'));
  const ours = path.join(scratch, 'ours');
  const theirs = path.join(scratch, 'theirs');
  synthesize(config(), ours);
  const saved = GovernanceStack.prototype.prepareStack;
  GovernanceStack.prototype.prepareStack = TerraformStack.prototype.prepareStack;
  try {
    synthesize(config(), theirs);
  } finally {
    GovernanceStack.prototype.prepareStack = saved;
  }
  const a = readTree(ours);
  expect(Object.keys(a).length).toBeGreaterThan(4);
  expect(a).toEqual(readTree(theirs));
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('two synths of the same matrix are byte-identical', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-determinism-'));
  synthesize(resolveMatrix(EXAMPLE_MATRIX), path.join(scratch, 'a'));
  synthesize(resolveMatrix(EXAMPLE_MATRIX), path.join(scratch, 'b'));
  expect(readTree(path.join(scratch, 'a'))).toEqual(readTree(path.join(scratch, 'b')));
  fs.rmSync(scratch, { recursive: true, force: true });
});
