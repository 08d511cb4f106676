import { SHARED_RESOURCE_TYPES } from '../../config/observability';
import { asList } from '../../policies/document';
import { DocStatement, Rule, policyOf } from '../rule';

const principals = (p: DocStatement['Principal']): string[] =>
  p === '*' ? ['*'] : asList(p?.AWS ?? []).concat(p && typeof p === 'object' && !p.AWS ? ['*'] : []);
const conditionValues = (c: DocStatement['Condition'], key: string): string[] =>
  Object.values(c ?? {}).flatMap((byKey) =>
    Object.entries(byKey ?? {})
      .filter(([k]) => k.toLowerCase() === key.toLowerCase())
      .flatMap(([, v]) => asList(v as string | string[])),
  );

/**
 * The sink of the monitoring account admits only the organization's accounts, and only for metrics and log
 * groups (docs/observability.md). An Allow to "*" (or to an account wildcard) without aws:PrincipalOrgID would
 * let any AWS account link to the sink and push telemetry into the monitoring account's views and alarms; an
 * Allow without oam:ResourceTypes would let a link share traces and every other type.
 */
export const oamSinkPolicyOrgOnly: Rule = {
  id: 'OAM_SINK_POLICY_ORG_ONLY',
  // No Checkov or Security Hub control covers OAM sink policies: the ID is this app's (issue 29).
  standards: ["OAM_SINK_POLICY_ORG_ONLY (an OAM sink admits only the organization's accounts, for metrics and log groups)"],
  title: 'An OAM sink policy admits only named accounts or the organization (aws:PrincipalOrgID), and only metrics and log groups',
  resourceTypes: ['aws_oam_sink_policy'],
  check(resource) {
    const doc = policyOf(resource.attrs.policy);
    if (!doc) return 'policy is not a JSON policy document';
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') continue;
      const open = principals(s.Principal).some((p) => p === '*' || p.includes('*'));
      if (open && !conditionValues(s.Condition, 'aws:PrincipalOrgID').length)
        return `statement ${s.Sid ?? '(no Sid)'} admits any principal ("*") without an aws:PrincipalOrgID condition: accounts outside the organization could link`;
      const types = conditionValues(s.Condition, 'oam:ResourceTypes');
      if (!types.length || types.some((t) => !(SHARED_RESOURCE_TYPES as readonly string[]).includes(t)))
        return `statement ${s.Sid ?? '(no Sid)'} lets links share ${types.length ? types.join(', ') : 'every resource type (no oam:ResourceTypes condition)'}; allowed: ${SHARED_RESOURCE_TYPES.join(', ')}`;
    }
    return undefined;
  },
};
