/**
 * The cdktf CLI itself (`cdktf synth`, as `npx cdktf synth` runs it) over a
 * sequence of matrices that add and remove stacks: every synth succeeds, each
 * stack folder holds exactly its stack, and the Terraform working files
 * (.terraform, .terraform.lock.hcl) of stacks synthesized again are kept.
 * Needs dist/ (npm test builds it first).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const MAIN = path.join(ROOT, 'dist', 'main.js');

const matrix = (accounts: { id: string; name: string; environment: string; regions: string[] }[]) => ({
  managementAccountId: '999999999999',
  accounts,
});
const A = matrix([
  { id: '111111111111', name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-west-1'] },
  { id: '222222222222', name: 'genai-dev', environment: 'dev', regions: ['us-east-1'] },
]);
// B removes an account and a region, and adds a region.
const B = matrix([{ id: '111111111111', name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-central-1'] }]);

let work: string;
beforeAll(() => {
  if (!fs.existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it first)');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-cdktf-cli-'));
  // A project like the repository's, whose app is the built main.js (the repository's cdktf.json also builds first).
  fs.writeFileSync(
    path.join(work, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `node ${JSON.stringify(MAIN)}`, projectId: 'cli-test', sendCrashReports: 'false' }),
  );
  fs.writeFileSync(path.join(work, 'a.yaml'), YAML.stringify(A));
  fs.writeFileSync(path.join(work, 'b.yaml'), YAML.stringify(B));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function cdktfSynth(matrixFile: string) {
  const r = spawnSync(CDKTF, ['synth'], {
    cwd: work,
    env: { PATH: process.env.PATH!, HOME: work, CHECKPOINT_DISABLE: '1', CI: '1', MATRIX_FILE: matrixFile },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const out = () => path.join(work, 'cdktf.out');
const folders = () => fs.readdirSync(path.join(out(), 'stacks')).sort();
const manifestStacks = () => Object.keys(JSON.parse(fs.readFileSync(path.join(out(), 'manifest.json'), 'utf8')).stacks).sort();

/** What `terraform init` leaves in a stack folder, with a marker to recognise it later. */
function fakeInit(stack: string): void {
  const dir = path.join(out(), 'stacks', stack);
  fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.terraform', 'providers', 'marker'), stack);
  fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), `# lock of ${stack}\n`);
}
const initialized = (stack: string) =>
  fs.existsSync(path.join(out(), 'stacks', stack, '.terraform', 'providers', 'marker')) &&
  fs.readFileSync(path.join(out(), 'stacks', stack, '.terraform.lock.hcl'), 'utf8') === `# lock of ${stack}\n`;

const PROD_US = 'bedrock-logging-111111111111-us-east-1';
const PROD_EU = 'bedrock-logging-111111111111-eu-west-1';
const PROD_FRA = 'bedrock-logging-111111111111-eu-central-1';
const DEV_US = 'bedrock-logging-222222222222-us-east-1';
const MGMT = 'bedrock-management-999999999999';

test('cdktf synth with matrix A, then B, then A again: each succeeds and keeps the Terraform working files', () => {
  const a1 = cdktfSynth('a.yaml');
  expect(a1.out).not.toContain('ENOENT');
  expect(a1.code).toBe(0);
  expect(manifestStacks()).toEqual([PROD_EU, PROD_US, DEV_US, MGMT].sort());
  for (const s of manifestStacks()) fakeInit(s);

  const b = cdktfSynth('b.yaml');
  expect(b.out).not.toContain('ENOENT');
  expect(b.code).toBe(0);
  expect(manifestStacks()).toEqual([PROD_FRA, PROD_US, MGMT].sort());
  expect(folders()).toEqual(manifestStacks());
  expect(initialized(PROD_US)).toBe(true);
  expect(initialized(MGMT)).toBe(true);
  expect(initialized(PROD_FRA)).toBe(false);
  fakeInit(PROD_FRA);

  const a2 = cdktfSynth('a.yaml');
  expect(a2.out).not.toContain('ENOENT');
  expect(a2.code).toBe(0);
  expect(manifestStacks()).toEqual([PROD_EU, PROD_US, DEV_US, MGMT].sort());
  expect(folders()).toEqual(manifestStacks());
  expect(initialized(PROD_US)).toBe(true);
  expect(initialized(MGMT)).toBe(true);
  // Removed stacks lose their folder with everything in it; stacks back again start fresh.
  expect(initialized(PROD_EU)).toBe(false);
  expect(fs.readdirSync(work).filter((f) => f.startsWith('cdktf.out'))).toEqual(['cdktf.out']);
}, 600_000);
