/** The batched verifier's building blocks (its real Terraform runs are in the `*.terraform.test.ts` files). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../stacks/app';
import { generateMatrix } from '../../tools/bench/generate-matrix';
import { stackShape, writeBatchRoot } from '../../tools/rollout/verify';
import { resolveMatrix } from '../helpers';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-verify-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
synthesize(resolveMatrix(generateMatrix(8, 2, 2)), out);
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), 'utf8'));
const shape = (name: string) => stackShape(name, read(name));

test('stacks equal up to account, region, environment and names share a shape', () => {
  // account 0 is dev, account 1 staging; us-east-1 and us-west-2 use the same us. geography
  expect(shape('bedrock-logging-100000000000-us-east-1')).toBe(shape('bedrock-logging-100000000001-us-west-2'));
});

test('a different geography, tenant set or stack kind is another shape', () => {
  expect(shape('bedrock-logging-100000000000-us-east-1')).not.toBe(shape('bedrock-logging-100000000000-eu-west-1'));
  expect(shape('bedrock-logging-100000000000-us-east-1')).not.toBe(shape('bedrock-management-999999999999'));
  const tf = read('bedrock-logging-100000000000-us-east-1');
  delete tf.resource.aws_bedrock_inference_profile['tenant-0__model-0'];
  expect(stackShape('bedrock-logging-100000000000-us-east-1', tf)).not.toBe(shape('bedrock-logging-100000000000-us-east-1'));
});

test('the batch root calls each stack as a module with one offline provider, without backends', () => {
  const dir = path.join(out, 'batch');
  const names = [
    'bedrock-logging-100000000000-eu-west-1',
    'bedrock-logging-100000000000-us-east-1',
    'bedrock-logging-100000000001-us-east-1',
  ];
  writeBatchRoot(out, names, dir);
  const root = JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8'));
  expect(root.provider.aws.map((p: Record<string, unknown>) => [p.alias, p.region, p.skip_credentials_validation, p.access_key])).toEqual([
    [undefined, 'eu-west-1', true, 'offline'],
  ]);
  expect(root.module['bedrock-logging-100000000001-us-east-1']).toEqual({ source: './m/bedrock-logging-100000000001-us-east-1' });
  const module = JSON.parse(fs.readFileSync(path.join(dir, 'm', names[0], 'cdk.tf.json'), 'utf8'));
  expect(module.provider).toBeUndefined();
  expect(module.terraform.backend).toBeUndefined();
  expect(module.resource).toEqual(read(names[0]).resource);
});
