/**
 * What a change to a deployed inference profile does, proven with real Terraform:
 * a plan from a state that holds the profile (not refreshed, so offline).
 * - the same matrix: no-op (the state is faithful);
 * - a changed tag (cost center): update in place, the ARN stays;
 * - a changed model: replace, so the ARN changes and callers must switch.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { PlannedChange, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { at } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const PROFILE = 'aws_bedrock_inference_profile.acme__chat';
const STACK = `bedrock-logging-${PROD}-us-east-1`;

function matrix(costCenter: string, source: string): Matrix {
  return {
    accounts: [{ id: PROD, regions: ['us-east-1'], logging: { destinations: ['s3'] } }],
    models: [{ alias: 'chat', source }],
    tenants: [{ id: 'acme', models: ['chat'], costCenter }],
  };
}
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/** A state as Terraform would have written it after applying `planned`, with the computed values filled in. */
function stateFrom(planned: PlannedChange) {
  const arn = `arn:aws:bedrock:us-east-1:${PROD}:application-inference-profile/a1b2c3d4e5f6`;
  return awsState('profile-changes-test', [
    {
      type: 'aws_bedrock_inference_profile',
      name: planned.address.split('.')[1],
      attributes: {
        ...planned.after,
        arn,
        id: arn,
        status: 'ACTIVE',
        type: 'APPLICATION',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        models: [{ model_arn: at(planned.after, 'model_source', 0, 'copy_from') }],
      },
    },
  ]);
}

maybe('inference profile changes against deployed state', () => {
  let session: TerraformSession;
  const dirs: string[] = [];
  const synthStack = (m: Matrix) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-profile-'));
    dirs.push(out);
    synthesize(resolveMatrix(m), out);
    return path.join(out, 'stacks', STACK);
  };
  let actions: Record<string, string[]>;
  /** The profile's planned values, with the fields compared. */
  type Profile = { tags: Record<string, string>; arn: string };
  let updateDiff: { before: Profile; after: Profile };

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    const base = await session.plan(synthStack(matrix('cc-1', HAIKU)), { label: 'base' });
    const state = stateFrom(base.changes.find((c) => c.address === PROFILE)!);
    const [same, tagged, remodelled] = await Promise.all([
      session.plan(synthStack(matrix('cc-1', HAIKU)), { state, label: 'same' }),
      session.plan(synthStack(matrix('cc-2', HAIKU)), { state, label: 'tag' }),
      session.plan(synthStack(matrix('cc-1', SONNET)), { state, label: 'model' }),
    ]);
    const of = (p: typeof same) => p.changes.find((c) => c.address === PROFILE)!;
    actions = { same: of(same).actions, tag: of(tagged).actions, model: of(remodelled).actions };
    const raw = tagged.plan?.resource_changes?.find((r) => r.address === PROFILE)?.change;
    // The plan's values of an aws_bedrock_inference_profile: tags and arn among them.
    updateDiff = { before: raw?.before as Profile, after: raw?.after as Profile };
  });
  afterAll(() => {
    session?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('an unchanged matrix plans nothing for the profile', () => {
    expect(actions.same).toEqual(['no-op']);
  });

  test('a tag change is an update in place that keeps the ARN', () => {
    expect(actions.tag).toEqual(['update']);
    expect(updateDiff.before.tags['cost-center']).toBe('cc-1');
    expect(updateDiff.after.tags['cost-center']).toBe('cc-2');
    expect(updateDiff.after.arn).toBe(updateDiff.before.arn);
  });

  test('a model change replaces the profile', () => {
    expect(actions.model).toEqual(['delete', 'create']);
  });
});
