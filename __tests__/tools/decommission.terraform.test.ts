/**
 * npm run decommission, with real Terraform, offline: a stack that left the
 * matrix, planned from a state that holds every resource it deployed. The plan
 * forgets the bucket (and its settings), the keys and the log group, destroys
 * the rest, and a dry run changes nothing. Refused while the stack is still in
 * the matrix. Only a real AWS account proves the apply (docs/rollout.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTerraform } from '../../lib/terraform';
import { awsState } from '../terraform-state';
import type { PlanResourceChange } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const ROOT = path.join(__dirname, '..', '..');
const STACK = 'bedrock-logging-111111111111-eu-west-1';

const PREVIOUS = `accounts:
  - { id: "111111111111", environment: prod, regions: [us-east-1, eu-west-1] }
models: [{ alias: haiku, source: "anthropic.claude-3-haiku-20240307-v1:0" }]
tenants: [{ id: acme, models: [haiku] }]
`;
const CURRENT = PREVIOUS.replace('[us-east-1, eu-west-1]', '[us-east-1]');

maybe('decommission of a stack that left the matrix', () => {
  let work: string;
  let statePath: string;
  const run = (args: string[], matrix: string) =>
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'tools', 'rollout', 'decommission.js'), ...args], {
      cwd: work,
      env: { PATH: process.env.PATH!, HOME: work, MATRIX_FILE: matrix, TF_CLI_CONFIG_FILE: path.join(work, 'missing.tfrc') },
      encoding: 'utf8',
    });

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-decommission-'));
    fs.writeFileSync(path.join(work, 'previous.yaml'), PREVIOUS);
    fs.writeFileSync(path.join(work, 'current.yaml'), CURRENT);
    // The deployed state: every resource of the stack as synthesized from the previous matrix (local backend: the state sits in the working directory).
    const synth = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      cwd: work,
      env: { PATH: process.env.PATH!, MATRIX_FILE: 'previous.yaml' },
      encoding: 'utf8',
    });
    expect(synth.status).toBe(0);
    const tf = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    statePath = tf.terraform.backend.local.path;
    const resources = Object.entries<Record<string, unknown>>(tf.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => ({ type, name, attributes: { id: `${type}-${name}` } })),
    );
    fs.writeFileSync(statePath, JSON.stringify(awsState('decommission-test', resources)));
    fs.rmSync(path.join(work, 'cdktf.out'), { recursive: true });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('refused while the stack is still in the matrix: exit 1, nothing written', () => {
    const r = run([STACK, '--previous-matrix', 'previous.yaml', '--dry-run', '--offline'], 'previous.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Refused: ${STACK} is still in the matrix (previous.yaml)`);
    expect(fs.existsSync(path.join(work, 'decommission.out'))).toBe(false);
  });

  test('usage errors: no stack, no previous matrix, a stack in neither matrix', () => {
    expect(run(['--dry-run'], 'current.yaml').status).toBe(2);
    expect(run([STACK], 'current.yaml').status).toBe(2);
    const r = run(['bedrock-logging-999999999999-us-east-1', '--previous-matrix', 'previous.yaml'], 'current.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not in the previous matrix previous.yaml either');
  });

  test('the dry run plans: bucket, keys and log group leave state; the rest is destroyed; nothing changes', () => {
    const before = fs.readFileSync(statePath, 'utf8');
    const r = run([STACK, '--previous-matrix', 'previous.yaml', '--dry-run', '--offline'], 'current.yaml');
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('will no longer be managed by Terraform, but will not be destroyed');
    expect(r.stdout).toContain('Dry run: nothing changed.');
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);

    const dir = path.join(work, 'decommission.out', STACK);
    const show = spawnSync('terraform', ['show', '-json', 'plan.bin'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(ROOT, 'tools', 'offline.tfrc') },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(show.status).toBe(0);
    const actions = Object.fromEntries(
      JSON.parse(show.stdout).resource_changes.map((c: PlanResourceChange) => [c.address, c.change.actions.join(',')]),
    );
    for (const kept of [
      'aws_s3_bucket.invocation_logs',
      'aws_kms_key.invocation_logs',
      'aws_cloudwatch_log_group.invocation_logs',
      'aws_s3_bucket_public_access_block.invocation_logs',
      'aws_s3_bucket_lifecycle_configuration.invocation_logs',
      'aws_cloudwatch_log_data_protection_policy.invocation_logs',
    ])
      expect([kept, actions[kept]]).toEqual([kept, 'forget']);
    for (const gone of [
      'aws_bedrock_model_invocation_logging_configuration.this',
      'aws_bedrock_inference_profile.acme__haiku',
      'aws_iam_role.invocation_logging',
      'aws_sns_topic.alarms',
    ])
      expect([gone, actions[gone]]).toEqual([gone, 'delete']);
    // Every resource of the state is either forgotten or destroyed: none stays managed.
    const state = JSON.parse(before).resources.map((x: { type: string; name: string }) => `${x.type}.${x.name}`);
    expect(Object.keys(actions).sort()).toEqual(state.sort());
    expect(Object.values(actions).every((a) => a === 'forget' || a === 'delete')).toBe(true);
  });
});
