/** A failed review run never leaves an earlier run's verdict in the out directory. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-stale-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('a run that fails removes the previous review.json and leaves a review.md that says it failed', () => {
  const out = path.join(scratch, 'out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'review.md'), '## Bedrock governance plan review\n\nNo dangerous change.\n');
  fs.writeFileSync(path.join(out, 'review.json'), '{"dangerous":0}\n');
  const notSynth = path.join(scratch, 'not-a-synth-output');
  fs.mkdirSync(notSynth);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'review', 'cli.js'), '--base-dir', notSynth, '--head-dir', notSynth, '--out', out],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('is not a cdktf synth output');
  expect(fs.existsSync(path.join(out, 'review.json'))).toBe(false);
  const md = fs.readFileSync(path.join(out, 'review.md'), 'utf8');
  expect(md).not.toContain('No dangerous change');
  expect(md).toContain('**The review failed**, so there is no verdict:');
});
