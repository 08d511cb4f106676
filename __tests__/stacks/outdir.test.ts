/** swapIn: the staging directory replaces the output in one rename, with each kept stack's Terraform working files. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { swapIn, underCdktfCli } from '../../stacks/outdir';

let work: string;
beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-outdir-'))));
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const tree = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)}=${fs.readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.sort();
};

function setUp() {
  const target = path.join(work, 'cdktf.out');
  const staged = path.join(work, 'cdktf.out.staging-1');
  write(path.join(target, 'manifest.json'), 'old');
  write(path.join(target, 'stacks', 'kept', 'cdk.tf.json'), 'old kept');
  write(path.join(target, 'stacks', 'kept', '.terraform', 'providers', 'p'), 'provider');
  write(path.join(target, 'stacks', 'kept', '.terraform.lock.hcl'), 'lock');
  write(path.join(target, 'stacks', 'kept', 'plan'), 'a stale plan');
  write(path.join(target, 'stacks', 'removed', 'cdk.tf.json'), 'old removed');
  write(path.join(target, 'stacks', 'removed', '.terraform.lock.hcl'), 'lock');
  write(path.join(staged, 'manifest.json'), 'new');
  write(path.join(staged, 'stacks', 'kept', 'cdk.tf.json'), 'new kept');
  write(path.join(staged, 'stacks', 'added', 'cdk.tf.json'), 'new added');
  return { target, staged };
}

test('a stack synthesized again keeps .terraform and .terraform.lock.hcl; a removed stack is gone; nothing else is left behind', () => {
  const { target, staged } = setUp();
  swapIn(staged, target, false);
  expect(tree(target)).toEqual([
    'manifest.json=new',
    'stacks/added/cdk.tf.json=new added',
    'stacks/kept/.terraform.lock.hcl=lock',
    'stacks/kept/.terraform/providers/p=provider',
    'stacks/kept/cdk.tf.json=new kept',
  ]);
  expect(fs.readdirSync(work)).toEqual(['cdktf.out']);
});

test('under the cdktf CLI a removed stack folder stays for the CLI to remove (it fails on one already gone)', () => {
  const { target, staged } = setUp();
  swapIn(staged, target, true);
  expect(tree(path.join(target, 'stacks', 'removed'))).toEqual(['.terraform.lock.hcl=lock', 'cdk.tf.json=old removed']);
  expect(fs.readFileSync(path.join(target, 'manifest.json'), 'utf8')).toBe('new');
});

test('the first synth (no previous output) just renames the staging directory in', () => {
  const staged = path.join(work, 'staging');
  write(path.join(staged, 'stacks', 'a', 'cdk.tf.json'), 'a');
  swapIn(staged, path.join(work, 'cdktf.out'), false);
  expect(tree(path.join(work, 'cdktf.out'))).toEqual(['stacks/a/cdk.tf.json=a']);
});

test('the cdktf CLI is recognised by the variable it sets for the app', () => {
  expect(underCdktfCli({ CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' })).toBe(true);
  expect(underCdktfCli({ CDKTF_OUTDIR: 'cdktf.out' })).toBe(false);
});
