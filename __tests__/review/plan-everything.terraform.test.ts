/**
 * review --plan on every stack kind with every option on (issue 25, item 6), with
 * real Terraform and the provider, offline: guardrails (whose version stacks
 * interpolate into ARNs), Object Lock, the cost export, organization policies,
 * bootstrap stacks, adoption import blocks, analytics and QuickSight. Each stack of
 * the matrix gets one small change in the head, and `npm run review -- --plan` must
 * plan every one of them, with a base that converges, and report the change.
 * Also: a failed plan prints at most 40 lines (the stack, the address, Terraform's
 * error) and writes the whole output to the file it names.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { RESOURCE_TYPES } from '../../lib/resource-types';
import { requireTerraform } from '../../lib/terraform';
import { EVERYTHING_ON } from '../everything-matrix';
import { resolveMatrix } from '../helpers';
import type { Change } from '../../review/diff';
import type { StackReview } from '../../review/review';

jest.setTimeout(1_800_000);
const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const ROOT = path.join(__dirname, '..', '..');

const review = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'review', 'cli.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** EVERYTHING_ON plus the options it leaves off that change the plan: adoption import blocks, an imported OIDC provider. */
const MATRIX: Matrix = {
  ...EVERYTHING_ON,
  deployment: { ...EVERYTHING_ON.deployment, bootstrap: { ...EVERYTHING_ON.deployment!.bootstrap, oidcProvider: 'import' } },
  accounts: EVERYTHING_ON.accounts.map((a) =>
    a.id === '222222222222' ? { ...a, regions: [{ region: 'us-east-1', adopt: ['loggingConfiguration'] }] } : a,
  ),
};

const stackFile = (tree: string, s: string) => path.join(tree, 'stacks', s, 'cdk.tf.json');
const read = (tree: string, s: string) => JSON.parse(fs.readFileSync(stackFile(tree, s), 'utf8'));

/** One small in-place change per stack: a tag on the first tagged resource, else a longer description where it does not force a new resource, else an alarm's description. Returns the address. */
function editStack(tf: { resource: Record<string, Record<string, Record<string, unknown>>> }): string {
  const resources = Object.entries(tf.resource).sort(([a], [b]) => a.localeCompare(b));
  for (const [type, byName] of resources)
    for (const [name, body] of Object.entries(byName).sort(([a], [b]) => a.localeCompare(b)))
      if (body.tags && typeof body.tags === 'object') {
        body.tags = { ...body.tags, 'review-test': 'day-two' };
        return `${type}.${name}`;
      }
  for (const [type, byName] of resources)
    for (const [name, body] of Object.entries(byName).sort(([a], [b]) => a.localeCompare(b)))
      if (
        typeof body.description === 'string' &&
        !body.description.includes('${') &&
        !RESOURCE_TYPES[type]?.forceNew.includes('description')
      ) {
        body.description = `${body.description} (reviewed)`;
        return `${type}.${name}`;
      }
  // A monitoring stack: its alarms' descriptions change in place.
  for (const [type, byName] of resources)
    for (const [name, body] of Object.entries(byName).sort(([a], [b]) => a.localeCompare(b)))
      if (typeof body.alarm_description === 'string' && !body.alarm_description.includes('${')) {
        body.alarm_description = `${body.alarm_description} (reviewed)`;
        return `${type}.${name}`;
      }
  throw new Error('no resource with tags or a description to change');
}

maybe('review --plan with every option on', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-review-everything-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const base = path.join(scratch, 'base');
  const head = path.join(scratch, 'head');
  synthesize(resolveMatrix(MATRIX), base);
  fs.cpSync(base, head, { recursive: true });
  const stacks = fs.readdirSync(path.join(base, 'stacks')).sort();
  const edited = new Map<string, string>();
  for (const s of stacks) {
    const tf = read(head, s);
    edited.set(s, editStack(tf));
    fs.writeFileSync(stackFile(head, s), JSON.stringify(tf));
  }

  test('the matrix has every stack kind and the options that once broke --plan', () => {
    const types = new Set(stacks.flatMap((s) => Object.keys(read(base, s).resource)));
    for (const t of [
      'aws_bedrock_guardrail_version',
      'aws_s3_bucket_object_lock_configuration',
      'aws_bcmdataexports_export',
      'aws_organizations_policy',
      'aws_quicksight_data_set',
      'aws_iam_openid_connect_provider',
    ])
      expect([t, types.has(t)]).toEqual([t, true]);
    expect(stacks.some((s) => (read(base, s).import ?? []).length > 0)).toBe(true);
    expect(stacks.filter((s) => s.startsWith('bedrock-bootstrap-')).length).toBeGreaterThan(0);
    expect(stacks.filter((s) => s.startsWith('bedrock-management-')).length).toBe(1);
  });

  test('every stack plans: the base converges to no-op and the one change is the provider plan of that stack', () => {
    const out = path.join(scratch, 'out');
    const r = review(['--base-dir', base, '--head-dir', head, '--out', out, '--plan']);
    expect([r.code, r.err.split('\n').slice(0, 40).join('\n')]).toEqual([0, expect.anything()]);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf8'));
    expect(json.stacks.map((s: StackReview) => s.name)).toEqual(stacks);
    for (const s of json.stacks) {
      expect([s.name, s.status]).toEqual([s.name, 'changed']);
      // Planned by the provider, converged, nothing left to the static review.
      expect([s.name, s.plan]).toEqual([
        s.name,
        expect.stringMatching(/^0 to add, .*1 to change, 0 to replace, 0 to destroy, .*converged in \d rounds?\)$/),
      ]);
      expect([s.name, s.changes.map((c: Change) => [c.address, c.action])]).toEqual([s.name, [[edited.get(s.name), 'update']]]);
    }
  });

  test('a failed plan: at most 40 lines naming the stack, the address and the error; the whole output in the file it names', () => {
    const s = stacks.find((n) => n.startsWith('bedrock-logging-'))!;
    const broken = (tree: string) => {
      const dir = path.join(scratch, `broken-${path.basename(tree)}`);
      fs.mkdirSync(path.join(dir, 'stacks', s), { recursive: true });
      fs.copyFileSync(path.join(tree, 'manifest.json'), path.join(dir, 'manifest.json'));
      const tf = read(tree, s);
      // Every alarm interpolates an attribute the key does not have: one error per alarm, each quoting the whole stack file.
      for (const body of Object.values<Record<string, unknown>>(tf.resource.aws_cloudwatch_metric_alarm))
        body.alarm_description = '${aws_kms_key.invocation_logs.no_such_attribute}';
      fs.writeFileSync(stackFile(dir, s), JSON.stringify(tf));
      return dir;
    };
    const out = path.join(scratch, 'out-broken');
    const r = review(['--base-dir', broken(base), '--head-dir', broken(head), '--out', out, '--plan']);
    expect(r.code).toBe(1);
    const message = r.err.slice(r.err.indexOf('Error: '));
    const lines = message.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(200);
    expect(lines[0]).toContain(s);
    expect(message).toMatch(/aws_cloudwatch_metric_alarm\.\w+: Unsupported attribute/);
    expect(message).toContain('no_such_attribute');
    const log = /Full Terraform output: (\S+)/.exec(message)![1];
    expect(path.dirname(log)).toBe(path.resolve(out));
    const full = fs.readFileSync(log, 'utf8');
    expect(full.length).toBeGreaterThan(message.length * 10);
    expect(full).toContain('Unsupported attribute');
    // review.md, the pull-request comment, carries the same message, not its first line alone.
    const md = fs.readFileSync(path.join(out, 'review.md'), 'utf8');
    expect(md).toContain('**The review failed**');
    expect(md).toMatch(/aws_cloudwatch_metric_alarm\.\w+: Unsupported attribute/);
    expect(md).toContain(`Full Terraform output: ${log}`);
  });
});
