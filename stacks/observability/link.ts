/**
 * A logging stack's OAM link to the monitoring account's sink of its region (matrix observability).
 *
 * The sink's ARN carries an ID that OAM generates, so it is known only after the monitoring stack's
 * apply. The stacks of this app never reference one another (synth/resolve.ts refuses cdktf's
 * implicit cross-stack references, which would also tie every stack into one cdktf deploy), so the
 * link reads the ARN from the monitoring stack's state with an explicit terraform_remote_state data
 * source on that stack's own backend:
 *  - tfc: backend "remote" with the organization and the monitoring stack's workspace; Terraform
 *    Cloud must share that workspace's state with the logging stacks' workspaces (remote state
 *    sharing; npm run tfc-workspaces sets it);
 *  - s3: the state bucket and the monitoring stack's key, with the backend's role when it has one;
 *  - local: the monitoring stack's local state file (cdktf keeps it in the directory of the synth).
 * The monitoring wave therefore runs before the environments (config/select.ts rolloutWaves).
 */
import * as path from 'path';
import { OamLink } from '@cdktf/provider-aws/lib/oam-link';
import { DataTerraformRemoteState, DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, TerraformRemoteState } from 'cdktf';
import { Construct } from 'constructs';
import type { ObservabilityLink } from '../../config/model';
import { SHARED_RESOURCE_TYPES, SINK_ARN_OUTPUT } from '../../config/observability';
import { MANTLE_NAMESPACE, OAM_LINK_LABEL_TEMPLATE } from '../../config/naming';
import { TENANT_NAMESPACE } from '../analytics/cloudwatch';
import { GUARDRAIL_FINDINGS_NAMESPACE, GUARDRAIL_NAMESPACE } from '../safety/monitoring';
import { BEDROCK_NAMESPACE } from './organization-dashboard';
import type { LogGroupDestination } from '../logging/log-group';

/** Terraform logical ID of the link and of the remote-state data source. */
export const LINK_LOGICAL_ID = 'monitoring';

/** The state file of a stack with the local backend, as cdktf's LocalBackend names it by default. */
export const localStatePath = (stackName: string) => path.join(process.cwd(), `terraform.${stackName}.tfstate`);

/** The monitoring stack's state, read through its own backend. */
export function monitoringState(scope: Construct, id: string, link: ObservabilityLink): TerraformRemoteState {
  const b = link.backend;
  switch (b.type) {
    case 'tfc':
      return new DataTerraformRemoteState(scope, id, {
        organization: b.organization,
        hostname: b.hostname,
        workspaces: { name: b.workspace },
      });
    case 's3':
      return new DataTerraformRemoteStateS3(scope, id, {
        bucket: b.bucket,
        key: b.key,
        region: b.region,
        ...(b.roleArn ? { assumeRole: { roleArn: b.roleArn } } : {}),
      });
    case 'local':
      // Where cdktf's default local backend keeps the monitoring stack's state: terraform.<stack>.tfstate in the
      // directory the app is synthesized from (cdktf 0.21 lib/backends/local-backend.js), the same absolute path.
      return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(link.monitoringStackName) });
  }
}

/**
 * The namespaces the link shares (OAM MetricConfiguration.Filter: "Namespace IN (...)"): Bedrock's own, the
 * tenant and guardrail metrics this app publishes, and bedrock-mantle's; not the account's other metrics.
 */
export const SHARED_NAMESPACES = [BEDROCK_NAMESPACE, GUARDRAIL_NAMESPACE, TENANT_NAMESPACE, GUARDRAIL_FINDINGS_NAMESPACE, MANTLE_NAMESPACE];
export const metricFilter = () => `Namespace IN (${SHARED_NAMESPACES.map((n) => `'${n}'`).join(', ')})`;

/**
 * The log-group filter of the link (OAM LogGroupConfiguration.Filter, 1-2,000 characters: "LogGroupName
 * IN (...)"): only the invocation log group is shared, not every log group of the account.
 */
export const logGroupFilter = (logGroupName: string) => `LogGroupName IN ('${logGroupName}')`;

export interface ObservabilityLinkResourcesProps {
  /** The link to the monitoring account's sink of this region (StackConfig.observabilityLink). */
  readonly link: ObservabilityLink;
  /** The invocation log group, shared with the monitoring account; unset (S3 destination only): metrics only. */
  readonly logGroup?: LogGroupDestination;
}

export class ObservabilityLinkResources extends Construct {
  readonly link: OamLink;

  constructor(scope: Construct, id: string, props: ObservabilityLinkResourcesProps) {
    super(scope, id);
    // The filter names the group by its name, known at synth.
    const logGroupName = props.logGroup?.logGroupName;
    const state = monitoringState(this, 'monitoring-state', props.link);
    state.overrideLogicalId(LINK_LOGICAL_ID);
    // label_template and sink_identifier are ForceNew (internal/service/oam/link.go); resource_types and
    // link_configuration update in place (UpdateLink). Without a log group (S3 destination only), metrics only.
    this.link = new OamLink(this, 'link', {
      labelTemplate: OAM_LINK_LABEL_TEMPLATE,
      sinkIdentifier: state.getString(SINK_ARN_OUTPUT),
      resourceTypes: logGroupName ? [...SHARED_RESOURCE_TYPES] : ['AWS::CloudWatch::Metric'],
      linkConfiguration: {
        metricConfiguration: { filter: metricFilter() },
        ...(logGroupName ? { logGroupConfiguration: { filter: logGroupFilter(logGroupName) } } : {}),
      },
    });
    this.link.overrideLogicalId(LINK_LOGICAL_ID);
  }
}
