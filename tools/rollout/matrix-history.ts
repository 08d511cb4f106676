/**
 * The matrix file's git history: the most recent commit whose matrix still has a
 * stack, so that `decommission` gets the configuration of a stack that left the
 * matrix without anyone digging for it (`git show <commit>:<file>`).
 */
import { spawnSync } from 'child_process';
import { parseMatrixText, validateMatrix } from '../../config/load';
import type { AppConfig } from '../../config/model';
import { stackNames } from '../../stacks/outdir';

/** How many commits of the matrix file are looked at, newest first. */
export const HISTORY_DEPTH = 500;

const git = (args: string[], cwd: string) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** The file's text at a commit (undefined when it did not exist there). */
export function fileAt(ref: string, file: string, cwd = '.'): string | undefined {
  const r = git(['show', `${ref}:${file}`], cwd);
  return r.status === 0 ? r.stdout : undefined;
}

export interface MatrixAtCommit {
  commit: string;
  config: AppConfig;
}

/** Reads the matrix file's history lazily, each commit at most once; matrices that do not validate are skipped. */
export class MatrixHistory {
  private commits?: string[];
  private readonly seen = new Map<string, MatrixAtCommit | null>();

  constructor(
    readonly file: string,
    readonly cwd = '.',
  ) {}

  private list(): string[] {
    if (!this.commits) {
      const r = git(['log', '--format=%H', '-n', String(HISTORY_DEPTH), '--', this.file], this.cwd);
      if (r.status !== 0)
        throw new Error(`git log of ${this.file} failed: ${r.stderr.trim()} (the workflow checks out with fetch-depth: 0)`);
      this.commits = r.stdout.split('\n').filter(Boolean);
    }
    return this.commits;
  }

  private at(commit: string): MatrixAtCommit | null {
    if (!this.seen.has(commit)) {
      const text = fileAt(commit, this.file, this.cwd);
      let found: MatrixAtCommit | null = null;
      try {
        if (text !== undefined)
          found = { commit, config: validateMatrix(parseMatrixText(text, `${commit}:${this.file}`), `${commit}:${this.file}`) };
      } catch {
        found = null; // an old matrix this version does not accept: look further back
      }
      this.seen.set(commit, found);
    }
    return this.seen.get(commit)!;
  }

  /** The newest commit whose matrix has the stack, with that matrix; undefined when none has. */
  lastWith(stack: string): MatrixAtCommit | undefined {
    for (const c of this.list()) {
      const m = this.at(c);
      if (m && stackNames(m.config).includes(stack)) return m;
    }
    return undefined;
  }
}
