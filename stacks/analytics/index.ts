import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import type { LogBucket } from '../logging/log-bucket';
import type { TenantGuardrails } from '../safety/guardrails';
import type { TenantInferenceProfiles } from '../tenancy/inference-profiles';
import { UsageAlarms } from './alarms';
import { UsageAthena } from './athena';
import { UsageCloudWatch } from './cloudwatch';
import { UsageDashboard } from './dashboard';
import { UsageQuickSight } from './quicksight';

/** Per-tenant usage analytics and monitoring of one stack; each part as the matrix's `analytics` switches it. */
export class UsageAnalytics extends Construct {
  /** The Athena part (analytics.athena); unset when off. */
  readonly athena?: UsageAthena;
  /** The alarms and their topic (analytics.alarms); unset when off. */
  readonly alarms?: UsageAlarms;

  constructor(
    scope: Construct,
    id: string,
    stack: StackConfig,
    target: Target,
    resources: { bucket: LogBucket; profiles: TenantInferenceProfiles; guardrails?: TenantGuardrails; logGroupName?: string },
  ) {
    super(scope, id);
    const a = stack.analytics;
    if (a.athena) {
      this.athena = new UsageAthena(this, 'athena', {
        target,
        settings: a.athena,
        tenantKey: a.tenantKey,
        rateCard: a.rateCard,
        logBucket: resources.bucket,
        s3KeyPrefix: stack.logging.s3KeyPrefix,
        resultsBucketName: stack.names.athenaResultsBucket,
        profiles: resources.profiles,
      });
      if (a.quicksight) new UsageQuickSight(this, 'quicksight', stack, this.athena.workgroup.name);
    }
    if (resources.logGroupName) new UsageCloudWatch(this, 'cloudwatch', stack, resources.logGroupName);
    const guardrails = resources.guardrails ? [...resources.guardrails.guardrails.values()] : [];
    if (a.dashboard)
      new UsageDashboard(this, 'dashboard', {
        region: stack.region,
        tenantWidgets: a.metricFilters,
        destinations: stack.logging.destinations,
        guardrails: resources.guardrails,
      });
    if (a.alarms) this.alarms = new UsageAlarms(this, 'alarms', stack, target, guardrails);
  }
}
