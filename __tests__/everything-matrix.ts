/**
 * A matrix with every option on: every destination mix, a bring-your-own key,
 * every analytics part (QuickSight included), bootstrap stacks with Terraform
 * Cloud OIDC, organization policies, cost anomaly detection and the CUR 2.0 export. Tests that must
 * see every resource type the stacks can synthesize use it
 * (__tests__/lib/resource-types.test.ts). When you add a matrix option that
 * synthesizes a new resource type, switch it on here.
 */
import { EXAMPLE_MATRIX } from '../config/example-matrix';
import type { Matrix } from '../config/schema';

export const EVERYTHING_ON: Matrix = {
  ...EXAMPLE_MATRIX,
  deployment: {
    backend: { type: 'tfc', organization: 'acme-org', project: 'bedrock' },
    bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] },
  },
  costAllocationTags: { activate: true },
  organizationPolicies: {
    protectLoggingScp: { targetIds: ['ou-abcd-11111111'], breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'] },
    dataPerimeterRcp: { targetIds: ['ou-abcd-11111111'], organizationId: 'o-abcd123456' },
    tenantTagPolicy: { targetIds: ['ou-abcd-11111111'] },
    // bedrock-mantle allowed to one role everywhere: every logging stack watches unlogged traffic.
    loggedInferenceOnly: { targetIds: ['ou-abcd-11111111'], allowMantle: [{ roleArns: ['arn:aws:iam::*:role/Chatbot'] }] },
    apiKeys: { targetIds: ['ou-abcd-11111111'], shortTerm: 'deny' },
  },
  accounts: [
    {
      id: '111111111111',
      name: 'genai-prod',
      environment: 'prod',
      evaluation: { judgeModels: ['haiku'] },
      logging: {
        destinations: ['s3', 'cloudwatch'],
        lifecycle: {
          transitions: [{ days: 30, storageClass: 'STANDARD_IA' }],
          expirationDays: 800,
          noncurrentVersionExpirationDays: 30,
          abortIncompleteMultipartUploadDays: 7,
        },
        objectLock: { mode: 'GOVERNANCE', days: 400 },
      },
      regions: [
        'us-east-1',
        {
          region: 'eu-west-1',
          logging: { destinations: ['s3'], objectLock: { mode: 'GOVERNANCE', days: 365 } },
          network: {
            vpcId: 'vpc-0a1b2c3d4e5f67890',
            subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
            cidrBlocks: ['10.20.0.0/16'],
            services: ['bedrock', 'bedrock-agent-runtime'],
          },
        },
        {
          region: 'us-west-2',
          logging: {
            destinations: ['cloudwatch'],
            kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        },
      ],
    },
    { id: '222222222222', name: 'genai-dev', environment: 'dev', regions: ['us-east-1'] },
  ],
  bedrockGuardrails: [
    {
      name: 'standard',
      contentFilters: { hate: 'HIGH', promptAttack: 'HIGH' },
      pii: { EMAIL: 'ANONYMIZE' },
      blockedMessage: 'Sorry, this request is not allowed.',
    },
  ],
  tenants: EXAMPLE_MATRIX.tenants!.map((t) => (t.id === 'acme' ? { ...t, guardrail: 'standard' } : t)),
  analytics: {
    athena: { bytesScannedCutoffMb: 100 },
    metricFilters: true,
    savedQueries: true,
    dashboard: true,
    alarms: { emails: ['oncall@example.com'], latencyP99Ms: 15000, tenantDailyTokens: { acme: 1_000_000 } },
    piiMasking: true,
    quicksight: { principalArn: 'arn:{partition}:quicksight:us-east-1:{accountId}:group/default/finops' },
  },
  costExport: {},
  // A monitoring account outside the accounts: its own bootstrap and monitoring stacks (docs/observability.md).
  observability: { monitoringAccountId: '333333333333' },
};
