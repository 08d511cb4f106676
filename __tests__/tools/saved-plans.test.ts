/** The saved-plan handoff of deploy-wave --plan-out / --apply: summaries, and the check before an apply. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkHandoff, summarizePlan, summaryMarkdown, writeHandoff } from '../../tools/rollout/saved-plans';

const rc = (address: string, ...actions: string[]) => ({ address, change: { actions } });

test('counts as Terraform does (a replacement is an add and a destroy) and names replaced and destroyed addresses', () => {
  const s = summarizePlan('st', {
    resource_changes: [
      rc('a.new', 'create'),
      rc('a.tags', 'update'),
      rc('a.profile', 'delete', 'create'),
      rc('a.cbd', 'create', 'delete'),
      rc('a.gone', 'delete'),
      rc('a.bucket', 'forget'),
      rc('a.same', 'no-op'),
      rc('data.x', 'read'),
    ],
  });
  expect(s).toEqual({ stack: 'st', adds: 3, changes: 1, destroys: 3, forgets: 1, replaced: ['a.profile', 'a.cbd'], destroyed: ['a.gone'] });
  const md = summaryMarkdown('prod', [s]);
  expect(md).toContain('| `st` | 3 | 1 | 3 | 1 |');
  expect(md).toContain('**st** replaces (new IDs and ARNs): `a.profile`, `a.cbd`');
  expect(md).toContain('**st** destroys: `a.gone`');
});

describe('checkHandoff', () => {
  let work: string;
  beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-handoff-'))));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
  const stackDir = (s: string) => path.join(work, 'out', s);
  const synth = (s: string, tf: object) => {
    fs.mkdirSync(stackDir(s), { recursive: true });
    fs.writeFileSync(path.join(stackDir(s), 'cdk.tf.json'), JSON.stringify(tf));
  };
  const planned = (stacks: string[]) => {
    const dir = path.join(work, 'plans');
    writeHandoff(
      dir,
      'dev',
      stacks,
      stackDir,
      stacks.map((s) => summarizePlan(s, { resource_changes: [rc('a.b', 'create')] })),
    );
    for (const s of stacks) fs.writeFileSync(path.join(dir, s, 'plan.tfplan'), 'plan');
    return dir;
  };

  test('accepts the planned configuration (cdktf metadata aside), refuses a changed one, a missing plan, a stack that left the wave, another wave', () => {
    synth('a', { resource: { x: { y: { v: 1 } } } });
    synth('b', { resource: { x: { y: { v: 1 } } } });
    const dir = planned(['a', 'b']);
    expect(checkHandoff(dir, 'dev', ['a', 'b'], stackDir)).toMatchObject({ refused: [], apply: [{ stack: 'a' }, { stack: 'b' }] });
    synth('a', { '//': { metadata: 'moved' }, resource: { x: { y: { v: 1 } } } });
    expect(checkHandoff(dir, 'dev', ['a', 'b'], stackDir).refused).toEqual([]);
    synth('b', { resource: { x: { y: { v: 2 } } } });
    synth('c', {});
    const r = checkHandoff(dir, 'dev', ['a', 'b', 'c'], stackDir).refused;
    expect(r).toHaveLength(2);
    expect(r[0]).toMatch(/^b: its synthesized configuration changed after its plan \(planned from sha256 [0-9a-f]{12}, now [0-9a-f]{12}\)/);
    expect(r[1]).toMatch(/^c: no saved plan/);
    expect(checkHandoff(dir, 'dev', ['b'], stackDir).refused[0]).toBe('a: planned, but no longer in wave "dev" of the matrix');
    expect(checkHandoff(dir, 'prod', ['a'], stackDir).refused).toEqual([`${dir} holds the plans of wave "dev", not "prod"`]);
    expect(checkHandoff(path.join(work, 'none'), 'dev', ['a'], stackDir).refused[0]).toMatch(/not a plan directory/);
  });
});
