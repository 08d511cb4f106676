/** Evaluation (config/evaluation.ts): every judge model is a model alias of the matrix, and a stack with evaluation has at least one. */
import type { MatrixIssue } from '../errors';
import { type Evaluation, mergeEvaluation } from '../evaluation';
import { regionEntries } from '../resolvers/logging-stacks';
import type { MatrixCheck } from './check';

export const evaluation: MatrixCheck = ({ matrix }) => {
  const aliases = (matrix.models ?? []).map((m) => m.alias);
  const issues: MatrixIssue[] = [];
  const judges = (e: Evaluation | undefined, path: string) =>
    (e ? (e.judgeModels ?? []) : []).forEach((alias, i) => {
      if (!aliases.includes(alias))
        issues.push({
          path: `${path}.judgeModels[${i}]`,
          value: alias,
          allowed: aliases.length
            ? `a model alias defined in models: ${aliases.join(', ')}`
            : 'a model alias defined in models (there are none)',
        });
    });
  judges(matrix.evaluation, 'evaluation');
  matrix.accounts.forEach((account, ai) => {
    judges(account.evaluation, `accounts[${ai}].evaluation`);
    regionEntries(account).forEach((entry, ri) => {
      const own = 'evaluation' in entry ? entry.evaluation : undefined;
      judges(own, `accounts[${ai}].regions[${ri}].evaluation`);
      const merged = mergeEvaluation(matrix.evaluation, account.evaluation, own);
      if (merged && !merged.judgeModels?.length)
        issues.push({
          path: `accounts[${ai}].regions[${ri}] (${entry.region}): evaluation.judgeModels`,
          found: 'no judge model',
          allowed:
            'at least one judge model alias (evaluation.judgeModels on the matrix, the account or the region): the evaluation role may invoke only these',
        });
    });
  });
  return issues;
};
