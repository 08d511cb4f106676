/**
 * A sample of random valid matrices (fast-check, fixed seed) passes the real
 * `terraform validate`: every stack of each sample, batched through the verifier.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { validateMatrix } from '../../config/load';
import { synthesize } from '../../stacks/app';
import { TerraformSession, requireTerraform } from '../../lib/terraform';
import { verifyTree } from '../../tools/rollout/verify';
import { validMatrix } from '../arbitraries';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? test : test.skip;

maybe('every stack of 4 random matrices passes terraform validate', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-random-'));
  const session = new TerraformSession(terraform!);
  try {
    // One tree for all samples (stack directories prefixed by sample), so one batched run validates them all.
    const tree = path.join(scratch, 'all');
    fs.mkdirSync(path.join(tree, 'stacks'), { recursive: true });
    const samples = fc.sample(validMatrix, { numRuns: 4, seed: 424242 });
    let stacks = 0;
    samples.forEach((m, i) => {
      const out = path.join(scratch, `sample-${i}`);
      synthesize(validateMatrix(m, `sample ${i}`), out);
      for (const name of fs.readdirSync(path.join(out, 'stacks'))) {
        fs.renameSync(path.join(out, 'stacks', name), path.join(tree, 'stacks', `s${i}-${name}`));
        stacks++;
      }
    });
    const result = await verifyTree(tree, session, { plan: false });
    expect(result.stacks).toBe(stacks);
    expect(stacks).toBeGreaterThanOrEqual(samples.length);
  } finally {
    session.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
