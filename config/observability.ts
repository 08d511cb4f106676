/**
 * Cross-account observability (matrix `observability`, docs/observability.md): a
 * monitoring account that sees the Bedrock metrics and invocation log groups of every
 * account of the matrix through CloudWatch Observability Access Manager (OAM). Per
 * region of the monitoring account a monitoring stack holds the sink, its policy, the
 * organization dashboard and the organization alarms (stacks/monitoring-stack.ts);
 * every logging stack of those regions links to its region's sink
 * (stacks/observability/link.ts).
 */
import { z } from 'zod';
import { SNS_TOPIC_ARN } from './analytics';
import { accountId, region } from './fields';
import * as rules from './rules';

export const Observability = z
  .object({
    /** The account that sees every other account's metrics and invocation log groups (the OAM sink's account). */
    monitoringAccountId: accountId,
    /** Regions with a sink (one monitoring stack each). Default: every region of the logging stacks of the other accounts. */
    regions: z.array(region).min(1, 'at least one region').optional(),
    /**
     * The AWS Organizations ID: the sink policy then also requires aws:PrincipalOrgID. Default:
     * organizationPolicies.dataPerimeterRcp.organizationId when set; without either, the policy admits the matrix's accounts by ID only.
     */
    organizationId: z.string().regex(rules.ORGANIZATION_ID, 'an AWS Organizations ID such as o-a1b2c3d4e5').optional(),
    /** An SNS topic in the monitoring account that the organization alarms notify; without it they only change state. */
    alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, 'an SNS topic ARN such as arn:aws:sns:us-east-1:111111111111:alerts').optional(),
    /** Throttled invocations per account in 5 minutes above which the organization alarm fires (default 10). */
    throttlesPer5Min: z.number().int().nonnegative('a whole number of throttled invocations, 0 or more').optional(),
  })
  .strict();
export type Observability = z.infer<typeof Observability>;

export const DEFAULT_ORG_THROTTLES_PER_5_MIN = 10;

/**
 * What a link shares (OAM API reference, CreateLink: ResourceTypes). Metrics and log groups only:
 * traces, Application Insights and the other types are not part of this product.
 */
export const SHARED_RESOURCE_TYPES = ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup'] as const;

/** The name of the output of a monitoring stack that holds its sink's ARN, read by the logging stacks' links. */
export const SINK_ARN_OUTPUT = 'sink_arn';
