/**
 * Amazon Bedrock Guardrails with real Terraform (terraform tier): a stack with a
 * guardrail passes init + validate + offline plan; and from a state that holds the
 * applied guardrail and its version (not refreshed, so offline), the provider
 * itself decides what a change does:
 * - the same matrix: no-op;
 * - a stronger filter: the guardrail updates in place and its version is replaced,
 *   new version created before the old one is deleted (a new version is published).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { PlannedChange, StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const STACK = `bedrock-logging-${PROD}-us-east-1`;
const GUARDRAIL_ARN = `arn:aws:bedrock:us-east-1:${PROD}:guardrail/abcdef123456`;

function matrix(violence: 'MEDIUM' | 'HIGH'): Matrix {
  return {
    accounts: [{ id: PROD, regions: ['us-east-1'] }],
    models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
    bedrockGuardrails: [
      {
        name: 'standard',
        contentFilters: { hate: 'HIGH', insults: 'HIGH', sexual: 'HIGH', violence, misconduct: 'MEDIUM', promptAttack: 'HIGH' },
        pii: { EMAIL: 'ANONYMIZE', US_SOCIAL_SECURITY_NUMBER: 'BLOCK' },
        deniedTopics: [{ name: 'investment-advice', definition: 'Recommendations about buying or selling specific securities or investments.' }],
        wordFilters: { managed: ['PROFANITY'], words: ['acme-internal'] },
        grounding: { grounding: 0.75, relevance: 0.75 },
        blockedMessage: 'Sorry, this request is not allowed.',
      },
    ],
    tenants: [
      { id: 'acme', models: ['haiku'], guardrail: 'standard' },
      { id: 'globex', models: ['haiku'] },
    ],
  };
}

/** Nested blocks are lists in state; the planned values already are. */
function stateFrom(guardrail: PlannedChange, version: PlannedChange) {
  const g = guardrail.after;
  return awsState('bedrock-guardrails-test', [
    {
      type: 'aws_bedrock_guardrail',
      name: guardrail.address.split('.')[1],
      sensitiveAttributes: true,
      attributes: {
        ...g,
        guardrail_arn: GUARDRAIL_ARN,
        guardrail_id: 'abcdef123456',
        id: 'abcdef123456,DRAFT',
        version: 'DRAFT',
        status: 'READY',
        created_at: '2026-01-01T00:00:00Z',
        kms_key_arn: null,
        tags_all: g.tags_all ?? {},
      },
    },
    {
      type: 'aws_bedrock_guardrail_version',
      name: version.address.split('.')[1],
      sensitiveAttributes: true,
      attributes: { ...version.after, guardrail_arn: GUARDRAIL_ARN, version: '1' },
    },
  ]);
}

maybe('Bedrock guardrails with real Terraform', () => {
  let session: TerraformSession;
  const dirs: string[] = [];
  const synth = (m: Matrix) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-guardrail-'));
    dirs.push(out);
    synthesize(resolveMatrix(m), out);
    return path.join(out, 'stacks', STACK);
  };
  let fresh: StackPlan;
  const find = (p: StackPlan, address: string) => p.changes.find((c) => c.address === address)!;

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    fresh = await session.plan(synth(matrix('MEDIUM')));
  });
  afterAll(() => {
    session?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('validate and offline plan pass: one guardrail, one pinned version, the policies follow the version', () => {
    const g = find(fresh, 'aws_bedrock_guardrail.guardrail_standard');
    expect(g.actions).toEqual(['create']);
    expect(g.after.content_policy_config[0].filters_config).toContainEqual({ type: 'PROMPT_ATTACK', input_strength: 'HIGH', output_strength: 'NONE' });
    expect(g.after.sensitive_information_policy_config[0].pii_entities_config).toEqual([
      { type: 'EMAIL', action: 'ANONYMIZE' },
      { type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCK' },
    ]);
    expect(find(fresh, 'aws_bedrock_guardrail_version.guardrail_standard').actions).toEqual(['create']);
    expect(fresh.changes.filter((c) => c.type.startsWith('aws_bedrock_guardrail')).length).toBe(2);
    const config = fresh.plan.configuration.root_module.resources;
    const acme = config.find((r: any) => r.address === 'aws_iam_policy.invoke_acme');
    expect(acme.expressions.policy.references).toEqual(expect.arrayContaining(['aws_bedrock_guardrail_version.guardrail_standard.version', 'aws_bedrock_guardrail.guardrail_standard.guardrail_arn']));
    const globex = config.find((r: any) => r.address === 'aws_iam_policy.invoke_globex');
    expect(JSON.stringify(globex.expressions.policy)).not.toContain('guardrail');
  });

  test('from the applied state: the same matrix is a no-op; a changed filter updates the guardrail and publishes a new version first', async () => {
    const state = stateFrom(find(fresh, 'aws_bedrock_guardrail.guardrail_standard'), find(fresh, 'aws_bedrock_guardrail_version.guardrail_standard'));
    const same = await session.plan(synth(matrix('MEDIUM')), { state, label: 'same' });
    expect(find(same, 'aws_bedrock_guardrail.guardrail_standard').actions).toEqual(['no-op']);
    expect(find(same, 'aws_bedrock_guardrail_version.guardrail_standard').actions).toEqual(['no-op']);

    const stronger = await session.plan(synth(matrix('HIGH')), { state, label: 'stronger' });
    expect(find(stronger, 'aws_bedrock_guardrail.guardrail_standard').actions).toEqual(['update']);
    const version = stronger.plan.resource_changes.find((c: any) => c.address === 'aws_bedrock_guardrail_version.guardrail_standard');
    expect(version.change.actions).toEqual(['create', 'delete']);
    expect(version.change.replace_paths).toEqual([['description']]);
    expect(version.change.after_unknown.version).toBe(true);
  });
});
