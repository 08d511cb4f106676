/**
 * init's files, written into a temporary folder: the starting matrix validates,
 * package.json pins this tool's exact version and the cdktf CLI, the team's files
 * survive --force while the tool's are rewritten, and a folder with anything but
 * .git in it is refused without --force.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMatrixFile } from '../../config/load';
import { rolloutWaves } from '../../config/select';
import { InitError, SCRIPTS, gitignore, init, packageJson, packageName } from '../../tools/rollout/init';
import { COMMANDS } from '../../cli';

const ROOT = path.join(__dirname, '..', '..');
const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let dir: string;
beforeEach(() => (dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-init-')), 'My Landing Zone')));
afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

test('the starting matrix validates: placeholders, not errors; waves dev, staging, prod, management', () => {
  init(dir, false);
  const config = loadMatrixFile(path.join(dir, 'landing-zone.yaml'));
  expect(rolloutWaves(config).map((w) => w.wave)).toEqual(['bootstrap', 'dev', 'staging', 'prod', 'management']);
  expect(fs.readFileSync(path.join(dir, 'landing-zone.yaml'), 'utf8')).toMatch(/placeholder/);
});

test('package.json: this tool at its exact version, the cdktf CLI, a script per command of the CLI', () => {
  init(dir, false);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('my-landing-zone');
  expect(pkg.dependencies).toEqual({ [own.name]: own.version, 'cdktf-cli': own.dependencies['cdktf-cli'] });
  expect(own.dependencies['cdktf-cli']).toMatch(/^\d+\.\d+\.\d+$/);
  for (const [name, script] of Object.entries(SCRIPTS)) {
    const command = script.split(' ')[1];
    expect([name, Object.keys(COMMANDS)]).toEqual([name, expect.arrayContaining([command])]);
  }
  expect(Object.keys(COMMANDS).filter((c) => c !== 'init' && !Object.values(SCRIPTS).some((s) => s.split(' ')[1] === c))).toEqual([]);
});

test('a folder that is not empty is refused without --force; .git alone is empty', () => {
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  expect(init(dir, false).every((f) => f.outcome === 'written')).toBe(true);
  expect(() => init(dir, false)).toThrow(InitError);
  expect(() => init(dir, false)).toThrow(/is not empty .*give --force/);
});

test("--force keeps the team's files, replaces the tool's, merges package.json and .gitignore", () => {
  init(dir, false);
  fs.appendFileSync(path.join(dir, 'landing-zone.yaml'), '# ours\n');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), '{}');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  pkg.dependencies[own.name] = '0.0.1';
  pkg.scripts.lint = 'yamllint landing-zone.yaml';
  pkg.devDependencies = { yamllint: '1.0.0' };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  fs.appendFileSync(path.join(dir, '.gitignore'), 'secrets/\n');
  const outcome = Object.fromEntries(init(dir, true).map((f) => [f.path, f.outcome]));
  expect(outcome).toMatchObject({
    'landing-zone.yaml': 'kept (yours)',
    'README.md': 'kept (yours)',
    'cdktf.json': 'replaced',
    'package.json': 'merged',
    '.gitignore': 'merged',
  });
  expect(fs.readFileSync(path.join(dir, 'landing-zone.yaml'), 'utf8')).toContain('# ours');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')).app).toBe('npx bedrock-governance synth');
  const merged = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  expect(merged.dependencies[own.name]).toBe(own.version);
  expect(merged.scripts.lint).toBe('yamllint landing-zone.yaml');
  expect(merged.devDependencies).toEqual({ yamllint: '1.0.0' });
  expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/cdktf\.out\/[\s\S]*secrets\/\n$/);
});

test('.gitignore covers the default output of every command that writes one', () => {
  const lines = gitignore(undefined).split('\n');
  for (const out of [
    'cdktf.out/',
    'cdktf.out.*/',
    'review-out/',
    'usage-report/',
    'decommission.out/',
    'previous-matrix.yaml',
    'previous-matrix-*.yaml',
    'bootstrap-outputs.json',
    'iac-rules.md',
    'eval-dataset/',
    'node_modules/',
  ])
    expect(lines).toContain(out);
  // The defaults as the commands' own help states them.
  expect(require('../../review/cli').COMMAND.options.find((o: { name: string }) => o.name === '--out').help).toContain(
    'default review-out',
  );
  expect(require('../../tools/usage/usage-report').COMMAND.options.find((o: { name: string }) => o.name === '--out').help).toContain(
    '(default usage-report)',
  );
  expect(require('../../tools/usage/eval-dataset').COMMAND.options.find((o: { name: string }) => o.name === '--out').help).toContain(
    '(default eval-dataset)',
  );
  expect(require('../../tools/rollout/decommission').COMMAND.options.find((o: { name: string }) => o.name === '--work-dir').help).toContain(
    'decommission.out/',
  );
});

test('package names from folder names', () => {
  expect(packageName('/x/Acme LZ')).toBe('acme-lz');
  expect(packageName('/x/...')).toBe('landing-zone');
  expect(JSON.parse(packageJson('/x/lz', undefined)).private).toBe(true);
});
