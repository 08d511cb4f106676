/**
 * Loads the environment matrix: the embedded example by default, or the JSON or
 * YAML file named by MATRIX_FILE. Everything wrong with it is reported at once
 * as a MatrixError; nothing is synthesized from a bad matrix.
 */
import * as fs from 'fs';
import * as YAML from 'yaml';
import { MatrixError, fromZod } from './errors';
import { EXAMPLE_MATRIX } from './example-matrix';
import type { AppConfig } from './model';
import { partialIssues, resolveMatrix } from './pipeline';
import { Matrix } from './schema';

/** Larger files are refused before parsing: a real matrix of 1,000 accounts is well under 1 MiB. */
export const MAX_MATRIX_BYTES = 16 * 1024 * 1024;

/** Validates an in-memory matrix (already parsed) and resolves it into stack configs. */
export function validateMatrix(input: unknown, source = 'matrix'): AppConfig {
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

export function loadMatrixFile(file: string): AppConfig {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new MatrixError(file, [{ path: 'MATRIX_FILE', value: file, allowed: 'the path of an existing JSON or YAML file' }]);
  }
  if (!stat.isFile()) throw new MatrixError(file, [{ path: 'MATRIX_FILE', value: file, allowed: 'a file, not a directory' }]);
  if (stat.size > MAX_MATRIX_BYTES) throw new MatrixError(file, [{ path: '(file)', value: `${stat.size} bytes`, allowed: `a matrix file of at most ${MAX_MATRIX_BYTES} bytes` }]);
  return validateMatrix(parseMatrixText(fs.readFileSync(file, 'utf8'), file), file);
}

/** The matrix this run uses: MATRIX_FILE when set, otherwise the embedded example. */
export function loadMatrix(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const file = env.MATRIX_FILE;
  return file ? loadMatrixFile(file) : validateMatrix(EXAMPLE_MATRIX, 'embedded example matrix');
}
