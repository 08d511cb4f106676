import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { UsageAlarms } from './alarms';
import { UsageAthena } from './athena';
import { UsageCloudWatch } from './cloudwatch';
import { UsageDashboard } from './dashboard';
import { UsageQuickSight } from './quicksight';

/** Per-tenant usage analytics and monitoring of one stack; each part as the matrix's `analytics` switches it. */
export class UsageAnalytics extends Construct {
  constructor(
    scope: Construct,
    id: string,
    stack: StackConfig,
    target: Target,
    resources: { bucketName: string; keyArn: string; logGroupName?: string },
  ) {
    super(scope, id);
    const a = stack.analytics;
    if (a.athena) {
      const athena = new UsageAthena(this, 'athena', stack, resources.bucketName, resources.keyArn);
      if (a.quicksight) new UsageQuickSight(this, 'quicksight', stack, athena.workgroup.name);
    }
    if (resources.logGroupName) new UsageCloudWatch(this, 'cloudwatch', stack, resources.logGroupName);
    if (a.dashboard) new UsageDashboard(this, 'dashboard', stack);
    if (a.alarms) new UsageAlarms(this, 'alarms', stack, target);
  }
}
