/** Selective synth (config/select.ts) through the app, as users run it (compiled by `npm test` first). */
import * as fs from 'fs';
import * as path from 'path';
import { manifestStacks as stacksIn, runDist as run, scratchPerTest } from '../run-dist';

const scratch = scratchPerTest('bedrock-tools-');
const manifestStacks = (dir = path.join(scratch(), 'cdktf.out')) => stacksIn(dir);

describe('selective synth', () => {
  test('--environment and --region flags build only the selected stacks', () => {
    const r = run('main.js', ['--environment', 'prod', '--region=eu-west-1'], {}, scratch());
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // a short run prints no progress
    expect(r.out).toContain('selected by the stack filter');
    expect(manifestStacks()).toEqual(['bedrock-logging-111111111111-eu-west-1']);
  });

  test('SYNTH_* variables do the same for cdktf synth/deploy, and flags win over them', () => {
    expect(run('main.js', [], { SYNTH_ACCOUNTS: 'genai-dev,management' }, scratch()).code).toBe(0);
    expect(manifestStacks()).toEqual(['bedrock-logging-222222222222-us-east-1', 'bedrock-management-999999999999']);
    expect(run('main.js', ['--account', 'genai-prod'], { SYNTH_ACCOUNTS: 'genai-dev' }, scratch()).code).toBe(0);
    expect(manifestStacks()).toEqual(['bedrock-logging-111111111111-eu-west-1', 'bedrock-logging-111111111111-us-east-1']);
  });

  test('an unknown filter value: clear error, exit 1, nothing written', () => {
    const r = run('main.js', ['--region', 'mars-1'], {}, scratch());
    expect(r.code).toBe(1);
    expect(r.err).toContain('Invalid stack filter');
    expect(r.err).toContain('"mars-1" -> expected one of us-east-1, eu-west-1');
    expect(fs.existsSync(path.join(scratch(), 'cdktf.out'))).toBe(false);
  });

  test('--help prints usage; an unknown option prints it too, with exit 2', () => {
    const help = run('main.js', ['--help'], {}, scratch());
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npm run synth');
    expect(help.out).toContain('SYNTH_ENVIRONMENTS');
    const bad = run('main.js', ['--acount', 'x'], {}, scratch());
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown option --acount');
    expect(fs.existsSync(path.join(scratch(), 'cdktf.out'))).toBe(false);
  });
});
