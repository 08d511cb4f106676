/**
 * `bedrock-governance init [dir]`: writes a landing-zone repository, the files
 * of templates/landing-zone/ (the matrix, the README, the workflows, the review
 * accept file, .gitignore) plus package.json (this tool at its exact version and
 * the cdktf CLI) and cdktf.json (the app: this tool's synth). The templates are
 * the one place the generated files come from.
 *
 * Each file has an owner. The team's (the matrix, the accept file, the README)
 * are never overwritten; the tool's (workflows, the comment script, cdktf.json)
 * are rewritten by `init --force`, which is how an upgrade brings the new
 * version's workflows; package.json and .gitignore are merged.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand } from '../../lib/args';
import { toolPackage, toolRoot } from '../../config/package-info';

/** Where the generated files come from, in the package: a leading dot is left out of the names (npm would drop a .gitignore). */
export const TEMPLATE_DIR = path.join('templates', 'landing-zone');

export type Owner = 'team' | 'tool' | 'merged';

/** One file init writes: its path in the landing-zone repository, who owns it, and its content. */
export interface InitFile {
  path: string;
  owner: Owner;
  content: (existing: string | undefined) => string;
}

/** The scripts of the generated package.json: every command a team runs, by the name of the command. */
export const SCRIPTS: Record<string, string> = {
  synth: 'bedrock-governance synth',
  review: 'bedrock-governance review --accept-file .github/review-accept.txt',
  'iac-rules': 'bedrock-governance iac-rules',
  waves: 'bedrock-governance waves',
  'deploy-wave': 'bedrock-governance deploy-wave',
  'tfc-workspaces': 'bedrock-governance tfc-workspaces',
  decommission: 'bedrock-governance decommission',
  'usage-report': 'bedrock-governance usage-report',
  verify: 'bedrock-governance verify',
  'changed-stacks': 'bedrock-governance changed-stacks',
  'plan-summary': 'bedrock-governance plan-summary',
  'eval-dataset': 'bedrock-governance eval-dataset',
};

const template = (name: string) => () => fs.readFileSync(path.join(toolRoot(), TEMPLATE_DIR, name), 'utf8');

/** An npm package name from a folder name. */
export function packageName(dir: string): string {
  const name = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name || 'landing-zone';
}

/** The generated package.json, or an existing one with the tool's dependencies and scripts set and everything else kept. */
export function packageJson(dir: string, existing: string | undefined): string {
  const tool = toolPackage();
  const own = JSON.parse(fs.readFileSync(path.join(toolRoot(), 'package.json'), 'utf8'));
  const pkg = existing
    ? JSON.parse(existing)
    : { name: packageName(dir), private: true, description: 'Amazon Bedrock governance of this landing zone (bedrock-governance)' };
  pkg.scripts = { ...(pkg.scripts ?? {}), ...SCRIPTS };
  // The exact tool version, and the cdktf CLI the tool was built with (cdktf synth|diff|deploy, deploy-wave).
  pkg.dependencies = { ...(pkg.dependencies ?? {}), [tool.name]: tool.version, 'cdktf-cli': own.dependencies['cdktf-cli'] };
  if (!pkg.engines && own.engines) pkg.engines = own.engines;
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** cdktf.json: the app is this tool's synth, which reads the matrix (MATRIX_FILE, else landing-zone.yaml), so cdktf synth|diff|deploy work in the repository. */
export function cdktfJson(dir: string): string {
  return (
    JSON.stringify(
      {
        language: 'typescript',
        app: 'npx bedrock-governance synth',
        projectId: packageName(dir),
        sendCrashReports: 'false',
        terraformProviders: [],
        terraformModules: [],
        context: {},
      },
      null,
      2,
    ) + '\n'
  );
}

/** .gitignore: the tool's lines, then any line of an existing file that is not among them. */
export function gitignore(existing: string | undefined): string {
  const tool = template('gitignore')();
  if (!existing) return tool;
  const have = new Set(tool.split('\n'));
  const extra = existing.split('\n').filter((l) => l.trim() && !have.has(l));
  return extra.length ? `${tool}\n# Yours\n${extra.filter((l) => l !== '# Yours').join('\n')}\n` : tool;
}

/** Every file init writes, in the order it reports them. */
export function initFiles(dir: string): InitFile[] {
  return [
    { path: 'landing-zone.yaml', owner: 'team', content: template('landing-zone.yaml') },
    { path: 'README.md', owner: 'team', content: template('README.md') },
    { path: '.github/review-accept.txt', owner: 'team', content: template('github/review-accept.txt') },
    { path: 'package.json', owner: 'merged', content: (existing) => packageJson(dir, existing) },
    { path: '.gitignore', owner: 'merged', content: gitignore },
    { path: 'cdktf.json', owner: 'tool', content: () => cdktfJson(dir) },
    { path: '.github/workflows/pull-request.yml', owner: 'tool', content: template('github/workflows/pull-request.yml') },
    { path: '.github/workflows/deploy.yml', owner: 'tool', content: template('github/workflows/deploy.yml') },
    { path: '.github/workflows/deploy-wave.yml', owner: 'tool', content: template('github/workflows/deploy-wave.yml') },
    // One source for this repository's workflow and the generated one.
    {
      path: '.github/scripts/review-comment.js',
      owner: 'tool',
      content: () => fs.readFileSync(path.join(toolRoot(), '.github', 'scripts', 'review-comment.js'), 'utf8'),
    },
  ];
}

/** What init did with each file. */
export type Outcome = 'written' | 'kept (yours)' | 'replaced' | 'merged';

/** Writes the landing-zone repository into `dir`; refuses a folder with anything but .git in it unless `force`. */
export function init(dir: string, force: boolean): { path: string; outcome: Outcome }[] {
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((e) => e !== '.git') : [];
  if (present.length && !force)
    throw new InitError(
      `${dir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', ...' : ''}): give --force to write into it (the tool's files are replaced, package.json and .gitignore merged, and landing-zone.yaml, README.md and .github/review-accept.txt kept when they exist)`,
    );
  return initFiles(dir).map((f) => {
    const file = path.join(dir, f.path);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (existing !== undefined && f.owner === 'team') return { path: f.path, outcome: 'kept (yours)' as Outcome };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content(existing));
    return { path: f.path, outcome: (existing === undefined ? 'written' : f.owner === 'merged' ? 'merged' : 'replaced') as Outcome };
  });
}

export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitError';
  }
}

export const COMMAND = defineCommand({
  command: 'bedrock-governance init',
  usage: '[dir] [options]',
  summary: `Writes a landing-zone repository into <dir>: landing-zone.yaml (a commented
starting matrix with placeholders), package.json (this tool at its exact version
and the cdktf CLI, with a script per command), cdktf.json (so npx cdktf
synth|diff|deploy work), the pull-request and deploy workflows, the review accept
file, .gitignore and a README for the team. Lists what it wrote.

The matrix, the README and .github/review-accept.txt are yours and never
overwritten; the workflows, .github/scripts/ and cdktf.json are the tool's and
--force rewrites them (after an upgrade); package.json and .gitignore are merged.`,
  positionals: [{ name: '[dir]', help: 'the repository folder (default: the working directory; created if missing)' }],
  options: [{ name: '--force', help: "write into a folder that is not empty (the tool's files replaced,\nyours kept)" }],
  exits: { failed: 'failed: the folder is not empty (without --force), or a write failed' },
  footer: `Examples:
  npx bedrock-governance@latest init my-landing-zone && cd my-landing-zone && npm install
  npx bedrock-governance init --force      (after npm install --save-exact bedrock-governance@<new version>)`,
});

export function main(argv = process.argv.slice(2)): void {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const dir = opts.positionals[0] ?? '.';
  const done = init(dir, opts.switches.has('--force'));
  console.log(`Wrote the landing-zone repository of ${toolPackage().name} ${toolPackage().version} into ${path.resolve(dir)}:`);
  const width = Math.max(...done.map((d) => d.path.length)) + 2;
  for (const d of done) console.log(`  ${d.path.padEnd(width)}${d.outcome}`);
  console.log(`
Next: edit the placeholders of landing-zone.yaml, then
  ${dir === '.' ? '' : `cd ${dir} && `}npm install && npm run synth && npm run waves
and commit. README.md says what a pull request shows and how a deploy runs.
Until ${toolPackage().name} is published on npm (pending), npm install fails with E404: install the
tarball (npm pack in a checkout of the tool) instead, committed with the repository so the workflows' npm ci
finds it: mkdir vendor && cp <path>/${toolPackage().name}-${toolPackage().version}.tgz vendor/ &&
npm install --save-exact ./vendor/${toolPackage().name}-${toolPackage().version}.tgz (README.md, "Install").`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof InitError ? `Error: ${e.message}` : e);
    process.exitCode = EXIT.failed;
  }
}
