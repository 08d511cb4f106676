/** Synthesized trees for the review tests: each test file gets a scratch directory, removed after it, and numbered trees in it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { resolveMatrix } from '../helpers';

export function reviewTrees(prefix: string) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  let n = 0;
  /** A fresh directory in the scratch directory. */
  const dir = () => path.join(scratch, `t${n++}`);
  /** The synth output of a matrix, in a fresh directory. */
  const tree = (m: Matrix): string => {
    const out = dir();
    synthesize(resolveMatrix(m), out);
    return out;
  };
  /** A deep copy of the example matrix, to edit. */
  const clone = (): Matrix => JSON.parse(JSON.stringify(EXAMPLE_MATRIX));
  return { dir, tree, clone };
}
