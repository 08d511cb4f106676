/** Stability across processes: needs dist/ (the cli tier builds it). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../helpers';

test('the synthesized files of a whole app are byte-identical across two runs in separate processes', () => {
  // Same process twice is covered by synth/equivalence.test.ts; this guards against state leaking through module caches.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-stable-'));
  try {
    const run = (out: string) =>
      execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'main.js')], {
        env: { PATH: process.env.PATH!, CDKTF_OUTDIR: out },
        cwd: dir,
      });
    run(path.join(dir, 'a'));
    run(path.join(dir, 'b'));
    const a = readTree(path.join(dir, 'a'));
    expect(Object.keys(a).length).toBeGreaterThan(4);
    expect(readTree(path.join(dir, 'b'))).toEqual(a);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
