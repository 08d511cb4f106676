import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CARRIED_CLI_CONFIG, cliConfigFor, requireTerraform } from '../../lib/terraform';

describe('the real-Terraform tier never passes silently', () => {
  const saved = { PATH: process.env.PATH, SKIP: process.env.SKIP_TERRAFORM_TESTS };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.SKIP === undefined) delete process.env.SKIP_TERRAFORM_TESTS;
    else process.env.SKIP_TERRAFORM_TESTS = saved.SKIP;
  });

  test('without a terraform binary it fails, naming the opt-out variable', () => {
    delete process.env.SKIP_TERRAFORM_TESTS;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
    expect(() => requireTerraform()).toThrow(/terraform is not on the PATH.*SKIP_TERRAFORM_TESTS=1/s);
  });

  test('SKIP_TERRAFORM_TESTS=1 is the only way to skip it', () => {
    process.env.SKIP_TERRAFORM_TESTS = '1';
    process.env.PATH = '';
    expect(requireTerraform()).toBeUndefined();
  });
});

describe('the Terraform CLI config for offline init', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tfrc-'));

  test('the carried config points at the mirror the machine image has', () => {
    expect(fs.readFileSync(CARRIED_CLI_CONFIG, 'utf8')).toMatch(/filesystem_mirror \{\s+path\s+= "\/opt\/tf-plugins"/);
    expect(cliConfigFor('/opt/tf-plugins', scratch)).toBe(CARRIED_CLI_CONFIG);
  });

  test('a mirror elsewhere gets a copy of the carried config with its path', () => {
    const file = cliConfigFor('/srv/mirror', scratch)!;
    expect(file).not.toBe(CARRIED_CLI_CONFIG);
    expect(fs.readFileSync(file, 'utf8')).toContain('path    = "/srv/mirror"');
  });

  test('no mirror: no CLI config, so init uses the registry as usual', () => {
    expect(cliConfigFor(undefined, scratch)).toBeUndefined();
  });
});
