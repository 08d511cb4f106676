/**
 * The embedded example landing zone, used when MATRIX_FILE is not set: two
 * workload accounts and three account x region stacks, three models, three
 * tenants with budgets (one of them behind a Bedrock guardrail), and a management account. Account IDs are
 * documentation placeholders; `npm run synth` needs no credentials.
 */
import type { Matrix } from './schema';

export const EXAMPLE_MATRIX: Matrix = {
  managementAccountId: '999999999999',
  // A landing zone already in use: its tag keys are in billing data (docs/cost-allocation-tags.md).
  costAllocationTags: { activate: true },
  tags: { 'cost-center': 'platform', owner: 'genai-platform-team' },
  logging: {
    logRetentionDays: 365,
    lifecycle: {
      transitions: [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 180, storageClass: 'GLACIER_IR' },
      ],
      noncurrentVersionExpirationDays: 90,
    },
  },
  accounts: [
    {
      id: '111111111111',
      name: 'genai-prod',
      environment: 'prod',
      regions: ['us-east-1', { region: 'eu-west-1', tags: { 'data-residency': 'eu' } }],
      logging: { logRetentionDays: 731 },
    },
    {
      id: '222222222222',
      name: 'genai-dev',
      environment: 'dev',
      regions: ['us-east-1'],
      // Development keeps less and skips image and video bodies.
      logging: { logRetentionDays: 30, delivery: { image: false, video: false } },
    },
  ],
  models: [
    { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
    { alias: 'titan-embed', source: 'amazon.titan-embed-text-v2:0' },
    // Cross-region: us. profile in us-* stacks, eu. profile in eu-* stacks.
    { alias: 'sonnet', source: 'anthropic.claude-3-5-sonnet-20240620-v1:0', crossRegion: true },
  ],
  tenants: [
    {
      id: 'acme',
      models: ['haiku', 'sonnet'],
      monthlyBudgetUsd: 500,
      costCenter: 'cc-1001',
      owner: 'acme-team',
      alertEmails: ['finops@example.com'],
    },
    // Production only.
    {
      id: 'globex',
      models: ['haiku', 'titan-embed'],
      monthlyBudgetUsd: 1200,
      costCenter: 'cc-2002',
      placement: { environments: ['prod'] },
    },
    // EU data residency: eu-west-1 only; every request must pass the "standard" Bedrock guardrail.
    {
      id: 'initech',
      models: ['sonnet'],
      monthlyBudgetUsd: 300,
      costCenter: 'cc-3003',
      placement: { regions: ['eu-west-1'] },
      guardrail: 'standard',
    },
  ],
  // Amazon Bedrock Guardrails (docs/bedrock-guardrails.md): deployed where a tenant using one is placed.
  bedrockGuardrails: [
    {
      name: 'standard',
      contentFilters: { hate: 'HIGH', insults: 'HIGH', sexual: 'HIGH', violence: 'MEDIUM', misconduct: 'MEDIUM', promptAttack: 'HIGH' },
      pii: { EMAIL: 'ANONYMIZE', US_SOCIAL_SECURITY_NUMBER: 'BLOCK' },
      deniedTopics: [
        { name: 'investment-advice', definition: 'Recommendations about buying or selling specific securities or investments.' },
      ],
      wordFilters: { managed: ['PROFANITY'], words: [] },
      grounding: { grounding: 0.75, relevance: 0.75 },
      blockedMessage: 'Sorry, this request is not allowed.',
      // Bump with every change: the change is published as a new version, and the previous one stays accepted until the next revision (overlap).
      revision: 1,
    },
  ],
  costAnomalyMonitor: { thresholdUsd: 100, emails: ['finops@example.com'] },
  // Usage analytics and monitoring are on by default; these set their options.
  analytics: {
    alarms: { emails: ['genai-oncall@example.com'], latencyP99Ms: 15000, tenantDailyTokens: { acme: 5_000_000 } },
    piiMasking: { dataIdentifiers: ['EmailAddress', 'IpAddress'] },
  },
  // Illustrative list prices in USD per million tokens: check the current Bedrock pricing before relying on them.
  rateCard: [
    { model: 'haiku', inputPerMillionUsd: 0.25, outputPerMillionUsd: 1.25, validFrom: '2024-03-01' },
    {
      model: 'sonnet',
      inputPerMillionUsd: 3,
      outputPerMillionUsd: 15,
      cacheReadPerMillionUsd: 0.3,
      cacheWritePerMillionUsd: 3.75,
      validFrom: '2024-06-20',
    },
    { model: 'titan-embed', inputPerMillionUsd: 0.02, outputPerMillionUsd: 0, validFrom: '2024-04-30' },
  ],
};
