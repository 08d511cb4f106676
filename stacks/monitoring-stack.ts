import { OamSink } from '@cdktf/provider-aws/lib/oam-sink';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { MonitoringConfig } from '../config/model';
import { SINK_ARN_OUTPUT } from '../config/observability';
import { oamSinkPolicy } from '../policies/oam-sink-policy';
import { GovernanceStack, configureStack } from './base';
import { OrganizationDashboard } from './observability/organization-dashboard';

/** Terraform logical ID of the sink and its policy: pinned, as stateful addresses are (every link holds the sink's ARN). */
export const SINK_LOGICAL_ID = 'organization';

/**
 * One region of the monitoring account (matrix observability): the OAM sink the logging stacks
 * of the region link to, its policy, and the organization dashboard and alarms.
 */
export class MonitoringStack extends GovernanceStack {
  constructor(
    scope: Construct,
    readonly config: MonitoringConfig,
  ) {
    super(scope, config.stackName);
    configureStack(this, config);

    // The sink's ARN carries an ID OAM generates (arn:<partition>:oam:<region>:<account>:sink/<id>): a
    // replacement (name is ForceNew, internal/service/oam/sink.go) gives a new ARN, and every link to the
    // old one is deleted with it. prevent_destroy; the plan review flags it too (review/rules/observability.ts).
    const sink = new OamSink(this, 'sink', { name: config.sinkName, lifecycle: { preventDestroy: true } });
    sink.overrideLogicalId(SINK_LOGICAL_ID);
    // sink_identifier is ForceNew (internal/service/oam/sink_policy.go); the delete is a no-op in the provider.
    new OamSinkPolicy(this, 'sink-policy', {
      sinkIdentifier: sink.arn,
      policy: JSON.stringify(
        oamSinkPolicy({
          partition: config.partition,
          accountIds: config.sources.map((s) => s.accountId),
          organizationId: config.organizationId,
        }),
      ),
    }).overrideLogicalId(SINK_LOGICAL_ID);

    new OrganizationDashboard(this, 'organization', {
      region: config.region,
      dashboardName: config.dashboardName,
      sources: config.sources,
      throttlesPer5Min: config.throttlesPer5Min,
      alarmTopicArn: config.alarmTopicArn,
    });

    // Read by every logging stack of the region through its terraform_remote_state (stacks/observability/link.ts).
    new TerraformOutput(this, SINK_ARN_OUTPUT, {
      value: sink.arn,
      description: 'ARN of the OAM sink the logging stacks of this region link to',
    });
  }
}
