/**
 * Amazon Bedrock Guardrails (the AWS feature): unique names, the messages the API
 * requires, at least one policy each, versions whose Terraform names do not collide
 * with another guardrail's, and tenants that name a defined guardrail through an
 * invoke policy (which is what enforces it).
 */
import { guardrailVersionLogicalId, keptRevisions, type BedrockGuardrail } from '../bedrock-guardrails';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

export const bedrockGuardrails: MatrixCheck = ({ matrix }) => check(matrix.bedrockGuardrails ?? [], matrix.tenants ?? []);

function check(
  guardrails: BedrockGuardrail[],
  tenants: { id: string; guardrail?: string; invokePolicy?: boolean; models?: string[] }[],
): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const seen = new Map<string, number>();
  guardrails.forEach((g, i) => {
    const first = seen.get(g.name);
    if (first !== undefined)
      issues.push({
        path: `bedrockGuardrails[${i}].name`,
        value: g.name,
        allowed: `a guardrail name that appears only once (it is also at bedrockGuardrails[${first}].name)`,
      });
    else seen.set(g.name, i);
    if (!g.blockedMessage && !(g.blockedInputMessage && g.blockedOutputMessage))
      issues.push({
        path: `bedrockGuardrails[${i}]`,
        value: g.name,
        allowed:
          'a blockedMessage (input and output), or both blockedInputMessage and blockedOutputMessage: the API requires both messages',
      });
    const filters = Object.values(g.contentFilters ?? {}).some((s) => s !== 'NONE');
    const grounding = g.grounding && (g.grounding.grounding !== undefined || g.grounding.relevance !== undefined);
    const words = (g.wordFilters?.managed?.length ?? 0) + (g.wordFilters?.words?.length ?? 0) > 0;
    if (!filters && !Object.keys(g.pii ?? {}).length && !g.deniedTopics?.length && !words && !grounding)
      issues.push({
        path: `bedrockGuardrails[${i}]`,
        value: g.name,
        allowed:
          'a guardrail with at least one policy: a contentFilters strength other than NONE, pii, deniedTopics, wordFilters or grounding',
      });
  });
  // A revision's version is guardrail_<name>_r<n>: guardrail "a" at revision 2 and a guardrail named "a_r2" would share one.
  const versionOwner = new Map<string, number>();
  guardrails.forEach((g, i) => {
    if (seen.get(g.name) !== i) return; // a duplicate name is reported above
    for (const r of keptRevisions(g)) {
      const id = guardrailVersionLogicalId(g.name, r);
      const other = versionOwner.get(id);
      if (other !== undefined && other !== i)
        issues.push({
          path: `bedrockGuardrails[${i}]`,
          value: g.name,
          allowed: `a name whose version names (${id} for revision ${r}) differ from those of bedrockGuardrails[${other}] ("${guardrails[other].name}"): rename one of the two`,
        });
      else versionOwner.set(id, i);
    }
  });
  const names = guardrails.map((g) => g.name);
  tenants.forEach((t, ti) => {
    if (t.guardrail === undefined) return;
    if (!names.includes(t.guardrail))
      issues.push({
        path: `tenants[${ti}].guardrail`,
        value: t.guardrail,
        allowed: names.length
          ? `a guardrail defined in bedrockGuardrails: ${names.join(', ')}`
          : 'a guardrail defined in bedrockGuardrails (there are none)',
      });
    if (t.invokePolicy === false)
      issues.push({
        path: `tenants[${ti}].invokePolicy`,
        value: false,
        allowed: `true (or unset) for a tenant with a guardrail: the tenant's invoke policy is what enforces guardrail "${t.guardrail}"`,
      });
  });
  return issues;
}
