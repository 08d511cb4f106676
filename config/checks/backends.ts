/** Workspace names and state keys are valid and unique, or two stacks would share state. */
import type { MatrixIssue } from '../errors';
import type { ResolvedBackend } from '../model';
import * as rules from '../rules';
import type { MatrixCheck } from './check';

export const backends: MatrixCheck = ({ config }) =>
  check([...config.stacks, ...(config.management ? [config.management] : []), ...config.monitoring, ...config.bootstraps]);

function check(stacks: { matrixPath: string; backend: ResolvedBackend }[]): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const seen = new Map<string, string>();
  for (const s of stacks) {
    const b = s.backend;
    if (b.type === 'local') continue;
    const id = b.type === 'tfc' ? b.workspace : b.key;
    const field = b.type === 'tfc' ? 'deployment.backend.workspaceTemplate' : 'deployment.backend.keyTemplate';
    if (b.type === 'tfc' && !rules.TFC_WORKSPACE.test(id))
      issues.push({
        path: `${s.matrixPath} (${field})`,
        value: id,
        allowed: 'a Terraform Cloud workspace name of at most 90 letters, digits, - and _',
      });
    const other = seen.get(id);
    if (other)
      issues.push({
        path: `${s.matrixPath} (${field})`,
        value: id,
        allowed: `a name unique to each stack (${other} has it too): add {accountId} and {region}, or use {stack}`,
      });
    else seen.set(id, s.matrixPath);
  }
  return issues;
}
