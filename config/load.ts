/**
 * Loads the environment matrix: the JSON or YAML file named by --matrix, else by
 * MATRIX_FILE, else the default of where the tool runs (matrixFile below).
 * Its problems are reported as one MatrixError (every schema error, and the
 * cross-field problems of the top-level fields that are valid); nothing is
 * synthesized from a bad matrix.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renameDeprecatedKeys } from './deprecated-keys';
import { MatrixError, fromZod } from './errors';
import { EXAMPLE_MATRIX } from './example-matrix';
import type { AppConfig } from './model';
import { partialIssues, resolveMatrix } from './pipeline';
import { Matrix } from './schema';

/** Larger files are refused before parsing: a real matrix of 1,000 accounts is well under 1 MiB. */
export const MAX_MATRIX_BYTES = 16 * 1024 * 1024;

/**
 * Validates an in-memory matrix (already parsed) and resolves it into stack configs. A
 * former key name (config/deprecated-keys.ts) is read as the new one with one warning line
 * per key on `warn` (stderr).
 */
export function validateMatrix(
  raw: unknown,
  source = 'matrix',
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): AppConfig {
  const renamed = renameDeprecatedKeys(raw);
  if (renamed.issues.length) throw new MatrixError(source, renamed.issues);
  for (const w of renamed.warnings) warn(`warning: ${source}: ${w}`);
  const input = renamed.input;
  const parsed = Matrix.safeParse(input);
  // The schema's problems, and in the same run the cross-field problems of the fields that are valid.
  if (!parsed.success) throw new MatrixError(source, [...fromZod(Matrix, input, parsed.error), ...partialIssues(input, parsed.error)]);
  const { config, issues } = resolveMatrix(parsed.data);
  if (issues.length) throw new MatrixError(source, issues);
  return config;
}

export function parseMatrixText(text: string, source: string): unknown {
  if (!text.trim()) throw new MatrixError(source, [{ path: '(file)', allowed: 'a JSON or YAML matrix; the file is empty' }]);
  if (/\.json$/i.test(source)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new MatrixError(source, [{ path: '(file)', allowed: `valid JSON: ${(e as Error).message}` }]);
    }
  }
  // YAML is a superset of JSON, so any other file name is read as YAML.
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length)
    throw new MatrixError(
      source,
      doc.errors.map((e) => ({ path: '(file)', allowed: `valid YAML: ${e.message.split('\n')[0]}` })),
    );
  return doc.toJS();
}

/**
 * Loads and validates a matrix file. `givenBy` names where the path came from
 * (the flag or variable), so a missing file is reported against what the user set.
 */
export function loadMatrixFile(file: string, givenBy = 'MATRIX_FILE'): AppConfig {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new MatrixError(file, [{ path: givenBy, value: file, allowed: 'the path of an existing JSON or YAML file' }]);
  }
  if (!stat.isFile()) throw new MatrixError(file, [{ path: givenBy, value: file, allowed: 'a file, not a directory' }]);
  if (stat.size > MAX_MATRIX_BYTES)
    throw new MatrixError(file, [
      { path: '(file)', value: `${stat.size} bytes`, allowed: `a matrix file of at most ${MAX_MATRIX_BYTES} bytes` },
    ]);
  return validateMatrix(parseMatrixText(fs.readFileSync(file, 'utf8'), file), file);
}

/** The matrix file a landing-zone repository keeps at its root (what `bedrock-governance init` writes). */
export const DEFAULT_MATRIX_FILE = 'landing-zone.yaml';

/**
 * Whether this code runs from the tool's own source checkout (its files are not
 * under a node_modules folder), rather than installed as the bedrock-governance
 * package in a landing-zone repository. Only a checkout falls back to the
 * embedded example, for the quick start and the tests of the tool itself.
 */
export function runsFromCheckout(dir: string = __dirname): boolean {
  return !path.resolve(dir).split(path.sep).includes('node_modules');
}

/**
 * The matrix file of this run: --matrix, else MATRIX_FILE, else (installed in a
 * landing-zone repository) landing-zone.yaml in the working directory. Undefined
 * only in the tool's own checkout: the embedded example.
 */
export function matrixFile(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  checkout = runsFromCheckout(),
): string | undefined {
  return flag || env.MATRIX_FILE || (checkout ? undefined : DEFAULT_MATRIX_FILE);
}

/**
 * The matrix this run uses (matrixFile). Installed, a missing default file is an
 * error that names the file it looked for: a landing-zone repository never falls
 * back to the embedded example.
 */
export function loadMatrix(env: NodeJS.ProcessEnv = process.env, flag?: string, checkout = runsFromCheckout()): AppConfig {
  const file = matrixFile(flag, env, checkout);
  if (!file) return validateMatrix(EXAMPLE_MATRIX, 'embedded example matrix');
  if (!flag && !env.MATRIX_FILE && !fs.existsSync(file))
    throw new MatrixError(file, [
      {
        path: '--matrix',
        found: `not given, and no MATRIX_FILE; looked for ${path.resolve(file)}, which does not exist`,
        allowed: `the landing zone's matrix: ${DEFAULT_MATRIX_FILE} in the working directory, or the file named by --matrix <file> or MATRIX_FILE (npx bedrock-governance init writes a starting one)`,
      },
    ]);
  return loadMatrixFile(file, flag || !env.MATRIX_FILE ? '--matrix' : 'MATRIX_FILE');
}
