/**
 * organizationPolicies.approvedModels, resolved: per entry, the foundation model IDs (geography prefix
 * removed: the SCP matches the model and every system profile of it) and, where
 * organizationPolicies.loggedInferenceOnly exists, the bedrock-mantle model IDs. An unknown alias or an entry
 * with no model is a MatrixIssue naming the field, the value and what is allowed. The SCPs' size is
 * the policies' business (policies/approved-model-policies.ts splits a long list by provider); one
 * that still does not fit stops the synth (ORG_POLICY_SIZE), naming what to shorten.
 */
import type { MatrixIssue } from './errors';
import { splitGeography } from './rules';
import type { Matrix } from './schema';

export interface ApprovedModels {
  targetIds: string[];
  /** The approved aliases, in matrix order. */
  aliases: string[];
  /** Foundation model IDs, without a geography prefix, sorted. */
  modelIds: string[];
  /** bedrock-mantle model IDs of the approved models (those with a mantleId); undefined without loggedInferenceOnly. */
  mantleModelIds?: string[];
  /** How many SCPs the list needs, when more than one (split by provider; each counts toward the ${ORG_POLICIES_PER_TARGET} SCPs a target may have). */
  parts?: number;
}

export function resolveApprovedModels(matrix: Matrix, issues: MatrixIssue[]): ApprovedModels[] | undefined {
  const entries = matrix.organizationPolicies?.approvedModels;
  if (!entries) return undefined;
  const models = matrix.models ?? [];
  const known = models.length
    ? `a model alias defined in models: ${models.map((m) => m.alias).join(', ')}`
    : 'a model alias defined in models (there are none)';
  const mantle = !!matrix.organizationPolicies?.loggedInferenceOnly;
  return entries.map((e, ei) => {
    const at = `organizationPolicies.approvedModels[${ei}]`;
    const chosen = e.models
      ? e.models.flatMap((alias, mi) => {
          const m = models.find((x) => x.alias === alias);
          if (!m) issues.push({ path: `${at}.models[${mi}]`, value: alias, allowed: known });
          return m ? [m] : [];
        })
      : models;
    if (!e.models && !models.length)
      issues.push({
        path: `${at}.models`,
        found: 'missing, and the matrix has no models',
        allowed: 'model aliases to approve: without any, the SCP would deny every model',
      });
    const resolved: ApprovedModels = {
      targetIds: e.targetIds,
      aliases: chosen.map((m) => m.alias),
      modelIds: [...new Set(chosen.map((m) => splitGeography(m.source).modelId))].sort(),
      mantleModelIds: mantle ? [...new Set(chosen.flatMap((m) => (m.mantleId ? [m.mantleId] : [])))].sort() : undefined,
    };
    return resolved;
  });
}
