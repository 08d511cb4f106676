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
import { init } from '../../tools/rollout/init';
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
  // A local (or Terraform Cloud) backend: one job for the whole wave, no AWS role (accounts: one entry, empty).
  expect(waves).toEqual([{ wave: 'dev', stacks: [STACK], accounts: [{ account: '', role: '' }] }]);

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

maybe(
  'S3 backend: one job per account of the wave, each with its account role from the matrix, planning and applying only its stacks',
  () => {
    const other = '222222222222';
    const s3 = (extra: string) =>
      `accounts:\n  - { id: "${ACCOUNT}", environment: dev, regions: [us-east-1] }\n  - { id: "${other}", environment: dev, regions: [us-east-1] }\n` +
      `deployment:\n  backend: { type: s3, bucket: tf-state-bucket, region: us-east-1${extra} }\n  bootstrap: {}\n`;
    fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), s3(', githubRoleName: bedrock-governance-github'));
    const output = path.join(repo, '..', 'github-output-s3');
    const summary = path.join(repo, '..', 'step-summary-s3.md');
    fs.writeFileSync(output, '');
    fs.writeFileSync(summary, '');
    const env = { MATRIX_FILE: 'landing-zone.yaml', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, CHECKPOINT_DISABLE: '1' };
    const deploy = workflow('deploy.yml');
    expect(
      runStep(
        step(deploy.jobs.waves, (s) => s.id === 'waves'),
        env,
      ).code,
    ).toBe(0);
    const out = fs.readFileSync(output, 'utf8');
    const waves = JSON.parse(/^waves=(.*)$/m.exec(out)![1]);
    const role = (a: string) => ({ account: a, role: `arn:aws:iam::${a}:role/bedrock-governance-github` });
    expect(waves).toEqual([{ wave: 'dev', stacks: [STACK, `bedrock-logging-${other}-us-east-1`], accounts: [role(ACCOUNT), role(other)] }]);
    // The bootstrap wave: the same accounts (each job assumes BOOTSTRAP_ROLE_ARN instead, aws-role-arn).
    expect(JSON.parse(/^bootstrap=(.*)$/m.exec(out)![1])[0].accounts).toEqual([role(ACCOUNT), role(other)]);

    // The deploy role of each account trusts that account's GitHub role.
    const wave = workflow('deploy-wave.yml');
    const synthStep = step(wave.jobs.plan, (s) => s.name === 'Synthesize');
    expect(runStep(synthStep, env).code).toBe(0);
    const boot = JSON.parse(fs.readFileSync(path.join(repo, 'cdktf.out', 'stacks', `bedrock-bootstrap-${other}`, 'cdk.tf.json'), 'utf8'));
    expect(JSON.stringify(boot)).toContain(`arn:aws:iam::${other}:role/bedrock-governance-github`);
    expect(JSON.stringify(boot)).not.toContain(`arn:aws:iam::${ACCOUNT}:role/bedrock-governance-github`);

    // The plan job of one account (its matrix entry: ACCOUNT) plans only that account's stacks.
    expect(wave.jobs.plan.env.ACCOUNT).toBe('${{ matrix.account }}');
    const jobEnv = { ...env, WAVE: 'dev', ACCOUNT: other };
    const saved = path.join(repo, 'saved-plans');
    fs.rmSync(saved, { recursive: true, force: true });
    const plan = runStep(`${step(wave.jobs.plan, (s) => s.id === 'plan')} --offline`, jobEnv);
    expect([plan.code, plan.err]).toEqual([0, '']);
    expect(fs.readdirSync(saved).filter((f) => f.startsWith('bedrock-'))).toEqual([`bedrock-logging-${other}-us-east-1`]);
    const applyStep = step(wave.jobs.apply, (s) => /--apply/.test(String(s.run ?? '')));
    const ok = runStep(`${applyStep} --dry-run`, jobEnv);
    expect([ok.code, ok.out]).toEqual([0, expect.stringContaining(`bedrock-logging-${other}-us-east-1`)]);
    expect(ok.out).not.toContain(STACK);
    // Another account's job given these plans (a wrong artifact): refused, nothing applied.
    const wrong = runStep(`${applyStep} --dry-run`, { ...jobEnv, ACCOUNT });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`Refused: ${STACK}: no saved plan`);

    // Without githubRoleName the pipeline has no role to assume: the waves job fails naming the key.
    fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), s3('').replace('  bootstrap: {}\n', ''));
    const missing = runStep(
      step(deploy.jobs.waves, (s) => s.id === 'waves'),
      env,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('deployment.backend.githubRoleName: missing -> expected an IAM role name');
    expect(missing.err).not.toMatch(/\n\s+at /);
  },
);

/** git in the generated repository (a test of its own history). */
function git(...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
  expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, expect.anything()]);
  return r.stdout.trim();
}
const commitMatrix = (text: string, message: string) => {
  fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), text);
  git('add', '-A');
  git('commit', '-qm', message, '--allow-empty');
  return git('rev-parse', 'HEAD');
};
const regions = (rs: string, extra = '') => `accounts:\n  - { id: "${ACCOUNT}", environment: dev, regions: [${rs}] }\n${extra}`;
const GONE = `bedrock-logging-${ACCOUNT}-eu-west-1`;

maybe(
  'after every deploy: the S3 state of stacks not in the matrix (whenever they left), from one cloud listing, with the decommission command',
  () => {
    if (!fs.existsSync(path.join(repo, '.git'))) git('init', '-q', '-b', 'main');
    fs.rmSync(path.join(repo, 'decommission.txt'), { force: true });
    const backend = 'deployment:\n  backend: { type: s3, bucket: tf-state-bucket, region: eu-central-1, githubRoleName: gh }\n';
    const had = commitMatrix(regions('us-east-1, eu-west-1', backend), 'two regions on S3');
    commitMatrix(regions('us-east-1', backend), 'eu-west-1 left long ago');
    commitMatrix(regions('us-east-1', backend + '  waves: [dev, staging, prod]\n'), 'a later push that removes nothing');

    // The cloud part, the AWS CLI, stands in: it records its arguments and prints what S3 would (tab-separated keys).
    // An exported bash function (bash runs it before any aws on the PATH, which a login profile may reorder).
    const argsFile = path.join(repo, '..', 'aws-args');
    const keys = [
      `bedrock-governance/${STACK}/terraform.tfstate`,
      `bedrock-governance/${GONE}/terraform.tfstate`,
      'bedrock-governance/notes.txt',
    ];
    const aws = `() { echo "$@" > ${JSON.stringify(argsFile)}; printf '${keys.join('\\t')}\\n'; }`;

    const summary = path.join(repo, '..', 'orphans-summary.md');
    const output = path.join(repo, '..', 'orphans-output');
    fs.writeFileSync(summary, '');
    fs.writeFileSync(output, '');
    const env = {
      MATRIX_FILE: 'landing-zone.yaml',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      'BASH_FUNC_aws%%': aws,
      // What configure-aws-credentials exports (BOOTSTRAP_ROLE_ARN); without it the step skips the listing with a notice.
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
    };
    const left = workflow('deploy.yml').jobs['left-the-matrix'];
    const how = runStep(
      step(left, (s) => s.id === 'existing'),
      env,
    );
    expect([how.code, how.err]).toEqual([0, '']);
    expect(how.out).toContain(
      "aws s3api list-objects-v2 --bucket 'tf-state-bucket' --region 'eu-central-1' --prefix 'bedrock-governance/'",
    );
    expect(fs.readFileSync(output, 'utf8')).toContain('aws=true');
    const r = runStep(
      step(left, (s) => s.name === 'Workspaces and state with no place in the matrix'),
      env,
    );
    expect([r.code, r.err]).toEqual([0, '']);
    expect(fs.readFileSync(argsFile, 'utf8').trim()).toBe(
      's3api list-objects-v2 --bucket tf-state-bucket --region eu-central-1 --prefix bedrock-governance/ --query Contents[].Key --output text',
    );
    const listed = fs.readFileSync(summary, 'utf8');
    expect(listed).toContain('### Workspaces and state with no place in the matrix');
    // The stack that left two pushes ago, with the commit whose matrix still has it: beyond the last push.
    expect(listed).toContain(
      `- state key \`bedrock-governance/${GONE}/terraform.tfstate\`: \`git show ${had.slice(0, 12)}:landing-zone.yaml > previous-matrix-${had.slice(0, 12)}.yaml && npx bedrock-governance decommission ${GONE} --previous-matrix previous-matrix-${had.slice(0, 12)}.yaml --dry-run\``,
    );
    expect(listed).not.toContain(`${STACK}/terraform.tfstate`); // in the matrix
    expect(listed).not.toContain('notes.txt'); // not a name the key template makes
    expect(listed).toMatch(/^1 state key of stacks that are not in the matrix/m);
    const noRole = runStep(
      step(left, (s) => s.name === 'Workspaces and state with no place in the matrix'),
      { ...env, AWS_ACCESS_KEY_ID: '' },
    );
    expect([noRole.code, noRole.out]).toEqual([0, expect.stringContaining('::notice::No BOOTSTRAP_ROLE_ARN')]);
  },
);

maybe(
  'decommission.txt: the stacks a pull request adds are checked, refused while in the matrix, and on merge become the decommission job matrix',
  () => {
    if (!fs.existsSync(path.join(repo, '.git'))) git('init', '-q', '-b', 'main');
    const had = commitMatrix(regions('us-east-1, eu-west-1'), 'two regions');
    const base = commitMatrix(regions('us-east-1'), 'eu-west-1 leaves');
    const env = { MATRIX_FILE: 'landing-zone.yaml' };
    const prCheck = step(workflow('pull-request.yml').jobs.check, (s) => /^Check decommission\.txt/.test(s.name ?? '')).replace(
      'origin/${{ github.base_ref }}',
      base,
    );
    const write = (t: string) => fs.writeFileSync(path.join(repo, 'decommission.txt'), t);

    // A stack still in the matrix, a stack never deployed, and a line that is no stack name: each named, and nothing passes.
    write(`# stacks to decommission\n${GONE}\n${STACK}\nbedrock-logging-${ACCOUNT}-ap-south-2\nplease remove eu-west-1\n`);
    const bad = runStep(prCheck, env);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(
      `Refused: decommission.txt line 3: ${STACK} is still in the matrix (landing-zone.yaml). Remove it from the matrix first`,
    );
    expect(bad.err).toContain(
      `decommission.txt line 4: bedrock-logging-${ACCOUNT}-ap-south-2 is in no earlier version of landing-zone.yaml`,
    );
    expect(bad.err).toContain('decommission.txt line 5: "please remove eu-west-1": one stack name a line');
    expect(bad.err).not.toMatch(/\n\s+at /);

    write(`# stacks to decommission\n${GONE}\n`);
    const ok = runStep(prCheck, env);
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(ok.out).toContain(`${GONE}: its configuration from ${had.slice(0, 12)}:landing-zone.yaml`);

    // Merged: the waves job gives the decommission job its matrix, the entries this push added.
    git('add', 'decommission.txt');
    git('commit', '-qm', 'decommission eu-west-1');
    const output = path.join(repo, '..', 'decommission-output');
    fs.writeFileSync(output, '');
    const waves = workflow('deploy.yml').jobs.waves;
    const added = step(waves, (s) => s.id === 'decommission');
    expect(runStep(added, { ...env, GITHUB_OUTPUT: output, BEFORE: base }).code).toBe(0);
    const jobs = JSON.parse(/^decommission=(.*)$/m.exec(fs.readFileSync(output, 'utf8'))![1]);
    expect(jobs).toEqual([{ stack: GONE, previous: had, account: '', role: '' }]);

    // The decommission job's step, with that entry: the stack's configuration from that commit (planned offline here, not applied).
    const job = workflow('deploy.yml').jobs.decommission;
    const run = step(job, (s) => /--auto-approve/.test(String(s.run ?? ''))).replace('--auto-approve', '--dry-run --offline');
    const d = runStep(run, { ...env, STACK: GONE, PREVIOUS: had });
    expect([d.code, d.err]).toEqual([0, '']);
    expect(d.out).toContain(`Decommissioning ${GONE}`);
    expect(d.out).toContain('Dry run: nothing changed.');

    // The next push adds nothing: no decommission job; a run without a commit before it neither.
    fs.writeFileSync(output, '');
    expect(runStep(added, { ...env, GITHUB_OUTPUT: output, BEFORE: git('rev-parse', 'HEAD') }).code).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toContain('decommission=[]');
    fs.writeFileSync(output, '');
    expect(runStep(added, { ...env, GITHUB_OUTPUT: output, BEFORE: '' }).code).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toContain('decommission=[]');
  },
);

maybe(
  'pull request: the offline review first, then the plan summaries of the changed stacks as the second section of the sticky comment',
  async () => {
    fs.writeFileSync(path.join(repo, 'landing-zone.yaml'), matrix(''));
    const runner = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-runner-'));
    // The base of a landing zone's first pull request: an empty synth output, as the check job writes it.
    fs.mkdirSync(path.join(runner, 'base', 'cdktf.out', 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(runner, 'base', 'cdktf.out', 'manifest.json'), '{"version":"none","stacks":{}}');
    const output = path.join(runner, 'github-output');
    const summary = path.join(runner, 'step-summary.md');
    fs.writeFileSync(output, '');
    const env = {
      MATRIX_FILE: 'landing-zone.yaml',
      RUNNER_TEMP: runner,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      CHECKPOINT_DISABLE: '1',
      TF_PLUGIN_CACHE_DIR: path.join(runner, 'plugins'),
      DIFF_SHARDS: workflow('pull-request.yml').env.DIFF_SHARDS,
    };
    const pr = workflow('pull-request.yml');
    const check = pr.jobs.check;
    for (const pick of [
      (s: Job['steps'][number]) => !!s.name?.startsWith('Synthesize this branch'),
      (s: Job['steps'][number]) => s.id === 'review',
      (s: Job['steps'][number]) => s.id === 'changed',
    ]) {
      const r = runStep(step(check, pick), env);
      expect([r.code, r.code ? r.err + r.out : '']).toEqual([0, '']);
    }
    const shards = JSON.parse(/^shards=(.*)$/m.exec(fs.readFileSync(output, 'utf8'))![1]);
    expect(shards).toEqual([{ shard: 1, stacks: STACK, role: '' }]);

    // The diff job of that shard, with credentials (here: offline plans, dummy credentials).
    const diff = pr.jobs.diff;
    const creds = runStep(
      step(diff, (s) => s.id === 'creds'),
      { ...env, TF_TOKEN_app_terraform_io: 'x', ROLE: '' },
    );
    expect(creds.code).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toContain('plan=true');
    const planned = runStep(`${step(diff, (s) => /plan-summary/.test(String(s.run ?? ''))).trimEnd()} --offline`, {
      ...env,
      STACKS: shards[0].stacks,
    });
    expect([planned.code, planned.err]).toEqual([0, '']);
    const s = JSON.parse(fs.readFileSync(path.join(repo, 'plan-summaries', `${STACK}.json`), 'utf8'));
    expect(s).toMatchObject({ stack: STACK, changes: 0, destroys: 0, replaced: [] });
    expect(s.adds).toBeGreaterThan(10);
    expect(fs.readdirSync(path.join(repo, 'plan-summaries'))).toEqual([`${STACK}.json`]); // summaries only: no plan is kept

    // Without a token or a role: a notice, and the plan steps are skipped (their if).
    fs.writeFileSync(output, '');
    const none = runStep(
      step(diff, (s) => s.id === 'creds'),
      { ...env, TF_TOKEN_app_terraform_io: '', ROLE: '' },
    );
    expect([none.code, fs.readFileSync(output, 'utf8')]).toEqual([0, '']);
    expect(none.out).toContain('::notice::No TF_API_TOKEN and no account role');

    // The comment job: the generated repository's own script, with the review and the downloaded summaries.
    const { postReview, PLANS_TITLE } = require(path.join(repo, '.github', 'scripts', 'review-comment.js'));
    const posted: string[] = [];
    const github = {
      paginate: async () => [],
      rest: { issues: { createComment: async ({ body }: { body: string }) => posted.push(body), updateComment: async () => undefined } },
    };
    const context = {
      serverUrl: 'https://github.com',
      repo: { owner: 'acme', repo: 'lz' },
      runId: 1,
      payload: { pull_request: { number: 3 } },
    };
    const script = pr.jobs.comment.steps.find((x: Job['steps'][number]) => String(x.uses).startsWith('actions/github-script@')).with
      .script as string;
    const options = /postReview\(\{ github, context, core \}, (\{.*\})\);/.exec(script)![1];
    const cwd = process.cwd();
    process.chdir(repo); // the job's paths are relative to the checkout
    try {
      await postReview({ github, context, core: { info: () => undefined } }, new Function(`return ${options}`)());
    } finally {
      process.chdir(cwd);
    }
    expect(posted).toHaveLength(1);
    const review = fs.readFileSync(path.join(repo, 'review-out', 'review.md'), 'utf8');
    expect(posted[0]).toContain(review.trim());
    expect(posted[0].indexOf(review.trim())).toBeLessThan(posted[0].indexOf(PLANS_TITLE));
    expect(posted[0]).toContain(`| \`${STACK}\` | ${s.adds} | 0 | 0 | 0 |`);
    fs.rmSync(runner, { recursive: true, force: true });
  },
);
