/**
 * npm run review -- --help
 * Exit codes: 0 no unacknowledged dangerous change, 1 failed, 2 usage error, 3 dangerous change.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMatrixFile, matrixFile, runsFromCheckout } from '../config/load';
import { EXIT, UsageError, cliOptions, defineCommand, progress, usageError } from '../lib/args';
import { toolPackage } from '../config/package-info';
import { projectRoot } from '../lib/terraform';
import { toJson, toMarkdown } from './report';
import { attributeToAddedStacks, narrowingsForLeavingStacks } from './added-stacks';
import { Acceptance, Review, Side, compareTrees, decommissionCommand, finish, selectStacks, treeTools } from './review';
import { costOfTrees } from './cost';
import { providerPlan } from './provider-plan';

export const COMMAND = defineCommand({
  command: 'npm run review',
  usage: [
    '-- --base <git ref> [--matrix <file> | --same-matrix] [options]',
    '-- --base-dir <synth dir A> --head-dir <synth dir B> [options]',
  ],
  summary: `Compares the landing zone of a git ref with the working tree (or two cdktf.out
trees) stack by stack, offline, and writes <dir>/review.md (a PR comment, at most
65,536 characters) and <dir>/review.json (every change). Prints the summary on stdout;
progress (the syntheses, each --plan stack) goes to stderr.

In a landing-zone repository (the tool installed as a package), --base reviews
that repository: each side is synthesized by the tool version its own
package-lock.json names (the base's installed with npm ci in a temporary
worktree when it differs); an upgrade's review names both versions.`,
  options: [
    {
      name: '--base',
      value: '<git ref>',
      help: 'synthesize this ref in a temporary git worktree as the base\n(none when only the matrix differs), and the working tree as the head',
    },
    {
      name: '--matrix',
      value: '<file>',
      help: `with --base: the matrix file (default: $MATRIX_FILE, else
landing-zone.yaml where the tool is installed, or the embedded
example in the tool's own checkout). The base reads it as it is
at <git ref> (git show <ref>:<file>), the head from the working
tree; a file that does not exist at <git ref> gives a base with
no stacks. With --base-dir/--head-dir: the head's matrix, read
only for deployment.review (warnOnly: dangerous changes in those
environments are warnings that do not fail the check)`,
    },
    { name: '--same-matrix', help: 'with --base and --matrix: both sides read the working-tree\nmatrix (a review of code changes only)' },
    { name: '--base-dir', value: '<dir>', help: 'synth output of the base (e.g. main)' },
    {
      name: '--base-ref',
      value: '<git ref>',
      help: `with --base-dir/--head-dir: the git ref the base was synthesized
from (default: origin/$GITHUB_BASE_REF in a pull-request workflow).
With the matrix (--matrix or $MATRIX_FILE), the decommission
command of a stack that leaves the matrix is complete: it reads
the previous matrix at that ref's commit`,
    },
    { name: '--head-dir', value: '<dir>', help: 'synth output of the change' },
    { name: '--out', value: '<dir>', help: 'where review.md and review.json go (created if missing;\ndefault review-out)' },
    {
      name: '--accept',
      value: '<pattern>',
      repeats: true,
      help: `acknowledge known dangerous changes: "<stack>:<address>" with
* wildcards, e.g. "bedrock-logging-*:aws_bedrock_inference_profile.acme__*".
Acknowledged changes are listed and counted but do not fail the review.`,
    },
    {
      name: '--accept-file',
      value: '<file>',
      repeats: true,
      help: `the same, an audit trail: one "<pattern>  # <reason>" per line
(a pattern without a reason is an error; lines starting with #
are comments). review.md shows the reason beside each
acknowledged change, and lists patterns that match nothing
as stale`,
    },
    {
      name: '--stacks',
      value: '<glob>',
      help: `review only the stacks whose names match (* any characters,
? one, several globs separated by commas), static and --plan,
e.g. "bedrock-logging-111111111111-*"; the report says how many
stacks were left out`,
    },
    {
      name: '--plan',
      help: `let the provider decide: for each changed stack, plan the base
offline into a prior state and plan the head against it
(terraform and the provider, no AWS call); its create / update /
replace / delete replace the static decisions of that stack.
A failure prints at most 40 lines (the stack, the address and
Terraform's error) and writes Terraform's whole output to
<dir>/plan-failure-<stack>.log; a head plan that a postcondition
of the stack refuses (a guardrail changed under its revision)
keeps that stack's static review, and says why`,
    },
  ],
  env: {
    MATRIX_FILE: 'without --matrix: the matrix file of both sides (with --base), or the head matrix for deployment.review',
    TF_PLUGIN_MIRROR: 'with --plan: the local provider mirror (default: a tf-plugins folder near /)',
    GOGC: "with --plan: the Go garbage collector's target for terraform and the provider (default 200)",
  },
  exits: {
    ok: 'no dangerous change that is not acknowledged',
    failed: 'failed (a synthesis, a plan, a tree that is not a synth output)',
    dangerous: 'at least one dangerous change that is not acknowledged',
  },
});

/**
 * The acknowledgements of an accept file, an audit trail: one `<pattern>  # <reason>` per
 * line; a line that starts with # is a comment; a pattern without a reason is an error.
 */
export function readAcceptFile(file: string): Acceptance[] {
  if (!fs.existsSync(file)) throw new UsageError(`--accept-file ${file} does not exist`);
  const out: Acceptance[] = [];
  const missing: string[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const text = line.trim();
      if (!text || text.startsWith('#')) return;
      const hash = text.indexOf('#');
      const pattern = (hash < 0 ? text : text.slice(0, hash)).trim();
      const reason = hash < 0 ? '' : text.slice(hash + 1).trim();
      if (!reason) missing.push(`${file}:${i + 1}: ${pattern}`);
      else out.push({ pattern, reason, source: `${file}:${i + 1}` });
    });
  if (missing.length)
    throw new UsageError(
      `every pattern of an accept file needs a reason ("<pattern>  # <reason>"); without one:\n  ${missing.join('\n  ')}`,
    );
  return out;
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();

/** Builds the app of a checkout (tsc -p, with the TypeScript of `tscFrom`). */
function buildCheckout(checkout: string, tscFrom: string): void {
  const tsc = path.join(tscFrom, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', checkout], { cwd: checkout, stdio: 'pipe' });
}

/** Builds and runs the app of a checkout into `outdir` with the given matrix file (or the embedded example). */
function synthCheckout(checkout: string, outdir: string, matrix: string | undefined, tscFrom: string): void {
  buildCheckout(checkout, tscFrom);
  runSynth(path.join(checkout, 'dist', 'main.js'), checkout, outdir, matrix);
}

/**
 * Whether the tool's checkout at `root` holds the code of `commit`, the matrix file aside: no tracked
 * file under it differs from the commit (git diff of the working tree) and no untracked file (one git
 * does not ignore) is there. Then the base needs no worktree and no build of its own.
 */
export function sameCodeAsWorkingTree(root: string, commit: string, matrix: string | undefined): boolean {
  const rel = matrix && path.relative(fs.realpathSync(root), fs.realpathSync(matrix)).split(path.sep).join('/');
  const except = rel && !rel.startsWith('..') ? [`:(exclude)${rel}`] : [];
  const diff = spawnSync('git', ['diff', '--quiet', commit, '--', '.', ...except], { cwd: root, stdio: 'ignore' });
  if (diff.status !== 0) return false;
  const untracked = spawnSync('git', ['ls-files', '--others', '--exclude-standard', '--', '.', ...except], { cwd: root, encoding: 'utf8' });
  return untracked.status === 0 && untracked.stdout.trim() === '';
}

/** Runs a tool's synth (its main.js) in `cwd` into `outdir` with the given matrix file (or, in a checkout, the embedded example). */
function runSynth(mainJs: string, cwd: string, outdir: string, matrix: string | undefined): void {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_ACCOUNTS: '', SYNTH_ENVIRONMENTS: '', SYNTH_REGIONS: '' };
  if (matrix) env.MATRIX_FILE = matrix;
  else delete env.MATRIX_FILE;
  const r = spawnSync(process.execPath, [mainJs], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synthesis in ${cwd} failed:\n${r.stderr || r.stdout}`);
}

/** The bedrock-governance version a landing-zone repository's package-lock.json (or package.json) names at a commit. */
export function lockedToolVersion(top: string, commit: string, rel: string, name = toolPackage().name): string | undefined {
  const show = (file: string) =>
    spawnSync('git', ['show', `${commit}:${path.posix.join(rel, file)}`], { cwd: top, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lock = show('package-lock.json');
  if (lock.status === 0) {
    const v = JSON.parse(lock.stdout).packages?.[`node_modules/${name}`]?.version;
    if (v) return v;
  }
  const pkg = show('package.json');
  return pkg.status === 0 ? JSON.parse(pkg.stdout).dependencies?.[name] : undefined;
}

/** An empty synth output: the base side when its matrix file does not exist at the ref. */
function emptyTree(dir: string): void {
  fs.mkdirSync(path.join(dir, 'stacks'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: 'none', stacks: {} }));
}

interface GitSides {
  baseDir: string;
  headDir: string;
  sides: { base: Side; head: Side };
  /** The matrix file (repository path) and the base commit, when the base read the file at the ref: for the decommission command. */
  decommission?: { file: string; baseCommit: string };
}

/**
 * Synthesizes a git ref in a temporary worktree and the working tree, each with its
 * own matrix: the base reads `matrix` as it is at the ref, the head the working-tree
 * file (both the working-tree file with sameMatrix).
 */
export function synthRefAndWorkingTree(
  ref: string,
  matrix: string | undefined,
  sameMatrix: boolean,
  scratch: string,
  log: (m: string) => void = () => undefined,
): GitSides {
  // In the tool's checkout the repository is the tool's own; installed, it is the landing-zone repository of the working directory.
  const checkout = runsFromCheckout();
  const root = checkout ? projectRoot() : process.cwd();
  const top = git(root, ['rev-parse', '--show-toplevel']);
  let commit: string;
  try {
    commit = git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--base ${ref} is not a commit of this repository`);
  }
  const short = commit.slice(0, 12);
  const headCommit = `working tree (HEAD ${git(top, ['rev-parse', '--short=12', 'HEAD'])})`;
  const baseDir = path.join(scratch, 'base-out');
  const headDir = path.join(scratch, 'head-out');
  const headMatrix = matrix && path.resolve(matrix);
  if (headMatrix && !fs.existsSync(headMatrix)) throw new UsageError(`--matrix ${matrix} does not exist in the working tree`);
  const example = 'embedded example (config/example-matrix.ts)';
  const sides: GitSides['sides'] = {
    base: { matrix: matrix ? code(matrix) : example, commit: `${ref} (${short})` },
    head: { matrix: matrix ? code(matrix) : example, commit: headCommit },
  };
  let baseMatrix: string | undefined = headMatrix;
  let decommission: GitSides['decommission'];
  let baseHasMatrix = true;
  if (headMatrix && sameMatrix) {
    sides.base = {
      matrix: code(matrix!),
      commit: `${headCommit}, with the code of ${ref} (${short})`,
      note: 'the same matrix on both sides (--same-matrix): matrix edits are not reviewed',
    };
  } else if (headMatrix) {
    const rel = path.relative(top, fs.realpathSync(headMatrix)).split(path.sep).join('/');
    if (rel.startsWith('..'))
      throw new UsageError(
        `--matrix ${matrix} is outside the repository, so it has no version at ${ref}: give --same-matrix to use it on both sides`,
      );
    const at = spawnSync('git', ['show', `${commit}:${rel}`], { cwd: top, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (at.status === 0) {
      decommission = { file: path.relative(process.cwd(), headMatrix) || rel, baseCommit: short };
      baseMatrix = path.join(scratch, `base-matrix${path.extname(rel)}`);
      fs.writeFileSync(baseMatrix, at.stdout);
    } else {
      baseHasMatrix = false;
      sides.base.note = `${rel} does not exist at ${ref}: the base has no stacks, so every stack is new`;
    }
  }
  const mainJs = path.join(__dirname, '..', 'main.js');
  if (!baseHasMatrix) emptyTree(baseDir);
  else if (!checkout) {
    const rel = path.relative(top, root).split(path.sep).join('/');
    const mine = toolPackage().version;
    const version = lockedToolVersion(top, commit, rel);
    if (!version)
      throw new Error(
        `the landing-zone repository at ${ref} names no ${toolPackage().name} version (package-lock.json or package.json): its base cannot be synthesized`,
      );
    if (version === mine) {
      log(`synthesizing the base, ${ref} (${short}), with this ${toolPackage().name} ${mine}`);
      runSynth(mainJs, scratch, baseDir, baseMatrix);
    } else {
      // An upgrade (or a downgrade): the base is synthesized by the version its own lockfile installs.
      const worktree = path.join(scratch, 'base');
      git(top, ['worktree', 'add', '--detach', worktree, commit]);
      try {
        const baseRoot = path.join(worktree, rel);
        log(`synthesizing the base, ${ref} (${short}), with ${toolPackage().name} ${version} (npm ci in a temporary worktree)`);
        execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: baseRoot, stdio: 'pipe' });
        runSynth(path.join(baseRoot, 'node_modules', toolPackage().name, 'dist', 'main.js'), baseRoot, baseDir, baseMatrix);
      } finally {
        git(top, ['worktree', 'remove', '--force', worktree]);
      }
    }
  } else if (sameCodeAsWorkingTree(root, commit, headMatrix)) {
    // Only the matrix differs (a day-two pull request): the working tree's build synthesizes both sides.
    log(`synthesizing the base, ${ref} (${short}), with the working tree's code (the same at ${ref})`);
    buildCheckout(root, root);
    runSynth(path.join(root, 'dist', 'main.js'), root, baseDir, baseMatrix);
    log('synthesizing the head, the working tree');
    runSynth(path.join(root, 'dist', 'main.js'), root, headDir, headMatrix);
    return { baseDir, headDir, sides, ...(decommission ? { decommission } : {}) };
  } else {
    const worktree = path.join(scratch, 'base');
    git(top, ['worktree', 'add', '--detach', worktree, commit]);
    try {
      const baseRoot = path.join(worktree, path.relative(top, root));
      const lock = (dir: string) => path.join(dir, 'package-lock.json');
      const sameLock = fs.existsSync(lock(baseRoot)) && fs.readFileSync(lock(baseRoot), 'utf8') === fs.readFileSync(lock(root), 'utf8');
      log(`synthesizing the base, ${ref} (${short}), in a temporary worktree${sameLock ? '' : ' (npm ci: its package-lock.json differs)'}`);
      if (sameLock) fs.symlinkSync(path.join(root, 'node_modules'), path.join(baseRoot, 'node_modules'), 'dir');
      else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: baseRoot, stdio: 'pipe' });
      synthCheckout(baseRoot, baseDir, baseMatrix, sameLock ? root : baseRoot);
    } finally {
      git(top, ['worktree', 'remove', '--force', worktree]);
    }
  }
  log('synthesizing the head, the working tree');
  if (checkout) synthCheckout(root, headDir, headMatrix, root);
  else runSynth(mainJs, root, headDir, headMatrix);
  return { baseDir, headDir, sides, ...(decommission ? { decommission } : {}) };
}

const code = (s: string) => `\`${s}\``;

/** The commit of a git ref (12 characters), or undefined when git cannot resolve it here. */
function revParse(ref: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .slice(0, 12);
  } catch {
    return undefined;
  }
}

const OUTPUTS = ['review.md', 'review.json'];

/** Removes the outputs of an earlier run from the out directory. */
export function removeOutputs(out: string): void {
  for (const f of OUTPUTS) fs.rmSync(path.join(out, f), { force: true });
}

/** A failed run: review.md says so (for the pull-request comment); no review.json, so no tool reads a verdict. */
export function writeFailure(out: string, message: string): void {
  removeOutputs(out);
  fs.mkdirSync(out, { recursive: true });
  // The whole message (a failed --plan: the stack, Terraform's error and the log file, at most 40 lines), as the reviewer needs it.
  const [first, ...rest] = message.trimEnd().split('\n');
  fs.writeFileSync(
    path.join(out, 'review.md'),
    `## Bedrock governance plan review\n\n**The review failed**, so there is no verdict: ${first}\n` +
      (rest.length ? `\n~~~text\n${rest.join('\n')}\n~~~\n` : ''),
  );
}

async function main(): Promise<number | undefined> {
  const opts = cliOptions(COMMAND);
  if (!opts) return undefined;
  const v = opts.values;
  const out = v['--out'] ?? 'review-out';
  if (v['--base'] && (v['--base-dir'] || v['--head-dir'])) throw new UsageError('use either --base or --base-dir/--head-dir');
  if (!v['--base'] && !(v['--base-dir'] && v['--head-dir'])) throw new UsageError('give --base-dir and --head-dir, or --base');
  const matrix = v['--base'] ? matrixFile(v['--matrix'], process.env) : (v['--matrix'] ?? (process.env.MATRIX_FILE || undefined));
  if (opts.switches.has('--same-matrix') && (!matrix || !v['--base']))
    throw new UsageError('--same-matrix goes with --base and --matrix (or MATRIX_FILE)');
  if (matrix && !v['--base'] && !fs.existsSync(matrix)) throw new UsageError(`--matrix ${matrix} does not exist`);
  // The head matrix's review settings (deployment.review.warnOnly); with --base the head is the working-tree file.
  const warnOnly = matrix && fs.existsSync(matrix) ? loadMatrixFile(matrix).deployment.reviewWarnOnly : [];
  const accept: Acceptance[] = [
    ...(opts.lists['--accept'] ?? []).map((pattern) => ({ pattern, source: '--accept' })),
    ...(opts.lists['--accept-file'] ?? []).flatMap(readAcceptFile),
  ];

  // A run never leaves an earlier run's verdict behind: a failure below leaves a failure report, not the old review.
  removeOutputs(out);
  const log = progress();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-'));
  try {
    const dirs: Partial<GitSides> & { baseDir: string; headDir: string } = v['--base']
      ? synthRefAndWorkingTree(v['--base'], matrix, opts.switches.has('--same-matrix'), scratch, log.step)
      : { baseDir: v['--base-dir']!, headDir: v['--head-dir']! };
    // Pull-request mode: the base's commit (the ref resolved now: after merge the branch holds the new matrix).
    if (!dirs.decommission && matrix) {
      const ref = v['--base-ref'] ?? (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : undefined);
      const commit = ref ? revParse(ref) : undefined;
      if (commit) dirs.decommission = { file: matrix, baseCommit: commit };
    }
    const selected = selectStacks(compareTrees(dirs.baseDir, dirs.headDir), v['--stacks']);
    const stacks = selected.stacks;
    if (v['--stacks'] && !stacks.length) throw new UsageError(`--stacks ${v['--stacks']} matches no stack of the two trees`);
    for (const s of stacks)
      if (s.decommission && dirs.decommission) s.decommission.command = decommissionCommand(s.name, dirs.decommission);
    let mode: string | undefined;
    if (opts.switches.has('--plan')) mode = await providerPlan(stacks, dirs.baseDir, dirs.headDir, log.step, { logDir: out });
    attributeToAddedStacks(stacks, dirs.baseDir, dirs.headDir);
    narrowingsForLeavingStacks(stacks, dirs.baseDir, dirs.headDir);
    const tools = treeTools(dirs.baseDir, dirs.headDir);
    const review: Review = finish(stacks, accept, {
      cost: costOfTrees(stacks, dirs.baseDir, dirs.headDir),
      ...(v['--stacks'] ? { scope: { glob: v['--stacks'], outside: selected.outside } } : {}),
      ...(dirs.sides ? { sides: dirs.sides } : {}),
      ...(tools ? { tools } : {}),
      ...(mode ? { mode } : {}),
      ...(warnOnly.length ? { warnOnly } : {}),
    });
    fs.mkdirSync(out, { recursive: true });
    const md = toMarkdown(review);
    fs.writeFileSync(path.join(out, 'review.md'), md);
    fs.writeFileSync(path.join(out, 'review.json'), toJson(review));
    process.stdout.write(md.split('\n### ')[0].trimEnd() + '\n');
    console.log(`Wrote ${path.join(out, 'review.md')} (${md.length.toLocaleString('en-US')} characters) and review.json`);
    // A long run (syntheses, provider plans) ends its progress with the elapsed time; a static review of two trees stays quiet.
    if (v['--base'] || opts.switches.has('--plan')) log.done(`reviewed ${stacks.length} stack${stacks.length === 1 ? '' : 's'}`);
    return review.dangerous ? EXIT.dangerous : EXIT.ok;
  } catch (e) {
    writeFailure(out, e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (e) => {
      if (e instanceof UsageError) usageError(COMMAND, e.message);
      else {
        console.error(`Error: ${e.message}`);
        process.exitCode = EXIT.failed;
      }
    },
  );
