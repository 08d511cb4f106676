/** The rollout tools (waves, deploy:wave, changed-stacks) and the --help of every tool, run as users run them (compiled by `npm test` first). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, runDist as run, scratchPerTest } from '../run-dist';

const scratch = scratchPerTest('bedrock-tools-');

describe('waves and deploy:wave', () => {
  test('npm run waves lists the waves in order', () => {
    const r = run('tools/rollout/waves.js', ['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((w: { wave: string }) => w.wave)).toEqual(['dev', 'prod', 'management']);
  });

  test('a known wave with no stacks is a no-op; an unknown one is a usage error naming the nearest wave', () => {
    const m = { MATRIX_FILE: path.join(ROOT, 'examples', 'terraform-cloud.yaml') };
    const staging = run('tools/rollout/deploy-wave.js', ['staging'], m);
    expect(staging.code).toBe(0);
    expect(staging.out).toContain('nothing to deploy');
    const typo = run('tools/rollout/deploy-wave.js', ['stagign'], m);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('unknown wave "stagign" (nearest: "staging")');
  });

  test('the printed deploy command of each wave is a script or command that exists where waves ran', () => {
    const m = path.join(ROOT, 'examples', 'terraform-cloud.yaml');
    // The checkout: this package.json's script deploy:wave.
    const checkout = run('tools/rollout/waves.js', [], { MATRIX_FILE: m });
    expect(checkout.code).toBe(0);
    expect(checkout.out).toContain('. dev: npm run deploy:wave -- dev\n');
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    for (const [, script] of checkout.out.matchAll(/: npm run (\S+) -- /g)) expect(Object.keys(scripts)).toContain(script);
    // Under the one CLI (a landing-zone repository: `npx bedrock-governance waves` or its npm script): the CLI's deploy-wave.
    const installed = run('cli.js', ['waves', '--matrix', m]);
    expect(installed.code).toBe(0);
    expect(installed.out).toContain(`. dev: npx bedrock-governance deploy-wave dev --matrix ${m}\n`);
    expect(installed.out).not.toContain('deploy:wave');
    const commands = Object.keys(require('../../cli').COMMANDS);
    for (const [, command] of installed.out.matchAll(/: npx bedrock-governance (\S+) /g)) expect(commands).toContain(command);
  });

  test('--json is one line for the workflow job matrix: management last, bootstrap left out on request', () => {
    const m = { MATRIX_FILE: path.join(ROOT, 'examples', 'terraform-cloud.yaml') };
    const r = run('tools/rollout/waves.js', ['--json', '--exclude', 'bootstrap'], m);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const waves = JSON.parse(r.out);
    expect(waves.map((w: { wave: string }) => w.wave)).toEqual(['dev', 'prod', 'management']);
    expect(waves.at(-1).stacks).toEqual(['bedrock-management-999999999999']);
    expect(run('tools/rollout/waves.js', ['--exclude', 'bootstrp'], m).code).toBe(2);
    // --only: the deploy workflow's bootstrap job, before the other waves ([] when the matrix has no bootstrap stacks).
    expect(
      JSON.parse(run('tools/rollout/waves.js', ['--json', '--only', 'prod,management'], m).out).map((w: { wave: string }) => w.wave),
    ).toEqual(['prod', 'management']);
    expect(JSON.parse(run('tools/rollout/waves.js', ['--json', '--only', 'bootstrap'], m).out)).toEqual([
      {
        wave: 'bootstrap',
        stacks: ['bedrock-bootstrap-111111111111', 'bedrock-bootstrap-222222222222', 'bedrock-bootstrap-999999999999'],
        accounts: [{ account: '', role: '' }], // Terraform Cloud: one job for the wave
      },
    ]);
    expect(run('tools/rollout/waves.js', ['--json', '--only', 'bootstrap']).out.trim()).toBe('[]'); // the embedded example has no bootstrap stacks
    expect(run('tools/rollout/waves.js', ['--only', 'bootstrp'], m).err).toContain('--only names no wave of this matrix: bootstrp');
    expect(run('tools/rollout/waves.js', ['--bogus'], m).code).toBe(2);
  });

  test('an environment outside the waves fails with its name and the nearest wave', () => {
    const file = path.join(scratch(), 'm.yaml');
    fs.writeFileSync(file, 'accounts:\n  - { id: "111111111111", environment: stagng, regions: [us-east-1] }\n');
    const r = run('tools/rollout/waves.js', ['--json'], { MATRIX_FILE: file });
    expect(r.code).toBe(1);
    expect(r.err).toContain('accounts[0].environment: "stagng"');
    expect(r.err).toContain('(nearest: "staging")');
  });

  test('a matrix file that does not exist is reported against what named it: --matrix, else MATRIX_FILE', () => {
    const missing = path.join(scratch(), 'nope.yaml');
    const flag = run('tools/rollout/waves.js', ['--matrix', missing], { MATRIX_FILE: path.join(ROOT, 'examples', 'terraform-cloud.yaml') });
    expect(flag.code).toBe(1);
    expect(flag.err).toContain(`--matrix: "${missing}"`);
    expect(flag.err).not.toContain('MATRIX_FILE:');
    const env = run('tools/rollout/waves.js', [], { MATRIX_FILE: missing });
    expect(env.code).toBe(1);
    expect(env.err).toContain(`MATRIX_FILE: "${missing}"`);
    const previous = run('tools/rollout/decommission.js', ['--left', '--previous-matrix', missing], {
      MATRIX_FILE: path.join(ROOT, 'examples', 'terraform-cloud.yaml'),
    });
    expect(previous.code).toBe(1);
    expect(previous.err).toContain(`--previous-matrix: "${missing}"`);
  });

  test('deploy:wave deploys at most 8 stacks at a time by default, --parallelism changes it, extra options pass through', () => {
    const m = { MATRIX_FILE: path.join(ROOT, 'examples', 'terraform-cloud.yaml') };
    const d = run('tools/rollout/deploy-wave.js', ['prod', '--auto-approve', '--dry-run'], m);
    expect(d.code).toBe(0);
    expect(d.out).toContain(
      'SYNTH_ENVIRONMENTS=prod npx cdktf deploy bedrock-logging-111111111111-us-east-1 bedrock-logging-111111111111-eu-west-1 --parallelism 8 --auto-approve',
    );
    const p = run('tools/rollout/deploy-wave.js', ['--parallelism', '2', 'prod', '--dry-run', '--', '--skip-provider-lock'], m);
    expect(p.out).toContain('--parallelism 2 --skip-provider-lock');
    expect(run('tools/rollout/deploy-wave.js', ['prod', '--parallelism', '0'], m).code).toBe(2);
  });

  test('deploy:wave never deploys the embedded example: without --matrix or MATRIX_FILE it is a usage error', () => {
    const r = run('tools/rollout/deploy-wave.js', ['prod', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no matrix: deploy-wave deploys');
    expect(r.out).not.toContain('cdktf deploy');
  });

  test('deploy:wave --matrix reads that file, wins over MATRIX_FILE, and hands it to the cdktf app as MATRIX_FILE', () => {
    const file = path.join(ROOT, 'examples', 'terraform-cloud.yaml');
    const d = run('tools/rollout/deploy-wave.js', ['prod', '--dry-run', '--matrix', file], {
      MATRIX_FILE: path.join(scratch(), 'missing.yaml'),
    });
    expect([d.code, d.err]).toEqual([0, '']);
    expect(d.out).toContain(`MATRIX_FILE=${file} SYNTH_ENVIRONMENTS=prod npx cdktf deploy bedrock-logging-111111111111-us-east-1`);
  });
});

describe('changed-stacks', () => {
  test('a stack file that is not JSON: exit 1, the file named, no stack trace', () => {
    for (const side of ['a', 'b']) fs.mkdirSync(path.join(scratch(), side, 'stacks', 'x'), { recursive: true });
    fs.writeFileSync(path.join(scratch(), 'a', 'stacks', 'x', 'cdk.tf.json'), '{bad');
    fs.writeFileSync(path.join(scratch(), 'b', 'stacks', 'x', 'cdk.tf.json'), '{}');
    const r = run('tools/rollout/changed-stacks.js', ['--base-dir', path.join(scratch(), 'a'), '--head-dir', path.join(scratch(), 'b')]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(/^Error: .*a\/stacks\/x\/cdk\.tf\.json is not a synthesized stack: .*\n$/);
  });

  test('lists added and changed stacks, ignoring metadata and the local state path', () => {
    const a = path.join(scratch(), 'a');
    const b = path.join(scratch(), 'b');
    expect(run('main.js', [], { CDKTF_OUTDIR: a }, scratch()).code).toBe(0);
    // The same matrix synthesized from another directory: only the local state path differs.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-other-'));
    const matrix = path.join(scratch(), 'm.json');
    const { EXAMPLE_MATRIX } = require('../../config/example-matrix');
    const m = JSON.parse(JSON.stringify(EXAMPLE_MATRIX));
    m.accounts[1].logging.logRetentionDays = 60;
    m.accounts.push({ id: '333333333333', regions: ['us-west-2'] });
    fs.writeFileSync(matrix, JSON.stringify(m));
    expect(run('main.js', [], { CDKTF_OUTDIR: b, MATRIX_FILE: matrix }, other).code).toBe(0);
    fs.rmSync(other, { recursive: true, force: true });

    const r = run('tools/rollout/changed-stacks.js', ['--base-dir', a, '--head-dir', b, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      added: ['bedrock-logging-333333333333-us-west-2'],
      changed: ['bedrock-logging-222222222222-us-east-1'],
      removed: [],
    });
  });
});

describe('every tool has --help and refuses what it does not know', () => {
  test.each([
    ['tools/rollout/verify.js', 'npm run verify', ['--batch', '0'], '--batch takes a whole number'],
    ['tools/bench/bench.js', 'npm run bench', ['--sizes', '10,x'], '--sizes takes whole numbers'],
    ['tools/bench/bench-usage.js', 'npm run bench:usage', ['--mb', '-5'], '--mb takes a number of megabytes'],
    ['tools/rollout/changed-stacks.js', 'npm run changed-stacks', ['--json'], '--base-dir and --head-dir are both required'],
  ])('%s', (script, command, badValue, badValueError) => {
    const help = run(script, ['--help'], {}, scratch());
    expect(help.code).toBe(0);
    expect(help.out).toContain(`Usage: ${command}`);
    expect(help.out).toContain('-h, --help');
    const unknown = run(script, ['--verbose'], {}, scratch());
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`Error: unknown option --verbose (${command} -- --help lists the options)\n`);
    const bad = run(script, badValue, {}, scratch());
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(badValueError);
    expect(fs.readdirSync(scratch())).toEqual([]); // nothing generated, synthesized or benchmarked
  });

  test('an option without its value is an error, not the next option taken as a value', () => {
    const r = run('tools/rollout/verify.js', ['--outdir', '--no-plan'], {}, scratch());
    expect(r.code).toBe(2);
    expect(r.err).toContain('--outdir needs a value');
  });
});
