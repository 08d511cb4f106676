/**
 * globalSetup of the cli and terraform tiers: builds dist/ once (tsc -b is
 * incremental, so after `npm test`'s own build this is a no-op). Both tiers run
 * it in the one jest process: the second skips it.
 */
const { execFileSync } = require('child_process');
const path = require('path');

module.exports = async function buildDist() {
  if (process.env.BEDROCK_TEST_DIST_BUILT === '1') return;
  const root = path.join(__dirname, '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
  process.env.BEDROCK_TEST_DIST_BUILT = '1';
};
