/**
 * The GitHub workflows: valid against the GitHub Actions workflow schema
 * (SchemaStore's github-workflow.json, compiled into @action-validator/core), run
 * what exists, take the landing zone's matrix from MATRIX_FILE, deploy the waves
 * of the matrix one at a time, and review pull requests at 400-stack scale.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { NOT_YET_PINNED, unpinned } from './pinned-actions';
import type { Job, Step, Workflow } from '../github-workflow';

const ROOT = path.join(__dirname, '..', '..');
const DIR = path.join(ROOT, '.github', 'workflows');
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
const text = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
const load = (name: string): Workflow => {
  const doc = YAML.parseDocument(text(name), { uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  return doc.toJS();
};
const FILES = fs.existsSync(DIR)
  ? fs
      .readdirSync(DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
  : [];
// A job that calls a reusable workflow (deploy.yml's deploy) has no steps of its own.
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const runLines = (wf: Workflow): string[] => steps(wf).flatMap((s) => (s.run ? String(s.run).split('\n') : []));

test('the workflows are there (a test over no workflows would pass vacuously)', () => {
  expect(FILES).toEqual(['deploy-wave.yml', 'deploy.yml', 'pull-request.yml']);
});

test('the schema validator rejects a broken workflow (so a pass below means something)', () => {
  const broken = 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n';
  expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  const stepsNotAList = 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: { run: echo }\n';
  expect(validateWorkflow(stepsNotAList).errors.length).toBeGreaterThan(0);
});

// The first major of each action that runs on Node 24 (Node 20 is past its end of life).
const NODE24_MAJORS: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/cache': 5,
  'actions/github-script': 8,
  'hashicorp/setup-terraform': 4,
  'aws-actions/configure-aws-credentials': 6,
};

/** The version of `uses:`: the ref, or for a ref pinned to a commit SHA the version in its comment. */
const versionOf = (step: Step, raw: string): string => {
  const ref = String(step.uses).split('@')[1];
  if (!/^[0-9a-f]{40}$/.test(ref)) return ref;
  const m = new RegExp(`uses: ${String(step.uses).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # (v[\\d.]+)`).exec(raw);
  expect([step.uses, m?.[1]]).toEqual([step.uses, expect.stringMatching(/^v\d/)]);
  return m![1];
};

describe.each(FILES)('%s', (name) => {
  const wf = load(name);

  test('is valid against the GitHub Actions workflow schema', () => {
    expect(validateWorkflow(text(name)).errors).toEqual([]);
  });

  test('every npm script it runs exists', () => {
    const used = runLines(wf).flatMap((l) => [...l.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(scripts).toContain(s);
  });

  test('every project file it names exists', () => {
    const files = runLines(wf).flatMap((l) =>
      [...l.matchAll(/(?:^|\s|\.\/)((?:\.ci|\.github|tools|examples)\/[\w./-]+)/g)].map((m) => m[1]),
    );
    const scriptFiles = steps(wf).flatMap((s) => [...String(s.with?.script ?? '').matchAll(/require\('\.\/([^']+)'\)/g)].map((m) => m[1]));
    expect(files.length + scriptFiles.length).toBeGreaterThan(0);
    for (const f of [...files, ...scriptFiles]) expect(fs.existsSync(path.join(ROOT, f))).toBe(true);
  });

  test('takes the matrix from MATRIX_FILE (repository variable, else landing-zone.yaml) and checks it exists before using it', () => {
    expect(wf.env!.MATRIX_FILE).toBe("${{ vars.MATRIX_FILE || 'landing-zone.yaml' }}");
    const checks = (job: Job) => job.steps!.findIndex((s) => String(s.run ?? '').includes('.github/scripts/check-matrix-file.sh'));
    let using = 0;
    for (const job of Object.values(wf.jobs).filter((j) => j.steps)) {
      const uses = job.steps!.findIndex((s) =>
        /npm run (--silent )?(synth|waves|deploy:wave|review|changed-stacks)\b/.test(String(s.run ?? '')),
      );
      if (uses < 0) continue;
      using++;
      // Checked in this job before the first use, or in a job this one needs (which then failed the run).
      const needs = [job.needs ?? []].flat().map((n: string) => wf.jobs[n]);
      if (needs.some((n) => checks(n) >= 0)) continue;
      expect(checks(job)).toBeGreaterThanOrEqual(0);
      expect(checks(job)).toBeLessThan(uses);
    }
    expect(using).toBeGreaterThan(0);
  });

  test('uses Node 22 or 24 and action versions that run on Node 24', () => {
    const nodes = steps(wf).filter((s) => String(s.uses ?? '').startsWith('actions/setup-node'));
    expect(nodes.length).toBeGreaterThan(0);
    for (const s of nodes) expect([22, 24]).toContain(Number(s.with!['node-version']));
    for (const s of steps(wf).filter((x) => x.uses)) {
      const action = String(s.uses).split('@')[0];
      const version = versionOf(s, text(name));
      expect(Object.keys(NODE24_MAJORS)).toContain(action);
      expect(Number(version.replace(/^v/, '').split('.')[0])).toBeGreaterThanOrEqual(NODE24_MAJORS[action]);
    }
  });
});

describe('pull-request.yml', () => {
  const wf = load('pull-request.yml');
  const { test: testJob, synth, comment, diff } = wf.jobs;
  const runOf = (job: Job, text: string) => job.steps!.find((s) => String(s.run ?? '').includes(text));

  test('tests, and cancels the run a new push to the same pull request supersedes', () => {
    expect(runOf(testJob, 'npm test')).toBeTruthy();
    expect(wf.concurrency).toEqual({ group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('synthesizes each side once, reviews, uploads the review, and shards the changed stacks', () => {
    const runs = synth.steps!.map((s) => String(s.run ?? s.uses));
    const at = (t: string) => runs.findIndex((r: string) => r.includes(t));
    expect(runs.filter((r: string) => r.includes('npm run synth'))).toHaveLength(2); // this branch, and the base in its worktree
    expect(at('npm run synth')).toBeLessThan(at('npm run --silent review'));
    expect(runOf(synth, 'npm run --silent review')).toMatchObject({ id: 'review' });
    expect(synth.steps!.find((s) => s.with?.name === 'plan-review')).toMatchObject({
      uses: expect.stringMatching(/^actions\/upload-artifact@/),
      with: { path: 'review-out/' },
    });
    expect(runOf(synth, 'changed-stacks')!.run).toContain('--shards "$DIFF_SHARDS"');
    expect(synth.outputs!.shards).toBe('${{ steps.changed.outputs.shards }}');
    // A dangerous change still fails the check, after the review was uploaded.
    expect(synth.steps!.at(-1)).toMatchObject({ if: "steps.review.outputs.code != '0'" });
  });

  test('tells a dangerous change (exit 3) from a review that failed to run, and fails the check on both', () => {
    const gate = synth.steps!.at(-1);
    expect(gate!.env).toEqual({ CODE: '${{ steps.review.outputs.code }}' });
    expect(gate!.run).toContain('if [ "$CODE" = 3 ]; then');
    expect(gate!.run).toMatch(/did not complete \(exit \$CODE\)/);
    expect(gate!.run!.trim().split('\n').at(-1)).toBe('exit 1');
  });

  test('posts the review as one sticky comment, with only that job allowed to write to pull requests', () => {
    expect(comment.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    // After the plans, whatever became of them: the offline review is posted even when they fail or are skipped.
    expect(comment.needs).toEqual(['synth', 'diff']);
    expect(comment.if).toBe("${{ !cancelled() && needs.synth.outputs.fork == 'false' }}");
    const post = comment.steps.find((s) => String(s.uses).startsWith('actions/github-script@'))!;
    expect(post.with.script).toContain("require('./.github/scripts/review-comment.js')");
    expect(post.with.script).toContain("plans: 'plan-summaries'");
    const summaries = comment.steps.find((s) => s.with?.pattern === 'plan-summaries-*')!;
    expect(summaries).toMatchObject({ 'continue-on-error': true, with: { 'merge-multiple': true, path: 'plan-summaries' } });
    // Only the comment job writes to pull requests; only the diff job may ask GitHub for an OIDC token (S3 backend).
    for (const [name, job] of Object.entries(wf.jobs))
      if (name === 'diff') expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      else if (name !== 'comment') expect(job.permissions).toBeUndefined();
  });

  test('diffs the changed stacks in a job matrix over the shards, without synthesizing again, with a plugin cache', () => {
    expect(diff.strategy.matrix.include).toBe('${{ fromJSON(needs.synth.outputs.shards) }}');
    expect(diff.env.TF_PLUGIN_CACHE_DIR).toBeTruthy();
    expect(diff.env.TF_TOKEN_app_terraform_io).toBe('${{ secrets.TF_API_TOKEN }}');
    const run = runOf(diff, 'plan-summary')!.run;
    expect(run).toContain('npm run plan-summary -- $STACKS --out plan-summaries');
    expect(runOf(diff, 'npm run synth')).toBeUndefined();
    // Only where credentials exist: a Terraform Cloud token, or the shard's account role (S3 backend).
    const creds = diff.steps.find((s) => s.id === 'creds')!;
    expect(creds.run).toContain('if [ -n "$TF_TOKEN_app_terraform_io" ] || [ -n "$ROLE" ]; then');
    for (const s of diff.steps.filter((x) => /plan-summary|upload-artifact/.test(String(x.run ?? x.uses))))
      expect(s.if).toBe("steps.creds.outputs.plan == 'true'");
    expect(diff.steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'))).toMatchObject({
      if: "matrix.role != ''",
      with: { 'role-to-assume': '${{ matrix.role }}' },
    });
    expect(diff.steps.find((s) => s.with?.name === 'cdktf-out')).toBeTruthy();
  });

  test('fork pull requests skip the comment and the diffs with a notice, instead of failing on a missing token', () => {
    const fork = synth.steps!.find((s) => s.id === 'fork');
    expect(fork!.env!.HEAD_REPO).toBe('${{ github.event.pull_request.head.repo.full_name }}');
    expect(fork!.run).toContain('::notice title=Fork pull request::');
    expect(comment.if).toContain("needs.synth.outputs.fork == 'false'");
    expect(diff.if).toContain("needs.synth.outputs.fork == 'false'");
  });
});

describe('deploy.yml', () => {
  const wf = load('deploy.yml');

  test('the job matrix is the output of npm run waves -- --json, one wave at a time, in order, stopping at a failure', () => {
    expect(Object.keys(wf.jobs)).toEqual(['waves', 'decommission', 'bootstrap', 'workspaces', 'deploy', 'left-the-matrix']);
    const { waves, deploy } = wf.jobs;
    expect(waves.steps!.find((s) => s.id === 'waves')!.run).toContain('npm run --silent waves -- --json --exclude bootstrap');
    expect(deploy.needs).toEqual(['waves', 'workspaces']);
    expect(deploy.strategy).toEqual({
      'max-parallel': 1,
      'fail-fast': true,
      matrix: { include: '${{ fromJSON(needs.waves.outputs.waves) }}' },
    });
    expect(deploy).toMatchObject({ uses: './.github/workflows/deploy-wave.yml', with: { wave: '${{ matrix.wave }}' }, secrets: 'inherit' });
  });

  test("each wave is a plan job and an apply job behind the wave's environment: the apply job applies the saved plans and nothing else", () => {
    const w = load('deploy-wave.yml');
    expect(Object.keys(w.on!)).toEqual(['workflow_call']);
    expect(Object.keys(w.jobs)).toEqual(['plan', 'apply']);
    const { plan, apply } = w.jobs;
    expect(plan.environment).toBeUndefined();
    expect(apply).toMatchObject({ needs: 'plan', environment: '${{ inputs.wave }}' });
    const runsOf = (job: Job) => job.steps!.map((s) => String(s.run ?? '')).join('\n');
    expect(runsOf(plan)).toContain('npm run deploy:wave -- "$WAVE" --plan-out saved-plans');
    expect(runsOf(plan)).not.toMatch(/--apply|--auto-approve|cdktf deploy/);
    expect(runsOf(apply)).toContain('npm run deploy:wave -- "$WAVE" --apply saved-plans');
    expect(runsOf(apply)).not.toMatch(/--plan-out|--auto-approve|cdktf deploy/);
    const up = plan.steps!.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    const down = apply.steps!.find((s) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(down!.with!.name).toBe(up!.with!.name);
    expect([up!.with!.path, down!.with!.path]).toEqual(['saved-plans/', 'saved-plans/']);
    expect(w.env!.WAVE).toBe('${{ inputs.wave }}');
    expect(w.env!.TF_TOKEN_app_terraform_io).toBe('${{ secrets.TF_API_TOKEN }}');
  });

  test('bootstrap first (administrator role through GitHub OIDC, applied in the bootstrap environment), then the workspaces, then the waves', () => {
    const { waves, bootstrap, workspaces, deploy } = wf.jobs;
    expect(waves.steps!.find((s) => s.id === 'waves')!.run).toContain('npm run --silent waves -- --json --only bootstrap');
    expect(bootstrap).toMatchObject({
      needs: ['waves', 'decommission'],
      uses: './.github/workflows/deploy-wave.yml',
      with: { wave: 'bootstrap', 'aws-role-arn': '${{ vars.BOOTSTRAP_ROLE_ARN }}' },
      permissions: { contents: 'read', 'id-token': 'write' },
    });
    expect(workspaces.needs).toEqual(['waves', 'bootstrap']);
    expect(workspaces.steps!.at(-1)!.run).toContain('npm run tfc-workspaces');
    // A skipped bootstrap (no bootstrap stacks) lets the rest run; a failed one stops it.
    for (const j of [workspaces, deploy]) expect(j.if).toContain('!failure() && !cancelled()');
    const w = load('deploy-wave.yml');
    const oidc = (job: Job) => job.steps!.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    for (const job of [w.jobs.plan, w.jobs.apply])
      expect(oidc(job)).toMatchObject({
        if: "inputs.aws-role-arn != '' || matrix.role != ''",
        with: { 'role-to-assume': '${{ inputs.aws-role-arn || matrix.role }}' },
      });
  });

  test("each wave's jobs are the accounts of waves --json: one job for all, or with an S3 backend one per account with its own role", () => {
    const w = load('deploy-wave.yml');
    expect(
      JSON.parse((w.on as { workflow_call: { inputs: { accounts: { default: string } } } }).workflow_call.inputs.accounts.default),
    ).toEqual([{ account: '', role: '' }]);
    for (const job of [w.jobs.plan, w.jobs.apply]) {
      expect(job.strategy.matrix.include).toBe('${{ fromJSON(inputs.accounts) }}');
      expect(job.env.ACCOUNT).toBe('${{ matrix.account }}');
      expect(job.steps.map((s) => String(s.run ?? '')).join('\n')).toContain('${ACCOUNT:+--account "$ACCOUNT"}');
    }
    // One artifact per account, and the apply job of an account takes its own.
    const up = w.jobs.plan.steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'))!;
    expect(up.with.name).toBe("saved-plans-${{ inputs.wave }}-${{ matrix.account || 'all' }}");
    const { bootstrap, deploy } = wf.jobs;
    expect(deploy.with.accounts).toBe('${{ toJSON(matrix.accounts) }}');
    expect(bootstrap.with.accounts).toBe('${{ toJSON(fromJSON(needs.waves.outputs.bootstrap)[0].accounts) }}');
  });

  test('after every deploy (failed or not), the stacks the push removed from the matrix are listed with decommission --left; nothing is destroyed', () => {
    const left = wf.jobs['left-the-matrix'];
    expect(left).toMatchObject({ needs: 'deploy', if: '${{ !cancelled() }}' });
    const named = (n: string) => left.steps.find((s) => s.name === n)!;
    expect(named('Stacks that left the matrix').run).toContain('npm run decommission -- --left --previous-matrix previous-matrix.yaml');
    expect(named('Stacks that left the matrix').env.BEFORE).toBe('${{ github.event.before }}');
    // Whenever they left: the workspaces or state keys of stacks not in the matrix, the cloud listing one command.
    const orphans = named('Workspaces and state with no place in the matrix').run;
    expect(orphans).toContain('bash -eo pipefail list-existing.sh > existing.txt');
    expect(orphans).toContain('npm run decommission -- --orphans existing.txt');
    expect(left.steps.findIndex((s) => s.id === 'existing')).toBeLessThan(
      left.steps.indexOf(named('Workspaces and state with no place in the matrix')),
    );
    // The only decommission that applies is the optional job, behind its own environment and a repository variable.
    const applying = Object.entries(wf.jobs).filter(([, j]) =>
      (j.steps ?? []).some((s) => /decommission .*--auto-approve/.test(String(s.run ?? ''))),
    );
    expect(applying.map(([n]) => n)).toEqual(['decommission']);
  });

  test('the optional decommission job: the stacks this push added to decommission.txt, one at a time, each behind the decommission environment', () => {
    const { waves, decommission } = wf.jobs;
    const added = waves.steps.find((s) => s.id === 'decommission')!;
    expect(added.run).toContain('npm run --silent decommission -- --file decommission.txt --since "$BEFORE" --json');
    expect(waves.outputs.decommission).toBe('${{ steps.decommission.outputs.decommission }}');
    expect(decommission).toMatchObject({
      needs: 'waves',
      environment: 'decommission',
      strategy: { 'max-parallel': 1, matrix: { include: '${{ fromJSON(needs.waves.outputs.decommission) }}' } },
    });
    expect(decommission.if).toContain("vars.DECOMMISSION_JOB == 'true'");
    expect(decommission.steps.at(-1)!.run).toContain('git show "$PREVIOUS:$MATRIX_FILE" > previous-matrix.yaml');
    expect(decommission.steps.at(-1)!.run).toContain(
      'npm run decommission -- "$STACK" --previous-matrix previous-matrix.yaml --auto-approve',
    );
    const pr = load('pull-request.yml');
    const check = steps(pr).find((s) => /^Check decommission\.txt/.test(s.name ?? ''));
    expect(check).toMatchObject({ if: "hashFiles('decommission.txt') != ''" });
    expect(check!.run).toContain('--file decommission.txt --since "origin/${{ github.base_ref }}"');
  });

  test('the decommission job runs before the bootstrap wave and every wave (the same push narrows the deploy role and the SCP); bootstrap runs after it or when it is skipped, never after a failed one', () => {
    const needs = (j: string): string[] => [wf.jobs[j].needs ?? []].flat();
    const ancestors = (j: string): string[] => needs(j).flatMap((n) => [n, ...ancestors(n)]);
    expect(needs('decommission')).toEqual(['waves']);
    for (const j of ['bootstrap', 'workspaces', 'deploy', 'left-the-matrix'])
      expect([j, ancestors(j)]).toEqual([j, expect.arrayContaining(['decommission'])]);
    // The bootstrap job's condition, evaluated for each outcome of the decommission job (GitHub: success, failure, cancelled, skipped).
    const cond = /^\$\{\{(.*)\}\}$/s.exec(String(wf.jobs.bootstrap.if))![1];
    const evaluate = (decommission: string, bootstrapWave = '[{"wave":"bootstrap"}]', cancelled = false): boolean => {
      const js = cond
        .replace(/\bcancelled\(\)/g, String(cancelled))
        .replace(/\bneeds\.waves\.result\b/g, "'success'")
        .replace(/\bneeds\.decommission\.result\b/g, `'${decommission}'`)
        .replace(/\bneeds\.waves\.outputs\.bootstrap\b/g, `'${bootstrapWave}'`)
        .replace(/!=/g, '!==')
        .replace(/([^!=])==/g, '$1===');
      expect(js).toMatch(/^[\s()!&|'"=\w[\]{}:,]*$/); // nothing left but literals and operators
      return Function(`return (${js});`)() as boolean;
    };
    expect(['success', 'skipped', 'failure', 'cancelled'].map((r) => evaluate(r))).toEqual([true, true, false, false]);
    expect(evaluate('skipped', '[]')).toBe(false); // no bootstrap stacks
    expect(evaluate('success', undefined, true)).toBe(false); // the run was cancelled
  });

  test('never runs concurrently with itself and never cancels a deploy in progress', () => {
    expect(wf.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });
});

describe('the sticky review comment (.github/scripts/review-comment.js)', () => {
  const { postReview, commentBody, readPlans, MARKER, PLANS_TITLE } = require('../../.github/scripts/review-comment.js');
  const os = require('os');

  function fakeGitHub() {
    const comments: { id: number; body: string }[] = [{ id: 1, body: 'LGTM' }];
    const calls: string[] = [];
    const github = {
      paginate: async <P, R>(fn: (params: P) => R, params: P) => fn(params),
      rest: {
        issues: {
          listComments: (_: unknown) => comments.map((c) => ({ ...c })),
          createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
            calls.push(`create #${issue_number}`);
            comments.push({ id: comments.length + 1, body });
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            calls.push(`update ${comment_id}`);
            comments.find((c) => c.id === comment_id)!.body = body;
          },
        },
      },
    };
    const context = {
      serverUrl: 'https://github.com',
      repo: { owner: 'acme', repo: 'lz' },
      runId: 42,
      payload: { pull_request: { number: 7 } },
    };
    return { github, context, core: { info: () => undefined }, comments, calls };
  }

  test('the first run creates the comment, later runs update the same one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-comment-'));
    const file = path.join(dir, 'review.md');
    const gh = fakeGitHub();
    fs.writeFileSync(file, '# Plan review\nno dangerous change\n');
    await postReview(gh, { file });
    fs.writeFileSync(file, '# Plan review\n1 dangerous change\n');
    await postReview(gh, { file });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(gh.calls).toEqual(['create #7', 'update 2']);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1].body.startsWith(MARKER)).toBe(true);
    expect(gh.comments[1].body).toContain('1 dangerous change');
    expect(gh.comments[1].body).toContain('[this run](https://github.com/acme/lz/actions/runs/42)');
  });

  test('a review too long for a comment is cut at a line, says so, and points to the artifact', () => {
    const review = Array.from({ length: 5000 }, (_, i) => `| bedrock-logging-${i} | update in place |`).join('\n');
    const body = commentBody(review, { runUrl: 'https://github.com/acme/lz/actions/runs/42', artifact: 'plan-review' });
    expect(review.length).toBeGreaterThan(65536);
    expect(body.length).toBeLessThanOrEqual(60000);
    expect(body).toContain('**Truncated:**');
    expect(body).toContain('the `plan-review` artifact of [this run](https://github.com/acme/lz/actions/runs/42)');
    const kept = body.split('\n').filter((l: string) => l.startsWith('| bedrock-logging-'));
    expect(kept.at(-1)).toMatch(/^\| bedrock-logging-\d+ \| update in place \|$/);
    expect(commentBody('short', { runUrl: 'u', artifact: 'a' })).not.toContain('Truncated');
  });

  const plan = (i: number, replaced: string[] = []) => ({
    stack: `bedrock-logging-${String(i).padStart(12, '0')}-us-east-1`,
    adds: i,
    changes: 1,
    destroys: replaced.length,
    forgets: 0,
    replaced,
    destroyed: [],
  });

  test('the plans of the changed stacks are a second section after the whole review, one row per stack, replacements named', () => {
    const body = commentBody('# Plan review\nno dangerous change', {
      runUrl: 'u',
      artifact: 'plan-review',
      plans: [plan(2), plan(1, ['aws_bedrock_inference_profile.p'])],
    });
    expect(body.indexOf('no dangerous change')).toBeLessThan(body.indexOf(PLANS_TITLE));
    expect(body).toContain(
      '| `bedrock-logging-000000000001-us-east-1` | 1 | 1 | 1 | 0 |\n| `bedrock-logging-000000000002-us-east-1` | 2 | 1 | 0 | 0 |',
    );
    expect(body).toContain('**bedrock-logging-000000000001-us-east-1** replaces (new IDs and ARNs): `aws_bedrock_inference_profile.p`');
    expect(body.trimEnd().endsWith('(review.md, review.json).')).toBe(true);
    // No plans (no credentials): the review alone, no empty section.
    expect(commentBody('# Plan review', { runUrl: 'u', artifact: 'a', plans: [] })).not.toContain(PLANS_TITLE);
  });

  test('within the size limit: the review is never cut for the plans; the plans are cut at a stack and say how many are left', () => {
    const plans = Array.from({ length: 3000 }, (_, i) => plan(i));
    const review = `# Plan review\n${'x'.repeat(20000)}`;
    const body = commentBody(review, { runUrl: 'u', artifact: 'plan-review', plans });
    expect(body.length).toBeLessThanOrEqual(60000);
    expect(body).toContain(review);
    const rows = body.split('\n').filter((l: string) => l.startsWith('| `bedrock-logging-'));
    expect(rows.length).toBeGreaterThan(100);
    expect(body).toContain(`**Cut:** ${3000 - rows.length} more stacks planned`);
    // A review that fills the comment leaves no room: it is cut as before, and the plans are left out.
    const huge = commentBody('y\n'.repeat(40000), { runUrl: 'u', artifact: 'plan-review', plans });
    expect(huge.length).toBeLessThanOrEqual(60000);
    expect(huge).toContain('**Truncated:**');
    expect(huge).not.toContain('| `bedrock-logging-');
  });

  test('a stack Terraform could not plan is a row of its own, with why, and not a failure of the comment', () => {
    const failed = { stack: 'bedrock-logging-444444444444-us-east-1', failed: 'terraform plan failed in cdktf.out/stacks/x' };
    const body = commentBody('# Plan review\n', { runUrl: 'u', artifact: 'plan-review', plans: [plan(1), failed] });
    expect(body).toContain('| `bedrock-logging-444444444444-us-east-1` | not planned | | | |');
    expect(body).toContain('**bedrock-logging-444444444444-us-east-1** was not planned: terraform plan failed in cdktf.out/stacks/x.');
    expect(body).toContain(`| \`${plan(1).stack}\` | 1 | 1 | 0 | 0 |`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-comment-'));
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(failed));
    expect(readPlans(dir)).toEqual([failed]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('postReview reads the plan summaries plan-summary wrote, when there are any', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-comment-'));
    fs.writeFileSync(path.join(dir, 'review.md'), '# Plan review\n');
    fs.mkdirSync(path.join(dir, 'plans'));
    fs.writeFileSync(path.join(dir, 'plans', `${plan(7).stack}.json`), JSON.stringify(plan(7)));
    fs.writeFileSync(path.join(dir, 'plans', 'not-a-summary.json'), '{"hello": 1}');
    const gh = fakeGitHub();
    await postReview(gh, { file: path.join(dir, 'review.md'), plans: path.join(dir, 'plans') });
    await postReview(gh, { file: path.join(dir, 'review.md'), plans: path.join(dir, 'missing') });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(gh.calls).toEqual(['create #7', 'update 2']);
    expect(gh.comments[1].body).not.toContain(PLANS_TITLE); // the second run had none: the section is gone
    expect(readPlans(undefined)).toEqual([]);
  });
});

test("a base branch without the matrix file is an empty synth output the review and the IaC rule report accept (a landing zone's first pull request)", () => {
  const os = require('os') as typeof import('os');
  const { compareTrees } = require('../../review/review');
  const step = steps(load('pull-request.yml')).find((s) => /Synthesize the base branch/.test(s.name ?? ''));
  const manifest = /echo '(\{[^']*\})' > cdktf\.out\/manifest\.json/.exec(String(step!.run));
  expect(manifest).not.toBeNull();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-base-'));
  try {
    fs.mkdirSync(path.join(base, 'stacks'));
    fs.writeFileSync(path.join(base, 'manifest.json'), manifest![1]);
    expect(compareTrees(base, base)).toEqual([]);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('every third-party action is pinned to a full commit SHA with its version in a comment (but the listed exemptions, each still in use)', () => {
  const all = FILES.flatMap((f) => unpinned(text(f)));
  expect([...new Set(all.filter((u) => !NOT_YET_PINNED.includes(u)))]).toEqual([]);
  for (const e of NOT_YET_PINNED) expect(all).toContain(e);
  expect(
    unpinned(
      '      - uses: actions/checkout@v6\n      - uses: actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3\n      - uses: ./.github/workflows/x.yml\n',
    ),
  ).toEqual(['actions/checkout@v6', 'actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3']);
});
