/**
 * Profile names and descriptions as the Bedrock API checks them (the provider checks
 * only their length): a bad name fails at synth, with a suggested valid name, not at apply.
 */
import type { MatrixIssue } from '../errors';
import { profilePath } from '../resolvers/logging-stacks';
import * as rules from '../rules';
import type { MatrixCheck } from './check';

/** Suggests a valid profile name: invalid characters and repeated separators removed, cut to 64. */
export function suggestProfileName(name: string): string {
  return name
    .replace(/[^0-9a-zA-Z _-]/g, '-')
    .replace(/[ _-]{2,}/g, (m) => m[0])
    .replace(/^[ _-]+/, '')
    .slice(0, rules.PROFILE_NAME_MAX)
    .replace(/[ _-]+$/, '');
}

export const profileNames: MatrixCheck = ({ matrix, config }) => {
  const issues: MatrixIssue[] = [];
  const tenants = matrix.tenants ?? [];
  for (const p of config.stacks.flatMap((s) => s.profiles)) {
    const where = profilePath(
      tenants.findIndex((t) => t.id === p.tenant),
      p.tenant,
      p.model,
    );
    if (p.name.length > rules.PROFILE_NAME_MAX || !rules.PROFILE_NAME.test(p.name))
      issues.push({
        path: where,
        value: p.name,
        allowed: `an inference profile name of 1-${rules.PROFILE_NAME_MAX} characters matching ([0-9a-zA-Z][ _-]?)+ (no repeated separators), e.g. "${suggestProfileName(p.name)}": rename the tenant or the model alias`,
      });
    if (p.description.length > rules.PROFILE_DESCRIPTION_MAX || !rules.PROFILE_DESCRIPTION.test(p.description))
      issues.push({
        path: where,
        value: p.description,
        allowed: 'a profile description of at most 200 characters matching ([0-9a-zA-Z:.][ _-]?)+',
      });
  }
  return issues;
};
