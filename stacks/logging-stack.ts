import { PrivateEndpoints } from './network/private-endpoints';
import { BedrockModelInvocationLoggingConfiguration } from '@cdktf/provider-aws/lib/bedrock-model-invocation-logging-configuration';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { StackConfig } from '../config/model';
import type { Target } from '../policies/document';
import { GovernanceStack, configureStack } from './base';
import { LogBucket, deliveryPrefixes } from './logging/log-bucket';
import { LogGroupDestination } from './logging/log-group';
import { LogKey } from './logging/log-key';
import { UsageAnalytics } from './analytics';
import { EvaluationResources } from './evaluation/evaluation-resources';
import { ObservabilityLinkResources } from './observability/link';
import { TenantGuardrails } from './safety/guardrails';
import { GuardrailMonitoring } from './safety/monitoring';
import { MANTLE_MARK, UnloggedTrafficMonitoring } from './safety/unlogged-traffic';
import { TenantInferenceProfiles } from './tenancy/inference-profiles';

/**
 * One account x region: turns on Amazon Bedrock model invocation logging to an
 * encrypted S3 bucket and/or CloudWatch log group, with everything they need, and
 * deploys the application inference profiles of the tenants placed here.
 */
export class LoggingStack extends GovernanceStack {
  constructor(
    scope: Construct,
    readonly config: StackConfig,
  ) {
    super(scope, config.stackName);
    const { logging, region, accountId, partition } = config;
    const target: Target = { partition, region, accountId };

    configureStack(this, config);

    const usesCloudWatch = logging.destinations.includes('cloudwatch');
    const key = new LogKey(this, 'key', {
      target,
      alias: config.names.keyAlias,
      existingKeyArn: logging.kmsKeyArn,
      logGroupName: usesCloudWatch ? config.names.logGroup : undefined,
    });
    // The bucket always exists: it is the S3 destination and/or the large-data destination of CloudWatch.
    const bucket = new LogBucket(this, 'bucket', {
      target,
      bucketName: config.names.bucket,
      key,
      deliveryPrefixes: deliveryPrefixes(logging),
      lifecycle: logging.lifecycle,
      objectLock: logging.objectLock,
    });
    const cloudWatch = usesCloudWatch
      ? new LogGroupDestination(this, 'cloudwatch', {
          target,
          logGroupName: config.names.logGroup,
          roleName: config.names.role,
          key,
          retentionInDays: logging.logRetentionDays,
          adopt: config.adopt.logGroup,
          s3Copy: logging.destinations.includes('s3'),
        })
      : undefined;

    const prefix = (p: string) => (p === '' ? undefined : p);
    const loggingConfiguration = new BedrockModelInvocationLoggingConfiguration(this, 'invocation-logging', {
      loggingConfig: {
        textDataDeliveryEnabled: logging.delivery.text,
        imageDataDeliveryEnabled: logging.delivery.image,
        embeddingDataDeliveryEnabled: logging.delivery.embedding,
        videoDataDeliveryEnabled: logging.delivery.video,
        s3Config: logging.destinations.includes('s3')
          ? { bucketName: bucket.bucket.id, keyPrefix: prefix(logging.s3KeyPrefix) }
          : undefined,
        cloudwatchConfig: cloudWatch && {
          logGroupName: cloudWatch.logGroup.name,
          // Optional in the 5.x schema, required by the API.
          roleArn: cloudWatch.role.arn,
          largeDataDeliveryS3Config: { bucketName: bucket.bucket.id, keyPrefix: prefix(logging.largeDataKeyPrefix) },
        },
      },
      // Bedrock checks its permissions on create: everything it writes with must exist first.
      dependsOn: [
        bucket.policy,
        bucket.encryption,
        ...(key.key ? [key.key] : []),
        ...(cloudWatch ? [cloudWatch.rolePolicy, cloudWatch.logGroup] : []),
      ],
    });
    loggingConfiguration.overrideLogicalId('this');
    // Brownfield: PutModelInvocationLoggingConfiguration is an upsert, so creating over an existing
    // configuration would silently replace it. With adopt, an import block (import ID = the region:
    // one configuration per account and region) shows the existing one in the plan first.
    if (config.adopt.loggingConfiguration) loggingConfiguration.importFrom(region);

    const guardrails = config.bedrockGuardrails.length
      ? new TenantGuardrails(this, 'bedrock-guardrails', { guardrails: config.bedrockGuardrails })
      : undefined;
    const tenants = new TenantInferenceProfiles(this, 'tenants', {
      region,
      profiles: config.profiles,
      tenantPolicies: config.tenantPolicies,
      guardrails,
    });
    const analytics = new UsageAnalytics(this, 'analytics', {
      target,
      analytics: config.analytics,
      logging,
      athenaResultsBucketName: config.names.athenaResultsBucket,
      bucket,
      profiles: tenants,
      guardrails,
      logGroup: cloudWatch,
    });
    if (guardrails)
      new GuardrailMonitoring(this, 'bedrock-guardrail-monitoring', {
        guardrails,
        tenantKey: config.analytics.tenantKey,
        savedQueries: config.analytics.savedQueries,
        logGroup: cloudWatch,
        athena: analytics.athena,
      });

    // network: interface VPC endpoints for Bedrock (stacks/network/private-endpoints.ts).
    if (config.network) new PrivateEndpoints(this, 'private-endpoints', { network: config.network, target, profiles: tenants });
    if (config.evaluation) new EvaluationResources(this, 'evaluation', { evaluation: config.evaluation, target, key });

    // Cross-account observability (matrix observability): share the Bedrock metrics and the invocation log group with the monitoring account.
    if (config.observabilityLink)
      new ObservabilityLinkResources(this, 'observability', {
        link: config.observabilityLink,
        logGroup: cloudWatch,
      });

    // Where bedrock-mantle is allowed (no loggedInferenceOnly SCP provably covers the account, or allowMantle): that traffic bypasses these logs, so it is
    // watched (stacks/safety/unlogged-traffic.ts). The mark on the configuration is what the IaC rule MANTLE_UNLOGGED_ALARM reads.
    if (config.unloggedMantle) {
      loggingConfiguration.addOverride(`//.${MANTLE_MARK}`, 'allowed');
      new UnloggedTrafficMonitoring(this, 'unlogged-traffic', { region, mantle: config.unloggedMantle, alarms: analytics.alarms });
    }

    new TerraformOutput(this, 'bucket_arn', { value: bucket.bucket.arn, description: 'Invocation-log bucket' });
    new TerraformOutput(this, 'kms_key_arn', { value: key.arn, description: 'Key that encrypts the invocation logs' });
    if (cloudWatch) {
      new TerraformOutput(this, 'log_group_arn', { value: cloudWatch.logGroup.arn, description: 'Invocation-log group' });
      new TerraformOutput(this, 'role_arn', {
        value: cloudWatch.role.arn,
        description: 'Role Bedrock assumes to write to CloudWatch Logs',
      });
    }
  }
}
