/** Selective synth (config/select.ts) through the app, as users run it (compiled by `npm test` first). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const run = (script: string, args: string[], env: Record<string, string> = {}, cwd = ROOT) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', script), ...args], { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let work: string;
beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-tools-'))));
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
const manifestStacks = (dir = path.join(work, 'cdktf.out')) => Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).stacks).sort();

describe('selective synth', () => {
  test('--environment and --region flags build only the selected stacks', () => {
    const r = run('main.js', ['--environment', 'prod', '--region=eu-west-1'], {}, work);
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // a short run prints no progress
    expect(r.out).toContain('selected by the stack filter');
    expect(manifestStacks()).toEqual(['bedrock-logging-111111111111-eu-west-1']);
  });

  test('SYNTH_* variables do the same for cdktf synth/deploy, and flags win over them', () => {
    expect(run('main.js', [], { SYNTH_ACCOUNTS: 'genai-dev,management' }, work).code).toBe(0);
    expect(manifestStacks()).toEqual(['bedrock-logging-222222222222-us-east-1', 'bedrock-management-999999999999']);
    expect(run('main.js', ['--account', 'genai-prod'], { SYNTH_ACCOUNTS: 'genai-dev' }, work).code).toBe(0);
    expect(manifestStacks()).toEqual(['bedrock-logging-111111111111-eu-west-1', 'bedrock-logging-111111111111-us-east-1']);
  });

  test('an unknown filter value: clear error, exit 1, nothing written', () => {
    const r = run('main.js', ['--region', 'mars-1'], {}, work);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Invalid stack filter');
    expect(r.err).toContain('"mars-1" -> expected one of us-east-1, eu-west-1');
    expect(fs.existsSync(path.join(work, 'cdktf.out'))).toBe(false);
  });

  test('--help prints usage; an unknown option prints it too, with exit 2', () => {
    const help = run('main.js', ['--help'], {}, work);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npm run synth');
    expect(help.out).toContain('SYNTH_ENVIRONMENTS');
    const bad = run('main.js', ['--acount', 'x'], {}, work);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown option --acount');
    expect(fs.existsSync(path.join(work, 'cdktf.out'))).toBe(false);
  });
});
