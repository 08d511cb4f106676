/**
 * Malformed matrices, one file each in __tests__/fixtures/bad-matrices/: every one
 * gets a clear error naming the field, the value and what is allowed. In process
 * (the message) and through the app as users run it (exit 1, no stack trace, the
 * previous cdktf.out untouched). Two huge files are generated here rather than
 * committed.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MatrixError } from '../../config/errors';
import { MAX_MATRIX_BYTES, loadMatrixFile } from '../../config/load';

const DIR = path.join(__dirname, '..', 'fixtures', 'bad-matrices');
const MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

/** file -> [field path (and value), a fragment of what is allowed] of the problem the file is about. */
const CASES: Record<string, [string, string]> = {
  'cost-export-monthly.json': ['costExport.granularity: "MONTHLY"', 'DAILY or HOURLY (the reconciliation is per day, so not MONTHLY)'],
  'cost-export-without-management-account.json': [
    'costExport: {}',
    'a matrix with managementAccountId: the export of the bill runs in the management (payer) account',
  ],
  'cost-export-bad-prefix.json': ['costExport.s3Prefix: "/cur2/"', 'an S3 key prefix without leading or trailing "/"'],
  'accounts-not-a-list.json': ['accounts: "111111111111"', 'an array'],
  'accounts-empty.json': ['accounts: []', 'at least one account'],
  'accounts-null.json': ['accounts: null', 'an array'],
  'account-id-number.json': ['accounts[0].id: 111111111111', 'as a quoted string'],
  'account-id-11-digits.json': ['accounts[0].id: "11111111111"', 'a 12-digit AWS account ID'],
  'account-id-letters.json': ['accounts[0].id: "abcdefghijkl"', 'a 12-digit AWS account ID'],
  'duplicate-account-id.json': ['accounts[1].id: "111111111111"', 'appears only once (it is also at accounts[0].id)'],
  'duplicate-account-name.json': ['accounts[1].name: "genai-prod"', 'appears only once (it is also at accounts[0].name)'],
  'region-typo.json': ['accounts[0].regions[1]: "eu-wst-1"', 'an AWS region code that exists (did you mean "eu-west-1"?)'],
  'region-upper-case.json': ['accounts[0].regions[0]: "US-EAST-1"', 'an AWS region code that exists (did you mean "us-east-1"?)'],
  'observability-region-without-links.json': [
    'observability.regions[1]: "eu-west-1"',
    'a region where an account other than the monitoring account (333333333333) has a logging stack: us-east-1',
  ],
  'observability-bad-organization-id.json': ['observability.organizationId: "org-123"', 'an AWS Organizations ID such as o-a1b2c3d4e5'],
  'alarm-topic-other-region.json': [
    'analytics.alarms.topicArn (for accounts[0].regions[1], 111111111111 eu-west-1): "arn:aws:sns:us-east-1:999999999999:chatops"',
    "a topic in the stack's own partition and region (arn:aws:sns:eu-west-1:...)",
  ],
  'region-does-not-exist.json': [
    'accounts[0].regions[1]: "us-east-7"',
    'an AWS region code that exists (did you mean "us-east-1"?), from the AWS SDK\'s partition metadata: af-south-1,',
  ],
  'regions-empty.json': ['accounts[0].regions: []', 'at least one region'],
  'duplicate-region.json': ['accounts[0].regions[1]: "us-east-1"', 'a region that appears only once'],
  'typo-top-level-key.json': ['tenant: unknown key', 'did you mean "tenants"?'],
  'typo-account-key.json': ['accounts[0].region: unknown key', 'did you mean "regions"?'],
  'typo-model-key.json': ['models[0].sorce: unknown key', 'did you mean "source"?'],
  'typo-tenant-key.json': ['tenants[0].monthlyBudget: unknown key', 'did you mean "monthlyBudgetUsd"?'],
  'typo-logging-key.json': ['logging.retentionDays: unknown key', 'did you mean "logRetentionDays"?'],
  'account-name-upper-case.json': ['accounts[0].name: "GenAI-Prod"', 'lower-case letters, digits and hyphens'],
  'environment-with-space.json': ['accounts[0].environment: "pre prod"', 'an environment name'],
  'tenant-id-with-space.json': ['tenants[0].id: "Initech EU"', 'a tenant ID of 1-62 letters (either case), digits, "_" and "-"'],
  'tenant-id-too-long.json': [
    'tenants[0].id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
    'a tenant ID of 1-62 letters',
  ],
  'duplicate-tenant-id.json': ['tenants[1].id: "acme"', 'appears only once'],
  'tenant-unknown-model.json': ['tenants[0].models[0]: "sonnet"', 'a model alias defined in models: haiku'],
  'duplicate-model-alias.json': ['models[1].alias: "haiku"', 'appears only once'],
  'model-source-not-an-id.json': ['models[0].source: "claude haiku"', 'a foundation model ID'],
  'model-alias-invalid.json': ['models[0].alias: "Haiku_3"', 'a model alias'],
  'geography-mismatch.json': [
    'tenants[0] (tenant "acme", model "haiku") in accounts[0].regions[0]',
    'the "eu." profiles are available from eu-* only',
  ],
  'budget-negative.json': ['tenants[0].monthlyBudgetUsd: -5', 'a positive amount in US dollars'],
  'budget-as-string.json': ['tenants[0].monthlyBudgetUsd: "500"', 'a number'],
  'alert-email-invalid.json': ['tenants[0].alertEmails[0]: "finops-at-example.com"', 'an e-mail address'],
  'alert-emails-too-many.json': ['tenants[0].alertEmails:', 'at most 10 e-mail addresses'],
  'placement-unknown-account.json': [
    'tenants[0].placement.accounts[0]: "genai-staging"',
    'an account ID or name of the matrix: 111111111111, genai-prod',
  ],
  'tag-key-aws-prefix.json': ['tags.aws:team: "platform"', 'does not start with the reserved prefix "aws:"'],
  'tag-value-too-long.json': ['tags.team:', 'a tag value of 0-256 characters'],
  'tag-key-invalid-characters.json': ['tags.cost#center: "cc-1"', 'letters, digits, spaces and _ . : / = + - @'],
  'too-many-tags.json': ['tags:', 'at most 50 tags'],
  'tenant-cost-center-empty.json': ['tenants[0].costCenter: ""', 'a non-empty tag value'],
  'cost-allocation-keys-duplicate.json': ['costAllocationTagKeys:', 'three different tag keys'],
  'retention-not-allowed.json': ['logging.logRetentionDays: 100', 'one of the retention periods CloudWatch allows: 1, 3, 5'],
  'region-level-retention.json': ['accounts[0].regions[1].logging.logRetentionDays: 0.5', 'one of the retention periods'],
  'destinations-empty.json': ['logging.destinations: []', 'at least one destination: "s3", "cloudwatch" or both'],
  'destination-unknown.json': ['logging.destinations[1]: "kinesis"', 'one of "s3", "cloudwatch"'],
  'destination-twice.json': ['logging.destinations: ["s3","s3"]', 'each destination once'],
  'delivery-flag-not-boolean.json': ['logging.delivery.text: "yes"', 'a boolean'],
  's3-prefix-leading-slash.json': ['logging.s3KeyPrefix: "/invocation-logs"', 'without leading or trailing "/"'],
  'bucket-prefix-upper-case.json': ['accounts[0].logging.bucketNamePrefix: "Bedrock-Logs"', 'lower-case letters, digits and hyphens'],
  'kms-key-arn-invalid.json': ['logging.kmsKeyArn: "alias/bedrock-logs"', 'a KMS key ARN'],
  'lifecycle-ia-too-soon.json': ['logging.lifecycle.transitions[0].days: 10', 'at least 30 days before STANDARD_IA'],
  'storage-class-unknown.json': ['logging.lifecycle.transitions[0].storageClass: "COLD"', 'one of "STANDARD_IA"'],
  'profile-quota-breach.json': ['accounts[0].regions[0]: "2 inference profiles"', 'at most profileQuotaPerRegion = 1'],
  'management-account-id-invalid.json': ['managementAccountId: "99999999999"', 'a 12-digit AWS account ID'],
  'backend-type-unknown.json': ['deployment.backend.type: "gcs"', 'one of "local", "tfc", "s3"'],
  'tfc-backend-without-organization.json': ['deployment.backend.organization: missing', 'a value (required) of type string'],
  's3-backend-role-arn-invalid.json': ['deployment.backend.roleArn: "TerraformState"', 'an IAM role ARN'],
  's3-backend-github-role-invalid.json': ['deployment.backend.githubRoleName: "role/github"', 'an IAM role name of 1-64 characters'],
  's3-backend-github-repository-invalid.json': [
    'deployment.backend.github.repository: "https://github.com/acme/landing-zone"',
    'a GitHub repository as owner/name, e.g. "acme/landing-zone"',
  ],
  's3-backend-github-oidc-provider-unknown.json': [
    'deployment.backend.github.oidcProvider: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"',
    'one of "create", "import", "existing"',
  ],
  's3-backend-github-without-role-name.json': [
    'deployment.backend.githubRoleName: missing',
    'the name of the IAM role that the bootstrap stacks create for deployment.backend.github (repository acme/landing-zone)',
  ],
  's3-backend-github-without-bootstrap.json': [
    'deployment.bootstrap: missing',
    'a bootstrap block (e.g. {}): the bootstrap stacks create the GitHub role and OIDC provider of deployment.backend.github',
  ],
  'scp-target-invalid.json': ['organizationPolicies.protectLoggingScp.targetIds[0]: "prod-ou"', 'an AWS Organizations target'],
  'object-lock-compliance-unconfirmed.json': [
    'accounts[0].regions[0] (logging.objectLock.confirmCompliance): missing',
    'confirmCompliance: "I understand nobody can shorten this" with mode COMPLIANCE',
  ],
  'object-lock-expires-before-retention.json': [
    'accounts[0].regions[0] (logging.lifecycle.expirationDays): 200',
    'at least logging.objectLock.days (365)',
  ],
  'break-glass-not-a-role-arn.json': [
    'organizationPolicies.protectLoggingScp.breakGlassRoleArns[0]: "BreakGlass"',
    'an IAM role ARN such as arn:aws:iam::*:role/BreakGlass',
  ],
  'bootstrap-without-management-role.json': [
    'deployment.bootstrap.managementAccountRoleName: missing',
    'an administrator role in the management account 999999999999',
  ],
  'account-admin-role-invalid.json': ['accounts[0].adminRoleName: "Platform Admin"', 'an IAM role name of 1-64 characters'],
  'anomaly-monitor-without-emails.json': ['costAnomalyMonitor.emails: []', 'at least one e-mail address'],
  'top-level-list.json': ['(root):', 'an object'],
  'broken-json.json': ['(file):', 'valid JSON'],
  'trailing-comma.json': ['(file):', 'valid JSON'],
  'empty.json': ['(file):', 'the file is empty'],
  'broken-yaml.yaml': ['(file):', 'valid YAML'],
  'yaml-duplicate-key.yaml': ['(file):', 'valid YAML: Map keys must be unique'],
  'yaml-scalar.yaml': ['(root): "just some text"', 'an object'],
  'yaml-tab-indent.yaml': ['(file):', 'valid YAML: Tabs are not allowed'],
  'whitespace-only.yaml': ['(file):', 'the file is empty'],
  'yaml-account-id-unquoted.yaml': ['accounts[0].id: 11111111111', 'as a quoted string'],
  'guardrail-name-too-long.json': [
    'bedrockGuardrails[0].name: "xxxxxxxx',
    'a guardrail name of 1-50 letters, digits, hyphens and underscores',
  ],
  'guardrail-duplicate-name.json': ['bedrockGuardrails[1].name: "standard"', 'appears only once (it is also at bedrockGuardrails[0].name)'],
  'guardrail-filter-strength-unknown.json': [
    'bedrockGuardrails[0].contentFilters.violence: "EXTREME"',
    'one of "NONE", "LOW", "MEDIUM", "HIGH"',
  ],
  'guardrail-pii-entity-unknown.json': [
    'bedrockGuardrails[0].pii.SOCIAL_SECURITY_NUMBER: unknown key',
    'did you mean "US_SOCIAL_SECURITY_NUMBER"?',
  ],
  'guardrail-pii-action-mask.json': ['bedrockGuardrails[0].pii.EMAIL: "MASK"', 'one of "BLOCK", "ANONYMIZE"'],
  'guardrail-topic-definition-too-long.json': ['bedrockGuardrails[0].deniedTopics[0].definition: "ddd', 'a definition of 1-200 characters'],
  'guardrail-too-many-topics.json': ['bedrockGuardrails[0].deniedTopics:', 'at most 30 denied topics per guardrail'],
  'guardrail-message-too-long.json': ['bedrockGuardrails[0].blockedMessage: "mmm', 'a message of 1-500 characters'],
  'guardrail-without-messages.json': [
    'bedrockGuardrails[0]: "standard"',
    'a blockedMessage (input and output), or both blockedInputMessage and blockedOutputMessage',
  ],
  'guardrail-grounding-out-of-range.json': ['bedrockGuardrails[0].grounding.grounding: 1', 'a threshold between 0 and 0.99'],
  'guardrail-no-policy.json': ['bedrockGuardrails[0]: "standard"', 'a guardrail with at least one policy'],
  'guardrail-word-too-long.json': ['bedrockGuardrails[0].wordFilters.words[0]: "www', 'a word or phrase of 1-100 characters'],
  'guardrail-typo-key.json': ['bedrockGuardrails[0].deniedTopic: unknown key', 'did you mean "deniedTopics"?'],
  'tenant-unknown-guardrail.json': ['tenants[0].guardrail: "strict"', 'a guardrail defined in bedrockGuardrails: standard'],
  'mantle-allow-unknown-account.json': [
    'organizationPolicies.loggedInferenceOnly.allowMantle[0].accounts[0]: "genai-staging"',
    'an account ID or name of the matrix: 111111111111, genai-prod',
  ],
  'mantle-allow-model-without-mantle-id.json': [
    'organizationPolicies.loggedInferenceOnly.allowMantle[0].models[0]: "haiku"',
    'a model whose entry in models has a mantleId',
  ],
  'mantle-allow-unknown-model.json': [
    'organizationPolicies.loggedInferenceOnly.allowMantle[0].models[0]: "sonnet"',
    'a model alias defined in models: gpt-oss, haiku',
  ],
  'mantle-allow-everyone.json': ['organizationPolicies.loggedInferenceOnly.allowMantle[0]: {}', 'accounts, roleArns or models'],
  'mantle-allow-role-not-an-arn.json': [
    'organizationPolicies.loggedInferenceOnly.allowMantle[0].roleArns[0]: "Chatbot"',
    'an IAM role ARN',
  ],
  'mantle-allow-role-of-other-account.json': [
    'organizationPolicies.loggedInferenceOnly.allowMantle[0].roleArns[0]: "arn:aws:iam::222222222222:role/Chatbot"',
    'a role of an account the entry lists (genai-prod), or account "*"',
  ],
  'approved-models-unknown-alias.json': [
    'organizationPolicies.approvedModels[0].models[1]: "sonnet"',
    'a model alias defined in models: gpt-oss, haiku',
  ],
  'require-private-network-without-network.json': [
    'organizationPolicies.requirePrivateNetwork: no network in the matrix',
    'at least one account or region entry with network',
  ],
  'network-subnet-twice.json': [
    'accounts[0].regions[0].network.subnetIds[1]: "subnet-0a1b2c3d4e5f60001"',
    'a subnet listed once (it is also at accounts[0].regions[0].network.subnetIds[0])',
  ],
  'network-subnet-in-two-vpcs.json': [
    'accounts[0].regions[1].network.subnetIds[1]: "subnet-0a1b2c3d4e5f60001"',
    'a subnet of vpc-0a1b2c3d4e5f6ffff (it is listed at accounts[0].regions[0].network.subnetIds[0] for vpc-0a1b2c3d4e5f67890; a subnet belongs to one VPC)',
  ],
  'mantle-target-invalid.json': ['organizationPolicies.loggedInferenceOnly.targetIds[0]: "prod-ou"', 'an AWS Organizations target'],
  'mantle-id-invalid.json': ['models[0].mantleId: "GPT OSS 120b"', 'a bedrock-mantle model ID such as openai.gpt-oss-120b'],
  // The former key `guardrails` is read as organizationPolicies: its problems are named by the new key.
  'deprecated-key-bad-target.json': ['organizationPolicies.protectLoggingScp.targetIds[0]: "prod-ou"', 'an AWS Organizations target'],
  'deprecated-key-and-new-key.json': [
    'guardrails: both `organizationPolicies` and `guardrails`, its former name',
    'only `organizationPolicies`: move the entries of `guardrails` into it',
  ],
  'api-keys-allow-both.json': ['organizationPolicies.apiKeys:', 'longTerm or shortTerm "deny"'],
  'api-keys-setting-unknown.json': ['organizationPolicies.apiKeys.longTerm: "block"', 'one of "deny", "allow"'],
  'api-keys-typo-key.json': ['organizationPolicies.apiKeys.longterm: unknown key', 'did you mean "longTerm"?'],
  'tenant-guardrail-without-policy.json': [
    'tenants[0].invokePolicy: false',
    'the tenant\'s invoke policy is what enforces guardrail "standard"',
  ],
};

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-bad-'));
  // Bigger than the limit: refused before parsing.
  fs.writeFileSync(path.join(scratch, 'over-the-size-limit.json'), `{"accounts": [], "padding": "${'x'.repeat(MAX_MATRIX_BYTES)}"}`);
  // A large, realistic matrix (5,000 accounts, about 1 MB) with one error at its very end.
  const accounts = Array.from({ length: 5000 }, (_, i) => ({ id: String(100000000000 + i), regions: ['us-east-1'] }));
  accounts[4999].regions = ['us-east-1', 'mars-north-1'];
  fs.writeFileSync(path.join(scratch, 'large-with-one-error.json'), JSON.stringify({ accounts }));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const HUGE: Record<string, [string, string]> = {
  'over-the-size-limit.json': ['(file):', `a matrix file of at most ${MAX_MATRIX_BYTES} bytes`],
  'large-with-one-error.json': ['accounts[4999].regions[1]: "mars-north-1"', 'an AWS region code'],
};

const file = (name: string) => (name in HUGE ? path.join(scratch, name) : path.join(DIR, name));
const ALL = { ...CASES, ...HUGE };

test('there are at least 50 fixtures, and every one is in the table', () => {
  const files = fs.readdirSync(DIR).sort();
  expect(files).toEqual(Object.keys(CASES).sort());
  expect(Object.keys(ALL).length).toBeGreaterThanOrEqual(50);
});

test.each(Object.entries(ALL))('%s: the error names the field, the value and what is allowed', (name, [where, allowed]) => {
  let error: unknown;
  try {
    loadMatrixFile(file(name));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MatrixError);
  const lines = (error as MatrixError).message.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Invalid environment matrix \\(.*${name.replace(/\./g, '\\.')}\\): \\d+ problems?$`));
  // A problem line names the field (with its value) and, after "expected", what is allowed.
  const line = lines.slice(1).find((l) => l.startsWith(`  - ${where}`));
  expect(line).toBeDefined();
  expect(line!.split(' -> expected ')[1]).toContain(allowed);
  for (const issue of (error as MatrixError).issues) expect(issue.allowed.length).toBeGreaterThan(5);
});

/** Runs the app with a matrix file, in a directory that already holds a previous cdktf.out. */
function runApp(matrix: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH!, MATRIX_FILE: matrix } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('through the app, every bad matrix exits 1 with the error and no stack trace, and leaves the previous cdktf.out as it was', async () => {
  const cwd = path.join(scratch, 'app');
  const previous = path.join(cwd, 'cdktf.out', 'stacks', 'previous');
  fs.mkdirSync(previous, { recursive: true });
  fs.writeFileSync(path.join(previous, 'cdk.tf.json'), '{"previous": true}');
  fs.writeFileSync(path.join(cwd, 'cdktf.out', 'manifest.json'), '{"version": "previous"}');

  const names = Object.keys(ALL);
  const failures: string[] = [];
  // Two at a time, one per core.
  const next = async (): Promise<void> => {
    const name = names.shift();
    if (!name) return;
    const r = await runApp(file(name), cwd);
    const [where] = ALL[name];
    if (r.code !== 1) failures.push(`${name}: exit ${r.code}`);
    if (!r.stderr.includes(`  - ${where}`)) failures.push(`${name}: stderr lacks "${where}": ${r.stderr}`);
    if (!r.stderr.includes('Nothing was written; the previous output is unchanged.')) failures.push(`${name}: no reassurance line`);
    if (/\n\s+at /.test(r.stderr)) failures.push(`${name}: stack trace in ${r.stderr}`);
    if (r.stdout) failures.push(`${name}: wrote to stdout: ${r.stdout}`);
    return next();
  };
  await Promise.all([next(), next()]);

  expect(failures).toEqual([]);
  expect(fs.readdirSync(cwd)).toEqual(['cdktf.out']);
  expect(fs.readdirSync(path.join(cwd, 'cdktf.out')).sort()).toEqual(['manifest.json', 'stacks']);
  expect(fs.readdirSync(path.join(cwd, 'cdktf.out', 'stacks'))).toEqual(['previous']);
  expect(fs.readFileSync(path.join(previous, 'cdk.tf.json'), 'utf8')).toBe('{"previous": true}');
  expect(fs.readFileSync(path.join(cwd, 'cdktf.out', 'manifest.json'), 'utf8')).toBe('{"version": "previous"}');
}, 120_000);
