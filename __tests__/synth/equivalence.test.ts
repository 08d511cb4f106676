/**
 * The speed-ups keep the output exact: GovernanceStack's prepareStack (no preparing
 * resolve pass), resolvedElement (each element resolved once, with the plain-JSON
 * fast path of synth/resolve.ts) and toTerraform (no second resolve), and the
 * synth without token stack traces, change no byte of any synthesized file
 * compared with a plain cdktf app running cdktf's own TerraformStack methods.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformElement, TerraformStack } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { loadMatrixFile } from '../../config/load';
import { addStacks, synthesize } from '../../stacks/app';
import { GovernanceStack } from '../../stacks/base';
import { resolveElement } from '../../synth/resolve';
import { withoutTokenStackTraces } from '../../synth/trace';
import { readTree, resolveMatrix } from '../helpers';

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
])('%s synthesizes byte-identically with cdktf’s own TerraformStack', (_what, config) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-equiv-'));
  const ours = path.join(scratch, 'ours');
  const theirs = path.join(scratch, 'theirs');
  synthesize(config(), ours);
  const proto = GovernanceStack.prototype;
  const saved = { prepareStack: proto.prepareStack, toTerraform: proto.toTerraform, resolvedElement: proto.resolvedElement };
  proto.prepareStack = TerraformStack.prototype.prepareStack;
  proto.toTerraform = TerraformStack.prototype.toTerraform;
  proto.resolvedElement = function (this: GovernanceStack, e: TerraformElement) {
    return resolveElement(this, e);
  };
  try {
    const app = new App({ outdir: theirs });
    addStacks(app, config());
    app.synth();
  } finally {
    Object.assign(proto, saved);
  }
  const a = readTree(ours);
  expect(Object.keys(a).length).toBeGreaterThan(4);
  const b = readTree(theirs);
  delete b['routing-table.json']; // written by synthesize(), not by cdktf
  delete a['routing-table.json'];
  expect(a).toEqual(b);
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('two synths of the same matrix are byte-identical', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-determinism-'));
  synthesize(resolveMatrix(EXAMPLE_MATRIX), path.join(scratch, 'a'));
  synthesize(resolveMatrix(EXAMPLE_MATRIX), path.join(scratch, 'b'));
  expect(readTree(path.join(scratch, 'a'))).toEqual(readTree(path.join(scratch, 'b')));
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('token stack traces are off only inside withoutTokenStackTraces, and errors keep theirs', () => {
  const capture = Error.captureStackTrace;
  const inside = withoutTokenStackTraces(() => {
    const error = new Error('boom');
    return { token: Lazy.anyValue({ produce: () => 'x' }) as unknown as { creationStack: string[] }, error };
  });
  expect(inside.token.creationStack).toEqual([]);
  expect(inside.error.stack).toMatch(/^Error: boom\n\s+at /);
  expect(Error.captureStackTrace).toBe(capture);
  const outside = Lazy.anyValue({ produce: () => 'x' }) as unknown as { creationStack: string[] };
  expect(outside.creationStack.length).toBeGreaterThan(0);
  expect(() =>
    withoutTokenStackTraces(() => {
      throw new Error('fails');
    }),
  ).toThrow('fails');
  expect(Error.captureStackTrace).toBe(capture);
});
