/**
 * A cross-field check of the matrix: what the schema cannot see field by field.
 * Each check is one file in this folder, reads the matrix and the resolved
 * config, and returns every problem it finds (the IaC rule pattern of
 * iac-rules/rules/, applied to input). index.ts lists them in report order.
 */
import type { MatrixIssue } from '../errors';
import type { AppConfig, StackConfig } from '../model';
import type { Matrix } from '../schema';

export interface CheckInput {
  matrix: Matrix;
  config: AppConfig;
}

export type MatrixCheck = (input: CheckInput) => MatrixIssue[];

/** A check of each logging stack on its own. */
export const eachStack =
  (check: (stack: StackConfig, input: CheckInput) => MatrixIssue[]): MatrixCheck =>
  (input) =>
    input.config.stacks.flatMap((s) => check(s, input));
