/**
 * The generated deploy workflow's steps that need no cloud, run as the workflow
 * runs them (their `run:` text from the files `init` writes, with `npx
 * bedrock-governance` pointing at this build): the waves, then one wave's plan
 * job and apply job with offline plans of a synthesized landing zone. The plan
 * step gets `--offline` (dummy credentials, scratch local state) and the apply
 * step `--dry-run` (no apply without AWS); the handoff between them, and the
 * refusal of a stack whose synthesized configuration changed after its plan,
 * are real.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { init } from '../../tools/init';
import { requireTerraform } from '../../lib/terraform';

// synth, terraform init and an offline plan in child processes: tens of seconds on a loaded machine.
jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');
const terraform = requireTerraform();
const maybe = terraform ? test : test.skip;

let repo: string;
beforeAll(() => {
  repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-pipeline-')), 'lz');
  init(repo, false);
});
afterAll(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

const workflow = (f: string) => YAML.parse(fs.readFileSync(path.join(repo, '.github', 'workflows', f), 'utf8'));
/** A workflow job, with the fields read here. */
interface Job {
  steps: { name?: string; run?: string; [key: string]: unknown }[];
}
const step = (job: Job, pick: (s: Job['steps'][number]) => boolean): string => {
  const s = job.steps.find(pick);
  expect(s).toBeDefined();
  return String(s!.run);
};

/** Runs one step's shell text as the runner would (bash, in the checkout), with the job's env. */
function runStep(script: string, env: Record<string, string>) {
  const local = script.replace(/npx bedrock-governance /g, `node ${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))} `);
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', local], {
    cwd: repo,
    env: { PATH: process.env.PATH!, HOME: os.homedir(), ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ACCOUNT = '111111111111';
const STACK = `bedrock-logging-${ACCOUNT}-us-east-1`;
const matrix = (tags: string) => `accounts:\n  - { id: "${ACCOUNT}", environment: dev, regions: [us-east-1]${tags} }\n`;

maybe('waves, then a plan job writing saved plans and an apply job taking them, refusing a stack changed after its plan', () => {
  fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), matrix(''));
  const summary = path.join(repo, '..', 'step-summary.md');
  const output = path.join(repo, '..', 'github-output');
  fs.writeFileSync(summary, '');
  fs.writeFileSync(output, '');
  const env = { MATRIX_FILE: 'landing-zone.yaml', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, CHECKPOINT_DISABLE: '1' };

  // deploy.yml: the waves job.
  const deploy = workflow('deploy.yml');
  const w = runStep(
    step(deploy.jobs.waves, (s) => s.id === 'waves'),
    env,
  );
  expect(w.code).toBe(0);
  const waves = JSON.parse(/^waves=(.*)$/m.exec(fs.readFileSync(output, 'utf8'))![1]);
  expect(waves).toEqual([{ wave: 'dev', stacks: [STACK] }]);

  // deploy-wave.yml for that wave: the plan job.
  const wave = workflow('deploy-wave.yml');
  const jobEnv = { ...env, WAVE: waves[0].wave };
  const synth = (job: Job) =>
    runStep(
      step(job, (s) => s.name === 'Synthesize'),
      jobEnv,
    );
  expect(synth(wave.jobs.plan).code).toBe(0);
  const planStep = step(wave.jobs.plan, (s) => s.id === 'plan');
  const plan = runStep(`${planStep} --offline`, jobEnv);
  expect([plan.code, plan.err]).toEqual([0, '']);
  const saved = path.join(repo, 'saved-plans');
  expect(fs.statSync(path.join(saved, STACK, 'plan.tfplan')).size).toBeGreaterThan(0);
  const stackSummary = JSON.parse(fs.readFileSync(path.join(saved, STACK, 'summary.json'), 'utf8'));
  expect(stackSummary).toMatchObject({ stack: STACK, changes: 0, destroys: 0, replaced: [] });
  expect(stackSummary.adds).toBeGreaterThan(10);
  expect(fs.readFileSync(summary, 'utf8')).toContain(`| \`${STACK}\` | ${stackSummary.adds} | 0 | 0 | 0 |`);
  // The artifact holds the summary too.
  expect(fs.readFileSync(path.join(saved, 'summary.md'), 'utf8')).toContain(`| \`${STACK}\` | ${stackSummary.adds} |`);

  // The apply job: synth again (same commit), then the saved plans and nothing else.
  const applyStep = step(wave.jobs.apply, (s) => /--apply/.test(String(s.run ?? '')));
  expect(synth(wave.jobs.apply).code).toBe(0);
  const ok = runStep(`${applyStep} --dry-run`, jobEnv);
  expect(ok.code).toBe(0);
  expect(ok.out).toContain(`terraform apply -input=false ${path.join(fs.realpathSync(saved), STACK, 'plan.tfplan')}`);

  // The configuration changes after the plan (a push the plan did not see): refused, with the reason.
  fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), matrix(', tags: { team: search }'));
  expect(synth(wave.jobs.apply).code).toBe(0);
  const refused = runStep(`${applyStep} --dry-run`, jobEnv);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(`Refused: ${STACK}: its synthesized configuration changed after its plan`);
  expect(refused.out).not.toContain('terraform apply');
  expect(fs.readFileSync(summary, 'utf8')).toContain('refused: nothing applied');

  // Back to the planned configuration: accepted again (the refusal is the hash, not a one-way latch).
  fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), matrix(''));
  expect(synth(wave.jobs.apply).code).toBe(0);
  expect(runStep(`${applyStep} --dry-run`, jobEnv).code).toBe(0);
});

maybe('after the deploy: the stacks the push removed from the matrix, each with its decommission command, in the job summary', () => {
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, expect.anything()]);
    return r.stdout.trim();
  };
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(
    path.join(repo, 'landing-zone.yaml'),
    `accounts:\n  - { id: "${ACCOUNT}", environment: dev, regions: [us-east-1, eu-west-1] }\n`,
  );
  git('add', 'landing-zone.yaml');
  git('commit', '-qm', 'two regions');
  const before = git('rev-parse', 'HEAD');
  fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), matrix(''));
  git('commit', '-qam', 'eu-west-1 leaves');
  const summary = path.join(repo, '..', 'left-summary.md');
  fs.writeFileSync(summary, '');
  const leftStep = step(workflow('deploy.yml').jobs['left-the-matrix'], (s) => s.name === 'Stacks that left the matrix');
  const env = { MATRIX_FILE: 'landing-zone.yaml', GITHUB_STEP_SUMMARY: summary };
  const r = runStep(leftStep, { ...env, BEFORE: before });
  expect([r.code, r.err]).toEqual([0, '']);
  const gone = `bedrock-logging-${ACCOUNT}-eu-west-1`;
  const listed = fs.readFileSync(summary, 'utf8');
  expect(listed).toContain(
    `- \`${gone}\`: \`npx bedrock-governance decommission ${gone} --previous-matrix previous-matrix.yaml --dry-run\``,
  );
  expect(listed).toContain(`git show ${before}:landing-zone.yaml > previous-matrix.yaml`);
  expect(listed).not.toContain(STACK);
  // A push with nothing removed, and a run with no commit before it (workflow_dispatch): nothing listed, no failure.
  fs.writeFileSync(summary, '');
  expect(runStep(leftStep, { ...env, BEFORE: git('rev-parse', 'HEAD') }).code).toBe(0);
  expect(fs.readFileSync(summary, 'utf8')).toContain('### Stacks that left the matrix\n\nNone.');
  expect(runStep(leftStep, { ...env, BEFORE: '' })).toMatchObject({ code: 0, out: expect.stringContaining('no stack left it') });
});
