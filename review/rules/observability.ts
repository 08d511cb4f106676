/**
 * Cross-account observability (docs/observability.md): a deleted or replaced OAM link stops an account from
 * sharing its Bedrock metrics and invocation log group with the monitoring account, and the organization
 * dashboard and alarms lose it without a sign (its series just end). A deleted or replaced sink takes every
 * link of its region with it: OAM deletes a sink's links with it, and a new sink has a new ARN.
 */
import { DangerRule } from './types';

export const observabilityCut: DangerRule = {
  cause: 'observability-cut',
  title: 'An account stops sharing its telemetry with the monitoring account',
  when: "an OAM link (aws_oam_link) or the monitoring account's sink (aws_oam_sink) is deleted or replaced",
  check(i) {
    if (i.action !== 'delete' && i.action !== 'replace') return [];
    const verb = i.action === 'delete' ? 'deleted' : `replaced (${i.forcing.join(', ') || 'a force-new argument'})`;
    if (i.type === 'aws_oam_link')
      return [
        `OAM link ${verb}: this account's Bedrock metrics and invocation log group leave the monitoring account, whose dashboard and alarms then lose it silently${i.action === 'replace' ? ' until the new link exists' : ''}`,
      ];
    if (i.type === 'aws_oam_sink')
      return [
        `OAM sink ${verb}: every account's link to it goes with it, and a new sink has a new ARN, so each logging stack of the region must be applied again to link`,
      ];
    return [];
  },
};
