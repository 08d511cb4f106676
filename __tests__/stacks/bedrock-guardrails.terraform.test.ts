/**
 * Amazon Bedrock Guardrails with real Terraform (terraform tier): a stack with a
 * guardrail passes init + validate + offline plan; and from a state that holds the
 * applied guardrail and its versions (not refreshed, so offline), the provider
 * and Terraform themselves decide what a change does:
 * - the same matrix: no-op, also from a version applied before revisions existed;
 * - a stronger filter under the same revision: the plan is refused (the current
 *   version's postcondition), saying which revision to set;
 * - the stronger filter as revision 2: the guardrail updates in place, the version
 *   of revision 2 is created and the one of revision 1 stays (no-op), and the tenant
 *   policy accepts both (the overlap);
 * - revision 3 from there: the version of revision 1 is deleted, the one of
 *   revision 2 stays; with overlap: false, revision 2 alone deletes revision 1's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { PlannedChange, StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { asArray, asObject, at } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const STACK = `bedrock-logging-${PROD}-us-east-1`;
const GUARDRAIL_ARN = `arn:aws:bedrock:us-east-1:${PROD}:guardrail/abcdef123456`;

function matrix(violence: 'MEDIUM' | 'HIGH', versions: { revision?: number; overlap?: false } = {}): Matrix {
  return {
    accounts: [{ id: PROD, regions: ['us-east-1'] }],
    models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
    bedrockGuardrails: [
      {
        name: 'standard',
        contentFilters: { hate: 'HIGH', insults: 'HIGH', sexual: 'HIGH', violence, misconduct: 'MEDIUM', promptAttack: 'HIGH' },
        pii: { EMAIL: 'ANONYMIZE', US_SOCIAL_SECURITY_NUMBER: 'BLOCK' },
        deniedTopics: [
          { name: 'investment-advice', definition: 'Recommendations about buying or selling specific securities or investments.' },
        ],
        wordFilters: { managed: ['PROFANITY'], words: ['acme-internal'] },
        grounding: { grounding: 0.75, relevance: 0.75 },
        blockedMessage: 'Sorry, this request is not allowed.',
        ...versions,
      },
    ],
    tenants: [
      { id: 'acme', models: ['haiku'], guardrail: 'standard' },
      { id: 'globex', models: ['haiku'] },
    ],
  };
}

/**
 * The state an apply leaves: the guardrail and the given versions (each as its
 * description and number). Nested blocks are lists in state; the planned values already are.
 */
function stateFrom(guardrail: PlannedChange, versions: { name: string; description: string; version: string }[]) {
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
        tags_all: at(g, 'tags_all') ?? {},
      },
    },
    ...versions.map((v) => ({
      type: 'aws_bedrock_guardrail_version',
      name: v.name,
      sensitiveAttributes: true,
      attributes: { description: v.description, guardrail_arn: GUARDRAIL_ARN, skip_destroy: null, timeouts: null, version: v.version },
    })),
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
  /** The description a version of `m` is created with. */
  const description = (m: Matrix, name: string) =>
    JSON.parse(fs.readFileSync(path.join(synth(m), 'cdk.tf.json'), 'utf8')).resource.aws_bedrock_guardrail_version[name].description;
  let fresh: StackPlan;
  const find = (p: StackPlan, address: string) => p.changes.find((c) => c.address === address)!;
  const actions = (p: StackPlan, type: string) =>
    Object.fromEntries(p.changes.filter((c) => c.type === type).map((c) => [c.address, c.actions]));
  /** The versions the acme policy refers to, from the plan's configuration (the state here holds only the guardrail and its versions). */
  const acmeRefersTo = (p: StackPlan) => {
    const resources = asArray(at(p.plan, 'configuration', 'root_module', 'resources'));
    const refs = asArray(
      at(
        resources.find((r) => at(r, 'address') === 'aws_iam_policy.invoke_acme'),
        'expressions',
        'policy',
        'references',
      ),
    ).map(String);
    return [...new Set(refs.filter((r) => /^aws_bedrock_guardrail_version\.[\w]+\.version$/.test(r)))].sort();
  };
  let revision1: object;
  let revision2: object;

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    fresh = await session.plan(synth(matrix('MEDIUM')));
    const g = find(fresh, 'aws_bedrock_guardrail.guardrail_standard');
    const v1 = { name: 'guardrail_standard', description: description(matrix('MEDIUM'), 'guardrail_standard'), version: '1' };
    revision1 = stateFrom(g, [v1]);
    // After the stronger filter was applied as revision 2: the guardrail's DRAFT has it, and both versions exist.
    const g2 = (await session.plan(synth(matrix('HIGH', { revision: 2 })), { label: 'revision-2-fresh' })).changes.find(
      (c) => c.address === 'aws_bedrock_guardrail.guardrail_standard',
    )!;
    revision2 = stateFrom(g2, [
      v1,
      { name: 'guardrail_standard_r2', description: description(matrix('HIGH', { revision: 2 }), 'guardrail_standard_r2'), version: '2' },
    ]);
  });
  afterAll(() => {
    session?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('validate and offline plan pass: one guardrail, one pinned version, the policies follow the version, the output tells callers what to send', () => {
    const g = find(fresh, 'aws_bedrock_guardrail.guardrail_standard');
    expect(g.actions).toEqual(['create']);
    expect(at(g.after, 'content_policy_config', 0, 'filters_config')).toContainEqual({
      type: 'PROMPT_ATTACK',
      input_strength: 'HIGH',
      output_strength: 'NONE',
    });
    expect(at(g.after, 'sensitive_information_policy_config', 0, 'pii_entities_config')).toEqual([
      { type: 'EMAIL', action: 'ANONYMIZE' },
      { type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCK' },
    ]);
    expect(find(fresh, 'aws_bedrock_guardrail_version.guardrail_standard').actions).toEqual(['create']);
    expect(fresh.changes.filter((c) => c.type.startsWith('aws_bedrock_guardrail')).length).toBe(2);
    const config = asArray(at(fresh.plan, 'configuration', 'root_module', 'resources'));
    const acme = config.find((r) => at(r, 'address') === 'aws_iam_policy.invoke_acme');
    expect(at(acme, 'expressions', 'policy', 'references')).toEqual(
      expect.arrayContaining([
        'aws_bedrock_guardrail_version.guardrail_standard.version',
        'aws_bedrock_guardrail.guardrail_standard.guardrail_arn',
      ]),
    );
    const globex = config.find((r) => at(r, 'address') === 'aws_iam_policy.invoke_globex');
    expect(JSON.stringify(at(globex, 'expressions', 'policy'))).not.toContain('guardrail');
    const output = at(fresh.plan, 'output_changes', 'tenant_guardrails');
    expect(at(output, 'actions')).toEqual(['create']);
    expect(Object.keys(asObject(at(output, 'after_unknown', 'acme'))).sort()).toEqual(['accepted_versions', 'arn', 'id', 'version']);
    expect(at(output, 'after', 'acme')).toEqual(expect.objectContaining({ name: 'standard', revision: 1 }));
  });

  test('from the applied state: the same matrix is a no-op; a changed guardrail under the same revision is refused by the plan', async () => {
    const same = await session.plan(synth(matrix('MEDIUM')), { state: revision1, label: 'same' });
    expect(find(same, 'aws_bedrock_guardrail.guardrail_standard').actions).toEqual(['no-op']);
    expect(find(same, 'aws_bedrock_guardrail_version.guardrail_standard').actions).toEqual(['no-op']);
    // A landing zone applied before revisions existed: same address, a description without the revision. Nothing changes.
    // The state as stateFrom writes it, with the fields edited here.
    type State = { resources: { type: string; instances: { attributes: { description: string } }[] }[] };
    const before = structuredClone(revision1) as State;
    const v = before.resources.find((r) => r.type === 'aws_bedrock_guardrail_version')!.instances[0].attributes;
    v.description = v.description.replace(', revision 1 (bedrock-governance)', ' (bedrock-governance)');
    expect(v.description).toMatch(/^Configuration [0-9a-f]{12} of guardrail standard \(bedrock-governance\)$/);
    const upgraded = await session.plan(synth(matrix('MEDIUM')), { state: before, label: 'upgraded' });
    expect(find(upgraded, 'aws_bedrock_guardrail_version.guardrail_standard').actions).toEqual(['no-op']);
    await expect(session.plan(synth(matrix('HIGH')), { state: revision1, label: 'unrevised' })).rejects.toThrow(
      /Guardrail "standard" has changed since its revision 1 was published as this\s+version\.\s+Set bedrockGuardrails\[0\]\.revision to 2/,
    );
  });

  test('the change as revision 2: the guardrail updates, the new version is created beside the old one, and the policy accepts both', async () => {
    const plan = await session.plan(synth(matrix('HIGH', { revision: 2 })), { state: revision1, label: 'revision-2' });
    expect(find(plan, 'aws_bedrock_guardrail.guardrail_standard').actions).toEqual(['update']);
    expect(actions(plan, 'aws_bedrock_guardrail_version')).toEqual({
      'aws_bedrock_guardrail_version.guardrail_standard': ['no-op'],
      'aws_bedrock_guardrail_version.guardrail_standard_r2': ['create'],
    });
    expect(acmeRefersTo(plan)).toEqual([
      'aws_bedrock_guardrail_version.guardrail_standard.version',
      'aws_bedrock_guardrail_version.guardrail_standard_r2.version',
    ]);
  });

  test('revision 3 ends the overlap of revision 1: its version is deleted, revision 2 stays; overlap: false deletes it at revision 2', async () => {
    const next = await session.plan(synth(matrix('HIGH', { revision: 3 })), { state: revision2, label: 'revision-3' });
    expect(actions(next, 'aws_bedrock_guardrail_version')).toEqual({
      'aws_bedrock_guardrail_version.guardrail_standard': ['delete'],
      'aws_bedrock_guardrail_version.guardrail_standard_r2': ['no-op'],
      'aws_bedrock_guardrail_version.guardrail_standard_r3': ['create'],
    });
    const ended = await session.plan(synth(matrix('HIGH', { revision: 2, overlap: false })), { state: revision2, label: 'overlap-off' });
    expect(actions(ended, 'aws_bedrock_guardrail_version')).toEqual({
      'aws_bedrock_guardrail_version.guardrail_standard': ['delete'],
      'aws_bedrock_guardrail_version.guardrail_standard_r2': ['no-op'],
    });
    expect(acmeRefersTo(ended)).toEqual(['aws_bedrock_guardrail_version.guardrail_standard_r2.version']);
    const kept = await session.plan(synth(matrix('HIGH', { revision: 2 })), { state: revision2, label: 'revision-2-again' });
    expect(actions(kept, 'aws_bedrock_guardrail_version')).toEqual({
      'aws_bedrock_guardrail_version.guardrail_standard': ['no-op'],
      'aws_bedrock_guardrail_version.guardrail_standard_r2': ['no-op'],
    });
  });
});
