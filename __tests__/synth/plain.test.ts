/**
 * SYNTH_PLAIN=1 turns every rewrite of synth/ off: stock TerraformStack methods,
 * the generated inference-profile class, token stack traces on. Both paths must
 * write the same bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BedrockInferenceProfile } from '@cdktf/provider-aws/lib/bedrock-inference-profile';
import { App, Lazy } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { loadMatrixFile } from '../../config/load';
import { addStacks, synthesize } from '../../stacks/app';
import { InferenceProfileResource } from '../../synth/profile-resource';
import { withoutTokenStackTraces } from '../../synth/trace';
import { SYNTH_PLAIN_ENV } from '../../synth/versions';
import { readTree, resolveMatrix } from '../helpers';

function plain<T>(fn: () => T): T {
  process.env[SYNTH_PLAIN_ENV] = '1';
  try {
    return fn();
  } finally {
    delete process.env[SYNTH_PLAIN_ENV];
  }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-plain-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test.each([
  ['the embedded example', () => resolveMatrix(EXAMPLE_MATRIX)],
  [
    'the Terraform Cloud example (bootstrap, organization policies)',
    () => loadMatrixFile(path.join(__dirname, '..', '..', 'examples', 'terraform-cloud.yaml')),
  ],
  [
    'the example with an S3 backend (a stack override)',
    () => resolveMatrix({ ...EXAMPLE_MATRIX, deployment: { backend: { type: 's3', bucket: 'org-terraform-state', region: 'us-east-1' } } }),
  ],
])('%s: SYNTH_PLAIN=1 writes byte-identical output', (what, config) => {
  const fast = path.join(scratch, `${what}-fast`);
  const stock = path.join(scratch, `${what}-plain`);
  synthesize(config(), fast);
  plain(() => synthesize(config(), stock));
  const a = readTree(fast);
  expect(Object.keys(a).length).toBeGreaterThan(4);
  expect(a).toEqual(readTree(stock));
});

test('SYNTH_PLAIN=1 really is stock cdktf: generated profile class, cdktf’s own toTerraform, token stack traces kept', () => {
  const build = () => {
    const app = new App({ outdir: path.join(scratch, 'inspect') });
    addStacks(app, resolveMatrix(EXAMPLE_MATRIX));
    const profiles = app.node.findAll().filter((c) => c instanceof BedrockInferenceProfile || c instanceof InferenceProfileResource);
    return { profiles };
  };
  const fast = build();
  expect(fast.profiles.length).toBeGreaterThan(0);
  expect(fast.profiles.every((p) => p instanceof InferenceProfileResource)).toBe(true);
  const stock = plain(build);
  expect(stock.profiles.length).toBe(fast.profiles.length);
  expect(stock.profiles.every((p) => p instanceof BedrockInferenceProfile)).toBe(true);

  const token = plain(() => withoutTokenStackTraces(() => Lazy.anyValue({ produce: () => 'x' }))) as unknown as { creationStack: string[] };
  expect(token.creationStack.length).toBeGreaterThan(0);
});
