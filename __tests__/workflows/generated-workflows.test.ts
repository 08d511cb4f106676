/**
 * The workflows `bedrock-governance init` writes into a landing-zone repository
 * (templates/landing-zone/github/workflows/), checked on a generated repository in
 * a temporary folder: valid against the GitHub Actions workflow schema, calling
 * only commands and options the CLI has, running the landing zone's own checks
 * (not this repository's tests), and synthesizing the base of a pull request with
 * the tool version of the base's own lockfile. Only the files init writes are
 * read: a workflow a team adds beside them is theirs, and no test of ours sees it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { NOT_YET_PINNED, unpinned } from './pinned-actions';
import { COMMANDS } from '../../cli';
import type { Command } from '../../lib/args';
import { init, initFiles } from '../../tools/rollout/init';
import type { Job, Step, Workflow } from '../github-workflow';

const ROOT = path.join(__dirname, '..', '..');
let repo: string;
beforeAll(() => {
  repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-generated-')), 'lz');
  init(repo, false);
});
afterAll(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

const WORKFLOWS = initFiles('lz')
  .map((f) => f.path)
  .filter((p) => p.startsWith('.github/workflows/'));
const text = (f: string) => fs.readFileSync(path.join(repo, f), 'utf8');
const load = (f: string): Workflow => YAML.parse(text(f), { uniqueKeys: true });
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const runs = (wf: Workflow): string =>
  steps(wf)
    .map((s) => String(s.run ?? ''))
    .join('\n');

/** Each `npx bedrock-governance <command> [args]` in a workflow's run lines. */
const calls = (wf: Workflow) =>
  [...runs(wf).matchAll(/npx bedrock-governance ([\w-]+)([^\n|;&>)]*)/g)].map((m) => ({
    command: m[1],
    args: m[2].trim().split(/\s+/).filter(Boolean),
  }));
const spec = (command: string): Command => require(path.join(ROOT, `${COMMANDS[command].file}.ts`)).COMMAND;

test('init writes a pull-request and a deploy workflow (a test over no workflows would pass vacuously)', () => {
  expect(WORKFLOWS).toEqual(['.github/workflows/pull-request.yml', '.github/workflows/deploy.yml', '.github/workflows/deploy-wave.yml']);
});

describe.each(WORKFLOWS)('generated %s', (file) => {
  test('is valid against the GitHub Actions workflow schema', () => {
    expect(validateWorkflow(text(file)).errors).toEqual([]);
  });

  test("runs only commands of the CLI, with options they accept, and never this repository's tests or npm scripts", () => {
    const wf = load(file);
    const used = calls(wf);
    expect(used.length).toBeGreaterThan(0);
    for (const c of used) {
      expect([c.command, Object.keys(COMMANDS)]).toEqual([c.command, expect.arrayContaining([c.command])]);
      const names = spec(c.command).options.map((o) => o.name);
      for (const a of c.args.filter((x) => x.startsWith('--')))
        expect([c.command, a, names.includes(a as `--${string}`)]).toEqual([c.command, a, true]);
    }
    expect(runs(wf)).not.toMatch(/npm (run|test)\b/);
  });

  test('takes the matrix from MATRIX_FILE (repository variable, else landing-zone.yaml) and uses Node 22 or 24', () => {
    const wf = load(file);
    expect(wf.env!.MATRIX_FILE).toBe("${{ vars.MATRIX_FILE || 'landing-zone.yaml' }}");
    const nodes = steps(wf).filter((s) => String(s.uses ?? '').startsWith('actions/setup-node'));
    expect(nodes.length).toBeGreaterThan(0);
    for (const s of nodes) expect([22, 24]).toContain(Number(s.with!['node-version']));
  });

  test('says the tool owns it', () => {
    expect(text(file)).toMatch(/^# Written by `npx bedrock-governance init`; the tool owns this file: do not edit it/);
  });
});

describe('generated pull-request.yml', () => {
  const wf = () => load('.github/workflows/pull-request.yml');

  test("the landing zone's own checks: matrix validation, synth, the IaC rule report, the plan review, per-stack diffs", () => {
    const commands = calls(wf()).map((c) => c.command);
    for (const c of ['waves', 'synth', 'iac-rules', 'review', 'changed-stacks']) expect(commands).toContain(c);
    expect(runs(wf())).toContain('npx bedrock-governance plan-summary $STACKS --out plan-summaries');
    expect(runs(wf())).toContain('--accept-file .github/review-accept.txt');
  });

  test("the base side is synthesized with the tool version of the base's own lockfile (npm ci in its worktree)", () => {
    const base = wf().jobs.check.steps!.find((s) => /Synthesize the base branch/.test(s.name ?? ''))!.run as string;
    expect(base).toMatch(/git worktree add "\$RUNNER_TEMP\/base"/);
    expect(base).toMatch(/cd "\$RUNNER_TEMP\/base"/);
    expect(base).toContain('npm ci && npx bedrock-governance synth');
  });

  test("the sticky comment script it requires is a file init writes, the same as this repository's", () => {
    const post = wf().jobs.comment.steps!.find((s) => String(s.uses).startsWith('actions/github-script@'));
    const script = /require\('\.\/([^']+)'\)/.exec(post!.with!.script)![1];
    expect(text(script)).toBe(fs.readFileSync(path.join(ROOT, script), 'utf8'));
  });
});

test("the generated deploy workflow deploys the waves of the matrix one at a time, each a plan job, then an apply job of the saved plans behind the wave's environment", () => {
  const wf = load('.github/workflows/deploy.yml');
  expect(wf.jobs.waves.steps!.find((s) => s.id === 'waves')!.run).toContain('npx bedrock-governance waves --json --exclude bootstrap');
  expect(wf.jobs.deploy.strategy).toEqual({
    'max-parallel': 1,
    'fail-fast': true,
    matrix: { include: '${{ fromJSON(needs.waves.outputs.waves) }}' },
  });
  expect(wf.jobs.deploy).toMatchObject({
    uses: './.github/workflows/deploy-wave.yml',
    with: { wave: '${{ matrix.wave }}' },
    secrets: 'inherit',
  });
  const w = load('.github/workflows/deploy-wave.yml');
  expect(w.jobs.apply).toMatchObject({ needs: 'plan', environment: '${{ inputs.wave }}' });
  expect(w.jobs.plan.environment).toBeUndefined();
  expect(w.jobs.plan.steps!.find((s) => s.id === 'plan')!.run).toBe(
    'npx bedrock-governance deploy-wave "$WAVE" --plan-out saved-plans ${ACCOUNT:+--account "$ACCOUNT"}',
  );
  expect(w.jobs.apply.steps!.at(-1)!.run).toBe(
    'npx bedrock-governance deploy-wave "$WAVE" --apply saved-plans ${ACCOUNT:+--account "$ACCOUNT"}',
  );
  expect(runs(w)).not.toMatch(/--auto-approve|cdktf deploy/);
});

test("the generated workflows are this repository's own, but for the commands (npx bedrock-governance for npm run) and the matrix check", () => {
  const own = (f: string) => fs.readFileSync(path.join(ROOT, '.github', 'workflows', f), 'utf8');
  const jobs = (t: string): Record<string, Job> => YAML.parse(t).jobs;
  const norm = (j: Record<string, Job>): Record<string, Job> =>
    JSON.parse(
      JSON.stringify(j)
        .replace(/npm run synth/g, 'npx bedrock-governance synth')
        .replace(/npm run deploy:wave -- /g, 'npx bedrock-governance deploy-wave '),
    );
  const strip = (j: Record<string, Job>) =>
    Object.fromEntries(
      Object.entries(j).map(([k, v]) => [
        k,
        { ...v, steps: v.steps?.filter((s) => !String(s.run ?? '').includes('check-matrix-file.sh')) },
      ]),
    );
  expect(strip(jobs(text('.github/workflows/deploy-wave.yml')))).toEqual(strip(norm(jobs(own('deploy-wave.yml')))));
  expect(jobs(text('.github/workflows/deploy.yml')).deploy).toEqual(jobs(own('deploy.yml')).deploy);
});

test('every third-party action is pinned to a full commit SHA with its version in a comment (but the listed exemptions, each still in use)', () => {
  const all = WORKFLOWS.flatMap((f) => unpinned(text(f)));
  expect([...new Set(all.filter((u) => !NOT_YET_PINNED.includes(u)))]).toEqual([]);
  expect(
    unpinned(
      '      - uses: actions/checkout@v6\n      - uses: actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3\n      - uses: ./.github/workflows/x.yml\n',
    ),
  ).toEqual(['actions/checkout@v6', 'actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3']);
});
