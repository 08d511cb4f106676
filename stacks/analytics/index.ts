import { Construct } from 'constructs';
import type { AnalyticsSettings } from '../../config/analytics';
import type { LoggingSettings } from '../../config/model';
import type { LogGroupDestination } from '../logging/log-group';
import type { Target } from '../../policies/document';
import type { LogBucket } from '../logging/log-bucket';
import type { TenantGuardrails } from '../safety/guardrails';
import type { TenantInferenceProfiles } from '../tenancy/inference-profiles';
import { UsageAlarms } from './alarms';
import { UsageAthena } from './athena';
import { UsageCloudWatch } from './cloudwatch';
import { UsageDashboard } from './dashboard';
import { UsageQuickSight } from './quicksight';

export interface UsageAnalyticsProps {
  /** The account and region. */
  readonly target: Target;
  /** The stack's analytics settings (config/analytics.ts resolved): which parts exist, and their settings. */
  readonly analytics: AnalyticsSettings;
  /** logging.destinations and logging.s3KeyPrefix: what the alarms and dashboard watch, where Athena reads. */
  readonly logging: Pick<LoggingSettings, 'destinations' | 's3KeyPrefix'>;
  /** The name of Athena's query-result bucket (analytics.athena). */
  readonly athenaResultsBucketName: string;
  /** The invocation-log bucket (Athena reads it and holds the rate card there). */
  readonly bucket: LogBucket;
  /** The stack's inference profiles: the rate card's ARNs, the alarms' models and tenants. */
  readonly profiles: TenantInferenceProfiles;
  /** The stack's Bedrock guardrails; unset: none. */
  readonly guardrails?: TenantGuardrails;
  /** The CloudWatch destination; unset: no CloudWatch part. */
  readonly logGroup?: LogGroupDestination;
}

/** Per-tenant usage analytics and monitoring of one stack; each part as the matrix's `analytics` switches it. */
export class UsageAnalytics extends Construct {
  /** The Athena part (analytics.athena); unset when off. */
  readonly athena?: UsageAthena;
  /** The alarms and their topic (analytics.alarms); unset when off. */
  readonly alarms?: UsageAlarms;

  constructor(scope: Construct, id: string, props: UsageAnalyticsProps) {
    super(scope, id);
    const { target, analytics: a, logging } = props;
    if (a.athena) {
      this.athena = new UsageAthena(this, 'athena', {
        target,
        settings: a.athena,
        tenantKey: a.tenantKey,
        rateCard: a.rateCard,
        logBucket: props.bucket,
        s3KeyPrefix: logging.s3KeyPrefix,
        resultsBucketName: props.athenaResultsBucketName,
        profiles: props.profiles,
      });
      if (a.quicksight)
        new UsageQuickSight(this, 'quicksight', {
          region: target.region,
          principalArn: a.quicksight.principalArn,
          tenantKey: a.tenantKey,
          athena: this.athena,
        });
    }
    if (props.logGroup) new UsageCloudWatch(this, 'cloudwatch', { partition: target.partition, analytics: a, logGroup: props.logGroup });
    if (a.dashboard)
      new UsageDashboard(this, 'dashboard', {
        region: target.region,
        tenantWidgets: a.metricFilters,
        destinations: logging.destinations,
        guardrails: props.guardrails,
      });
    if (a.alarms)
      this.alarms = new UsageAlarms(this, 'alarms', {
        target,
        alarms: a.alarms,
        metricFilters: a.metricFilters,
        destinations: logging.destinations,
        profiles: props.profiles.configs,
        guardrails: props.guardrails ? [...props.guardrails.guardrails.values()] : [],
      });
  }
}
