/**
 * npm run review -- --base-dir <synth dir A> --head-dir <synth dir B> --out <dir>
 * npm run review -- --base <git ref> --out <dir> [--matrix <file>]
 * Exit codes: 0 no dangerous change, 2 dangerous changes, 1 error.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformSession, findMirror, findTerraform, projectRoot } from '../tools/terraform';
import { toJson, toMarkdown } from './report';
import { Review, reviewTrees } from './review';

const USAGE = `Usage:
  npm run review -- --base-dir <synth dir A> --head-dir <synth dir B> --out <dir> [options]
  npm run review -- --base <git ref> --out <dir> [--matrix <file>] [options]

Compares two cdktf.out trees (or a git ref with the working tree) stack by stack,
offline, and writes <dir>/review.md (a PR comment) and <dir>/review.json.

  --base-dir <dir>     synth output of the base (e.g. main)
  --head-dir <dir>     synth output of the change
  --base <git ref>     synthesize this ref in a temporary git worktree as the base,
                       and the working tree as the head
  --matrix <file>      with --base: the matrix file both sides use (MATRIX_FILE)
  --out <dir>          where review.md and review.json go (created if missing)
  --accept <pattern>   acknowledge known dangerous changes: "<stack>:<address>" with
                       * wildcards, e.g. "bedrock-logging-*:aws_bedrock_inference_profile.acme__*".
                       May repeat. Acknowledged changes are listed but do not fail the review.
  --accept-file <file> the same, one pattern per line; text after # is a comment (say why)
  --plan               also run the offline terraform plan (from empty state) of the
                       added and changed stacks and include its summary; needs terraform
  -h, --help           this help

Exit codes: 0 no dangerous change, 2 at least one dangerous change that is not acknowledged, 1 error.
`;

class UsageError extends Error {}

interface Args {
  baseDir?: string;
  headDir?: string;
  base?: string;
  matrix?: string;
  out?: string;
  accept: string[];
  plan: boolean;
  help: boolean;
}

/** Patterns from an accept file: one per line, # starts a comment. */
export function readAcceptFile(file: string): string[] {
  if (!fs.existsSync(file)) throw new UsageError(`--accept-file ${file} does not exist`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { accept: [], plan: false, help: false };
  const valued: Record<string, keyof Args> = { '--base-dir': 'baseDir', '--head-dir': 'headDir', '--base': 'base', '--matrix': 'matrix', '--out': 'out' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') a.help = true;
    else if (flag === '--plan') a.plan = true;
    else if (flag === '--accept' || flag === '--accept-file' || valued[flag]) {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      if (flag === '--accept') a.accept.push(value);
      else if (flag === '--accept-file') a.accept.push(...readAcceptFile(value));
      else (a as any)[valued[flag]] = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  if (a.help) return a;
  if (!a.out) throw new UsageError('--out is required');
  if (a.base && (a.baseDir || a.headDir)) throw new UsageError('use either --base or --base-dir/--head-dir');
  if (!a.base && !(a.baseDir && a.headDir)) throw new UsageError('give --base-dir and --head-dir, or --base');
  if (a.matrix && !a.base) throw new UsageError('--matrix goes with --base');
  return a;
}

/** Builds and runs the app of a checkout into `outdir`, with the same matrix for both sides. */
function synthCheckout(checkout: string, outdir: string, matrix: string | undefined, tscFrom: string): void {
  const tsc = path.join(tscFrom, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', checkout], { cwd: checkout, stdio: 'pipe' });
  const r = spawnSync(process.execPath, [path.join(checkout, 'dist', 'main.js')], {
    cwd: checkout,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...(matrix ? { MATRIX_FILE: matrix } : {}), SYNTH_ACCOUNTS: '', SYNTH_ENVIRONMENTS: '', SYNTH_REGIONS: '' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`synthesis of ${checkout} failed:\n${r.stderr || r.stdout}`);
}

/** Synthesizes a git ref in a temporary worktree and the working tree; returns both output dirs. */
function synthRefAndWorkingTree(ref: string, matrix: string | undefined, scratch: string): { baseDir: string; headDir: string } {
  const root = projectRoot();
  const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' }).trim();
  const worktree = path.join(scratch, 'base');
  execFileSync('git', ['worktree', 'add', '--detach', worktree, ref], { cwd: top, stdio: 'pipe' });
  try {
    const sub = path.relative(top, root);
    const baseRoot = path.join(worktree, sub);
    const sameLock =
      fs.existsSync(path.join(baseRoot, 'package-lock.json')) &&
      fs.readFileSync(path.join(baseRoot, 'package-lock.json'), 'utf8') === fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    if (sameLock) fs.symlinkSync(path.join(root, 'node_modules'), path.join(baseRoot, 'node_modules'), 'dir');
    else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: baseRoot, stdio: 'pipe' });
    const baseDir = path.join(scratch, 'base-out');
    const headDir = path.join(scratch, 'head-out');
    const m = matrix && path.resolve(matrix);
    synthCheckout(baseRoot, baseDir, m, sameLock ? root : baseRoot);
    synthCheckout(root, headDir, m, root);
    return { baseDir, headDir };
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: top, stdio: 'pipe' });
  }
}

async function addPlans(review: Review, headDir: string): Promise<string | undefined> {
  const terraform = findTerraform();
  if (!terraform) return 'terraform is not on the PATH: --plan skipped';
  if (!findMirror()) console.warn('No local provider mirror found: terraform init uses the registry.');
  const session = new TerraformSession(terraform);
  try {
    for (const s of review.stacks.filter((x) => x.status === 'added' || x.status === 'changed')) {
      const plan = await session.plan(path.join(headDir, 'stacks', s.name));
      const n = (a: string) => plan.changes.filter((c) => c.actions.includes(a)).length;
      s.plan = `${n('create')} to add, ${n('update')} to change, ${n('delete')} to destroy (from empty state)`;
    }
  } finally {
    session.dispose();
  }
  return undefined;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-'));
  try {
    const dirs = args.base ? synthRefAndWorkingTree(args.base, args.matrix, scratch) : { baseDir: args.baseDir!, headDir: args.headDir! };
    const review = reviewTrees(dirs.baseDir, dirs.headDir, args.accept);
    if (args.plan) {
      const note = await addPlans(review, dirs.headDir);
      if (note) console.warn(note);
    }
    fs.mkdirSync(args.out!, { recursive: true });
    const md = toMarkdown(review);
    fs.writeFileSync(path.join(args.out!, 'review.md'), md);
    fs.writeFileSync(path.join(args.out!, 'review.json'), toJson(review));
    process.stdout.write(md.split('### Details')[0]);
    console.log(`Wrote ${path.join(args.out!, 'review.md')} and review.json`);
    return review.dangerous ? 2 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    if (e instanceof UsageError) console.error(`Error: ${e.message}\n\n${USAGE}`);
    else console.error(`Error: ${e.message}`);
    process.exitCode = 1;
  },
);
