/**
 * `cdktf diff` through the real cdktf CLI and real Terraform, offline, across a
 * matrix change that removes and adds stacks: the second diff succeeds (it
 * failed with ENOENT when the app swapped cdktf.out in whole) and reuses the
 * stack's .terraform and .terraform.lock.hcl. With the lock kept, cdktf does not
 * run `terraform providers lock`, which needs the registry: the second diff runs
 * without --skip-provider-lock and without a network.
 * The provider's credential check goes to a local stand-in for STS
 * (AWS_ENDPOINT_URL_STS) that answers GetCallerIdentity for the stack's account;
 * the plan starts from empty state, so nothing else is called.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import * as YAML from 'yaml';
import { cliConfigFor, findMirror, requireTerraform } from '../../lib/terraform';

jest.setTimeout(900_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const ROOT = path.join(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const MAIN = path.join(ROOT, 'dist', 'main.js');
const ACCOUNT = '111111111111';
const STACK = `bedrock-logging-${ACCOUNT}-eu-west-1`;
const matrix = (regions: string[]) => ({ deployment: { assumeRole: false }, accounts: [{ id: ACCOUNT, environment: 'prod', regions }] });

maybe('cdktf diff after the set of stacks changed', () => {
  let work: string;
  let sts: http.Server;
  let stsCalls = 0;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!fs.existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it first)');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-cdktf-diff-'));
    sts = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        stsCalls++;
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/offline</Arn><UserId>AIDAOFFLINE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      });
    });
    await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r));
    const cliConfig = cliConfigFor(findMirror(), work);
    if (!cliConfig) throw new Error('no local provider mirror: this test runs offline only');
    env = {
      PATH: process.env.PATH!,
      HOME: work,
      CI: '1',
      CHECKPOINT_DISABLE: '1',
      MATRIX_FILE: 'matrix.yaml',
      TF_CLI_CONFIG_FILE: cliConfig,
      AWS_ACCESS_KEY_ID: 'AKIAOFFLINE',
      AWS_SECRET_ACCESS_KEY: 'offline',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
    };
    fs.writeFileSync(
      path.join(work, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app: `node ${JSON.stringify(MAIN)}`, projectId: 'diff-test', sendCrashReports: 'false' }),
    );
  });
  afterAll(async () => {
    await new Promise((r) => sts.close(r));
    fs.rmSync(work, { recursive: true, force: true });
  });

  const diff = (args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(CDKTF, ['diff', STACK, ...args], { cwd: work, env });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
  const stackDir = () => path.join(work, 'cdktf.out', 'stacks', STACK);

  test('diff, then a matrix without us-east-1 and with us-west-2, then diff again: it succeeds offline and keeps the working files', async () => {
    fs.writeFileSync(path.join(work, 'matrix.yaml'), YAML.stringify(matrix(['us-east-1', 'eu-west-1'])));
    // No lock file yet: cdktf would run `terraform providers lock`, which needs the registry.
    const first = await diff(['--skip-provider-lock']);
    expect(first.out).toContain('Plan:');
    expect(first.code).toBe(0);
    const dir = stackDir();
    const lock = fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('registry.terraform.io/hashicorp/aws');
    fs.writeFileSync(path.join(dir, '.terraform', 'kept-marker'), 'from the first diff');
    expect(stsCalls).toBeGreaterThan(0);

    fs.writeFileSync(path.join(work, 'matrix.yaml'), YAML.stringify(matrix(['eu-west-1', 'us-west-2'])));
    const second = await diff([]);
    expect(second.out).not.toContain('ENOENT');
    expect(second.out).toContain('Plan:');
    expect(second.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.terraform', 'kept-marker'), 'utf8')).toBe('from the first diff');
    expect(fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8')).toBe(lock);
    expect(fs.readdirSync(path.join(work, 'cdktf.out', 'stacks')).sort()).toEqual([STACK, `bedrock-logging-${ACCOUNT}-us-west-2`]);
  });
});
