/**
 * The tool as a landing-zone repository uses it: `npm pack` of this repository,
 * `bedrock-governance init` into a temporary folder, the tarball installed there,
 * then `synth`, `review --base HEAD` after a matrix edit and `waves`, each run
 * through the installed package's bin with nothing but PATH in its environment.
 *
 * The install is offline: the tarball is unpacked into node_modules/bedrock-governance
 * (what `npm install <tarball>` puts there) and only the packed package.json's
 * dependencies (plus the generated package.json's cdktf-cli) are linked from this
 * repository's node_modules, so a runtime dependency left in devDependencies, a
 * file left out of `files` or a wrong `bin` fails here.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

jest.setTimeout(300_000);
const ROOT = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-package-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lz = path.join(work, 'lz');
let tarball: string;
let files: string[];
let initRun: { status: number | null; stdout: string; stderr: string };

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
  });

/** The installed CLI (node_modules/.bin/bedrock-governance), run in `cwd` with only PATH set. */
function cli(args: string[], cwd = lz, env: Record<string, string> = {}) {
  const r = spawnSync(path.join(lz, 'node_modules', '.bin', 'bedrock-governance'), args, {
    cwd,
    env: { PATH: process.env.PATH!, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `npm install <tarball>` without the network: unpack it, link its dependencies (and the repository's other ones) from this repository, link the bins. */
function installTarball(tgz: string, dir: string): void {
  const pkgDir = path.join(dir, 'node_modules', own.name);
  fs.mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', pkgDir, '--strip-components=1']);
  const packed = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const repo = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...packed.dependencies, ...repo.dependencies }).filter((d) => d !== own.name);
  for (const d of deps) {
    const link = path.join(dir, 'node_modules', d);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', d)), link, 'dir');
  }
  const bin = path.join(dir, 'node_modules', '.bin');
  fs.mkdirSync(bin);
  for (const [name, file] of Object.entries<string>(packed.bin)) {
    fs.chmodSync(path.join(pkgDir, file), 0o755);
    fs.symlinkSync(path.join('..', own.name, file), path.join(bin, name));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', '.bin', 'cdktf')), path.join(bin, 'cdktf'));
}

beforeAll(() => {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }),
  )[0];
  tarball = path.join(work, packed.filename);
  files = packed.files.map((f: { path: string }) => f.path);
  initRun = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'init', lz], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH! },
  });
});

test('npm pack: compiled code, the CLI, the library API with its types and the templates; no tests, no TypeScript sources', () => {
  expect(fs.existsSync(tarball)).toBe(true);
  for (const f of [
    'dist/cli.js',
    'dist/main.js',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/config/schema.d.ts',
    'dist/stacks/app.d.ts',
    'dist/tools/rollout/init.js',
    'package.json',
  ])
    expect([f, files.includes(f)]).toEqual([f, true]);
  expect(files.filter((f) => f.startsWith('templates/landing-zone/'))).toEqual(
    expect.arrayContaining(['templates/landing-zone/landing-zone.yaml', 'templates/landing-zone/github/workflows/pull-request.yml']),
  );
  expect(files.filter((f) => /__tests__|\.test\.|(?<!\.d)\.ts$/.test(f))).toEqual([]);
  expect(own.bin).toEqual({ 'bedrock-governance': 'dist/cli.js' });
  expect(own.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
});

test('init writes the landing-zone repository and says what it wrote; it refuses a folder that is not empty', () => {
  const r = initRun;
  expect([r.status, r.stderr]).toEqual([0, '']);
  for (const f of [
    'landing-zone.yaml',
    'package.json',
    'cdktf.json',
    '.gitignore',
    'README.md',
    '.github/review-accept.txt',
    '.github/workflows/pull-request.yml',
    '.github/workflows/deploy.yml',
    '.github/workflows/deploy-wave.yml',
    '.github/scripts/review-comment.js',
  ]) {
    expect([f, fs.existsSync(path.join(lz, f))]).toEqual([f, true]);
    expect(r.stdout).toMatch(new RegExp(`^  ${f.replace(/\./g, '\\.')} +written$`, 'm'));
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(lz, 'package.json'), 'utf8'));
  expect(pkg.dependencies).toEqual({ 'bedrock-governance': own.version, 'cdktf-cli': own.dependencies['cdktf-cli'] });
  expect(JSON.parse(fs.readFileSync(path.join(lz, 'cdktf.json'), 'utf8')).app).toBe('npx bedrock-governance synth');

  const again = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'init', lz], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH! },
  });
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/is not empty .*give --force/);
});

describe('installed in the landing-zone repository', () => {
  beforeAll(() => {
    installTarball(tarball, lz);
    git(lz, 'init', '-q', '-b', 'main');
    git(lz, 'add', '-A');
    git(lz, 'commit', '-qm', 'init');
  });

  test('bedrock-governance --help lists every command; a command --help names it as the CLI runs it', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of [
      'synth',
      'review',
      'verify',
      'waves',
      'deploy-wave',
      'changed-stacks',
      'usage-report',
      'tfc-workspaces',
      'decommission',
      'iac-rules',
      'init',
    ])
      expect(help.out).toMatch(new RegExp(`^  ${c} `, 'm'));
    const waves = cli(['waves', '--help']);
    expect(waves.out).toMatch(/^Usage: bedrock-governance waves \[options\]/);
    expect(cli(['waves', '--bogus']).err).toBe('Error: unknown option --bogus (bedrock-governance waves --help lists the options)\n');
    expect(cli(['--version']).out).toBe(`${own.version}\n`);
  });

  test('synth: the starting matrix validates and synthesizes, and the outputs are ignored by git', () => {
    const r = cli(['synth']);
    expect([r.code, r.err]).toEqual([0, '']);
    const manifest = JSON.parse(fs.readFileSync(path.join(lz, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(
      expect.arrayContaining(['bedrock-logging-333333333333-eu-west-1', 'bedrock-management-999999999999']),
    );
    expect(JSON.parse(fs.readFileSync(path.join(lz, 'cdktf.out', 'routing-table.json'), 'utf8')).generatedBy).toBe(
      `bedrock-governance ${own.version}`,
    );
    expect(git(lz, 'status', '--porcelain')).toBe('');
  });

  test('waves: the rollout order of the matrix', () => {
    const r = cli(['waves', '--json', '--exclude', 'bootstrap']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((w: { wave: string }) => w.wave)).toEqual(['dev', 'staging', 'prod', 'management']);
  });

  test('review --base HEAD: a matrix edit is reviewed against the committed matrix, with the installed tool on both sides; review-out/ is ignored', () => {
    const file = path.join(lz, 'landing-zone.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const doc = YAML.parseDocument(before);
    doc.setIn(
      ['tenants', 1],
      doc.createNode({
        id: 'globex',
        models: ['haiku'],
        monthlyBudgetUsd: 100,
        costCenter: 'cc-2002',
        alertEmails: ['finops@example.com'],
      }),
    );
    fs.writeFileSync(file, doc.toString());
    try {
      const r = cli(['review', '--base', 'HEAD']);
      expect([r.code, r.err]).toEqual([0, expect.stringContaining('synthesizing the base')]);
      const md = fs.readFileSync(path.join(lz, 'review-out', 'review.md'), 'utf8');
      expect(md).toContain('No dangerous change.');
      expect(md).toContain('aws_bedrock_inference_profile.globex__haiku');
      expect(md).toMatch(/- Base: matrix `landing-zone.yaml` at HEAD \(/);
      const json = JSON.parse(fs.readFileSync(path.join(lz, 'review-out', 'review.json'), 'utf8'));
      expect(json.tools).toEqual({ base: `bedrock-governance ${own.version}`, head: `bedrock-governance ${own.version}` });
      expect(git(lz, 'status', '--porcelain')).toBe(' M landing-zone.yaml\n');

      // The same edit committed: reviewed against the commit before it.
      git(lz, 'commit', '-qam', 'add tenant globex');
      const committed = cli(['review', '--base', 'HEAD~1', '--out', 'review-out/committed']);
      expect(committed.code).toBe(0);
      expect(fs.readFileSync(path.join(lz, 'review-out', 'committed', 'review.md'), 'utf8')).toContain(
        'aws_bedrock_inference_profile.globex__haiku',
      );
      git(lz, 'reset', '-q', '--hard', 'HEAD~1');
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test('the version a ref of the repository locks: package-lock.json, else package.json', () => {
    const { lockedToolVersion } = require(path.join(lz, 'node_modules', 'bedrock-governance', 'dist', 'review', 'cli.js'));
    const head = git(lz, 'rev-parse', 'HEAD').trim();
    expect(lockedToolVersion(lz, head, '')).toBe(own.version); // no lockfile committed: package.json
    fs.writeFileSync(
      path.join(lz, 'package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/bedrock-governance': { version: '9.9.9' } } }),
    );
    git(lz, 'add', 'package-lock.json');
    git(lz, 'commit', '-qm', 'lock');
    expect(lockedToolVersion(lz, git(lz, 'rev-parse', 'HEAD').trim(), '')).toBe('9.9.9');
    git(lz, 'reset', '-q', '--hard', head);
  });

  test('the library API: require and import bedrock-governance resolve through exports, with types', () => {
    const js = spawnSync(
      process.execPath,
      [
        '-e',
        "const g = require('bedrock-governance'); const c = g.loadMatrixFile('landing-zone.yaml'); console.log(typeof g.synthesize, typeof g.Matrix.safeParse, typeof g.LoggingStack, c.stacks.length, require('bedrock-governance/package.json').version)",
      ],
      { cwd: lz, encoding: 'utf8', env: { PATH: process.env.PATH! } },
    );
    expect([js.status, js.stderr, js.stdout]).toEqual([0, '', `function function function 4 ${own.version}\n`]);
    const check = path.join(lz, 'check.ts');
    fs.writeFileSync(
      check,
      "import { Matrix, loadMatrixFile, synthesize, type AppConfig } from 'bedrock-governance';\nconst m: Matrix = { accounts: [{ id: '111111111111', regions: ['us-east-1'] }] };\nconst c: AppConfig = loadMatrixFile('landing-zone.yaml');\nconst names: string[] = synthesize(c, 'out');\nexport const n: number = names.length + Matrix.parse(m).accounts.length;\n",
    );
    // One line with a wrong type: the declarations are there and read, and it is the only error.
    fs.appendFileSync(check, "export const bad: string = synthesize(c, 'out');\n");
    try {
      const tsc = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--module',
          'node16',
          '--moduleResolution',
          'node16',
          check,
        ],
        { cwd: lz, encoding: 'utf8' },
      );
      expect(tsc.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(/^check\.ts\(6,14\): error TS2322: Type 'string\[\]' is not assignable to type 'string'\.$/),
      ]);
    } finally {
      fs.rmSync(check);
    }
  });

  test('nothing falls back to the embedded example: without the matrix, a command fails and names the file it looked for', () => {
    const empty = fs.mkdtempSync(path.join(work, 'no-matrix-'));
    for (const args of [['synth'], ['waves']]) {
      const r = cli(args, empty);
      expect([args, r.code]).toEqual([args, 1]);
      expect(r.err).toContain(`looked for ${path.join(fs.realpathSync(empty), 'landing-zone.yaml')}`);
      expect(r.err).not.toContain('embedded example matrix');
    }
    expect(fs.existsSync(path.join(empty, 'cdktf.out'))).toBe(false);
    const named = cli(['waves', '--matrix', 'other.yaml'], empty);
    expect([named.code, named.err]).toEqual([1, expect.stringContaining('other.yaml')]);
  });

  test('init --force after an upgrade rewrites the tool files and keeps the team ones', () => {
    const matrix = path.join(lz, 'landing-zone.yaml');
    const workflow = path.join(lz, '.github', 'workflows', 'deploy.yml');
    const mine = path.join(lz, '.github', 'workflows', 'codeql.yml');
    const before = fs.readFileSync(matrix, 'utf8');
    fs.writeFileSync(matrix, `${before}# edited by the team\n`);
    fs.writeFileSync(workflow, 'edited by hand');
    fs.writeFileSync(mine, 'name: codeql\n');
    try {
      const r = cli(['init', '--force']);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toMatch(/^ {2}landing-zone\.yaml +kept \(yours\)$/m);
      expect(r.out).toMatch(/^ {2}\.github\/workflows\/deploy\.yml +replaced$/m);
      expect(fs.readFileSync(matrix, 'utf8')).toContain('# edited by the team');
      expect(fs.readFileSync(workflow, 'utf8')).toContain('npx bedrock-governance deploy-wave');
      expect(fs.readFileSync(mine, 'utf8')).toBe('name: codeql\n');
    } finally {
      git(lz, 'checkout', '-q', '--', '.');
      fs.rmSync(mine);
    }
  });
});
