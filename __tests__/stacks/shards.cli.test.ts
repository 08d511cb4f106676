/** Sharded synth (stacks/shards.ts) through the app, as users run it (compiled by `npm test` first). */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runDist as run, scratchPerTest } from '../run-dist';

const scratch = scratchPerTest('bedrock-tools-');

describe('sharded synth', () => {
  test('one process per core from SHARD_MIN_STACKS stacks, and one below', () => {
    const { shardCount, SHARD_MIN_STACKS } = require('../../stacks/shards');
    expect(shardCount(SHARD_MIN_STACKS - 1, 2)).toBe(1);
    expect(shardCount(SHARD_MIN_STACKS, 2)).toBe(2);
    expect(shardCount(60, 2)).toBe(2); // the matrix below is sharded
    expect(shardCount(400, 2)).toBe(2);
    expect(shardCount(400, 4)).toBe(4);
    expect(shardCount(1, 8)).toBe(1);
  });

  test('a matrix large enough to shard across processes synthesizes byte-identically to one process', () => {
    const { generateMatrix } = require('../../tools/bench/generate-matrix');
    const { synthesize } = require('../../stacks/app');
    const { validateMatrix } = require('../../config/load');
    const { readTree } = require('../helpers');
    const matrix = path.join(scratch(), 'm.json');
    const m = generateMatrix(60, 3, 2);
    fs.writeFileSync(matrix, JSON.stringify(m));
    const sharded = path.join(scratch(), 'sharded');
    const r = run('main.js', [], { MATRIX_FILE: matrix, CDKTF_OUTDIR: sharded }, ROOT);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Synthesized 61 stacks');
    // A long (sharded) synth says so on stderr, with the elapsed time; stdout keeps the list of stacks.
    expect(r.err).toMatch(
      /^\[\d+\.\d s\] synthesizing 60 logging stacks into .*sharded \(\d+ processes\)\nsynthesized 61 stacks \(\d+\.\d s\)\n$/,
    );
    const single = path.join(scratch(), 'single');
    synthesize(validateMatrix(m), single);
    const a = readTree(sharded);
    expect(Object.keys(a)).toHaveLength(63); // 61 stacks, the manifest and the routing table
    expect(a).toEqual(readTree(single));
    expect(fs.readdirSync(scratch()).filter((d) => d.includes('staging'))).toEqual([]);
  });
});
