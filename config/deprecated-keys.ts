/**
 * Matrix keys that were renamed: the old name is still read, as the new one, with one
 * warning per load that names the new key; a matrix with both is an error naming both.
 * Everything after this step (the schema, the checks, their error paths) sees only the
 * new key.
 */
import type { MatrixIssue } from './errors';

/** Top-level matrix keys by their former names. */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  // "Guardrail" means Amazon Bedrock Guardrails (bedrockGuardrails) only (issue 27).
  guardrails: 'organizationPolicies',
};

/** The matrix with each former key renamed in place, the warnings to print, and the keys given twice. */
export interface RenamedKeys {
  input: unknown;
  warnings: string[];
  issues: MatrixIssue[];
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function renameDeprecatedKeys(input: unknown): RenamedKeys {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { input, warnings: [], issues: [] };
  let out = input as Record<string, unknown>;
  const warnings: string[] = [];
  const issues: MatrixIssue[] = [];
  for (const [former, now] of Object.entries(RENAMED_KEYS)) {
    if (!has(out, former)) continue;
    if (has(out, now)) {
      issues.push({
        path: former,
        found: `both \`${now}\` and \`${former}\`, its former name`,
        allowed: `only \`${now}\`: move the entries of \`${former}\` into it`,
      });
      continue;
    }
    // The same position in the object, so nothing but the name changes.
    out = Object.fromEntries(Object.entries(out).map(([k, v]) => [k === former ? now : k, v]));
    warnings.push(`the matrix key \`${former}\` is deprecated: rename it to \`${now}\` (same content)`);
  }
  return { input: out, warnings, issues };
}
