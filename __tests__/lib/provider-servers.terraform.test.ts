/**
 * The provider servers terraform attaches to (lib/terraform.ts) and the schema proxy in front of them
 * (lib/provider-proxy.ts), with real Terraform: two stacks of two regions planned three ways give the
 * same plans: against a server per stack through the proxy (the default), against a server per stack
 * directly (BEDROCK_TF_SCHEMA_PROXY=0), and against one server for every command of the session
 * (sharedProvider, which review --plan uses to hold its peak memory; one provider process runs).
 * Through the proxy Terraform reads the schema of the stacks' own types, the whole one when asked.
 *
 * On the shared server the commands that configure the provider (plan) take turns: terraform runs
 * through a wrapper that logs when each command starts and ends, and no two plans overlap. (Overlapping,
 * the later configuration would serve both: the other stack's default tags in a plan, when the timing hits.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { childProcesses } from '../terraform-state';

jest.setTimeout(600_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const matrix: Matrix = {
  managementAccountId: '999999999999',
  accounts: [
    {
      id: PROD,
      regions: [
        { region: 'us-east-1', tags: { site: 'use1' } },
        { region: 'eu-west-1', tags: { site: 'euw1' } },
      ],
    },
  ],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'], monthlyBudgetUsd: 10 }],
};
const STACKS = ['us-east-1', 'eu-west-1'].map((r) => `bedrock-logging-${PROD}-${r}`);
const SITES = ['use1', 'euw1'];

/** The provider processes this process started, running now. */
const providerProcesses = () => childProcesses(process.pid).filter((c) => c.cmd.includes('terraform-provider-aws')).length;

/** The resource types `terraform providers schema -json` lists through a session's provider server (filtered or whole). */
async function resourceSchemas(session: TerraformSession, stackDir: string, kind: 'filtered' | 'full'): Promise<string[]> {
  const tf: unknown = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const work = session.workdir(`schema-${kind}`);
  fs.mkdirSync(work);
  fs.writeFileSync(
    path.join(work, 'main.tf.json'),
    JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }),
  );
  const out = await session.withProvider(
    tf,
    async (env) => {
      await session.init(work, ['-backend=false'], env);
      return session.run(work, ['providers', 'schema', '-json'], env);
    },
    [],
    { fullSchema: kind === 'full' },
  );
  return Object.keys(Object.values<{ resource_schemas: object }>(JSON.parse(out).provider_schemas)[0].resource_schemas).sort();
}

maybe('provider servers: one per stack, shared, with and without the schema proxy', () => {
  let dir: string;
  const plans: Record<'own' | 'direct' | 'shared', StackPlan[]> = { own: [], direct: [], shared: [] };
  const schemaTypes: Record<'filtered' | 'full', string[]> = { filtered: [], full: [] };
  let mostServers = 0;
  let log: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-shared-provider-'));
    synthesize(resolveMatrix(matrix), dir);
    const dirs = STACKS.map((s) => path.join(dir, 'stacks', s));
    log = path.join(dir, 'commands.log');
    const wrapper = path.join(dir, 'terraform');
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\necho "start $$ $1 $(date +%s%N)" >> ${log}\n${terraform} "$@"\nrc=$?\necho "end $$ $1 $(date +%s%N)" >> ${log}\nexit $rc\n`,
      { mode: 0o755 },
    );
    for (const mode of ['own', 'direct', 'shared'] as const) {
      if (mode === 'direct') process.env.BEDROCK_TF_SCHEMA_PROXY = '0';
      const session = new TerraformSession(mode === 'shared' ? wrapper : terraform!, { sharedProvider: mode === 'shared' });
      const timer = mode === 'shared' ? setInterval(() => (mostServers = Math.max(mostServers, providerProcesses())), 50) : undefined;
      try {
        plans[mode] = await session.planDirs(dirs, { parallelism: 2 });
        if (mode === 'own')
          for (const kind of ['filtered', 'full'] as const) schemaTypes[kind] = await resourceSchemas(session, dirs[0], kind);
      } finally {
        delete process.env.BEDROCK_TF_SCHEMA_PROXY;
        clearInterval(timer);
        session.dispose();
      }
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('each stack plans the same against a server of its own, directly or through the schema proxy, and a shared one', () => {
    expect(plans.shared.map((p) => p.stack)).toEqual(STACKS);
    for (const [i, p] of plans.own.entries()) {
      expect(p.changes.length).toBeGreaterThan(10);
      expect(p.plan?.resource_changes).toEqual(plans.direct[i].plan?.resource_changes);
      expect(p.plan?.planned_values).toEqual(plans.direct[i].plan?.planned_values);
      expect(plans.shared[i].plan?.resource_changes).toEqual(p.plan?.resource_changes);
    }
  });

  test("through the proxy Terraform reads the schema of the stacks' types, the whole schema when asked", () => {
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', STACKS[0], 'cdk.tf.json'), 'utf8'));
    expect(schemaTypes.filtered).toEqual(Object.keys(tf.resource).sort());
    expect(schemaTypes.full.length).toBeGreaterThan(1000);
    expect(schemaTypes.full).toEqual(expect.arrayContaining(schemaTypes.filtered));
  });

  test("each plan carries its own stack's provider configuration", () => {
    for (const [i, p] of plans.shared.entries()) {
      // tags_all: the provider merges its default tags in at plan time, from the configuration this plan gave it.
      const tagged = p.changes.filter((c) => c.after && typeof c.after.tags_all === 'object' && c.after.tags_all);
      expect(tagged.length).toBeGreaterThan(5);
      for (const c of tagged) expect(c.after?.tags_all).toEqual(expect.objectContaining({ site: SITES[i] }));
    }
  });

  test('one provider process served both stacks', () => {
    expect(mostServers).toBe(1);
  });

  test('plans take turns on it', () => {
    const runs = new Map<string, { command: string; start: number; end: number }>();
    for (const line of fs.readFileSync(log, 'utf8').trim().split('\n')) {
      const [edge, pid, command, ns] = line.split(' ');
      const r = runs.get(pid) ?? { command, start: 0, end: 0 };
      r[edge as 'start' | 'end'] = Number(BigInt(ns) / 1000n);
      runs.set(pid, r);
    }
    const plansRun = [...runs.values()].filter((r) => r.command === 'plan').sort((a, b) => a.start - b.start);
    expect(plansRun).toHaveLength(STACKS.length);
    for (let i = 1; i < plansRun.length; i++) expect(plansRun[i].start).toBeGreaterThanOrEqual(plansRun[i - 1].end);
  });
});
