/**
 * The resource-type contract (lib/resource-types.ts) covers every resource type
 * the stacks synthesize: the example, the Terraform Cloud example file and a
 * matrix with every option on, across logging, management and bootstrap stacks.
 * A type without a row fails here, so it cannot land unaudited.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { parseMatrixText } from '../../config/load';
import { addStacks } from '../../stacks/app';
import {
  PATHS,
  RESOURCE_TYPES,
  contractFor,
  deployActions,
  forceNewArguments,
  forcesReplacement,
  isStateful,
  ops,
} from '../../lib/resource-types';
import { EVERYTHING_ON } from '../everything-matrix';
import { resolveMatrix } from '../helpers';

/** Resource types of every stack the matrix synthesizes. */
function synthesizedTypes(matrix: unknown): Set<string> {
  const app = Testing.app();
  addStacks(app, resolveMatrix(matrix));
  const types = new Set<string>();
  for (const stack of app.node.children)
    for (const type of Object.keys(JSON.parse(Testing.synth(stack as TerraformStack)).resource ?? {})) types.add(type);
  return types;
}

const exampleFile = path.join(__dirname, '../../examples/terraform-cloud.yaml');
const MATRICES: [string, unknown][] = [
  ['the embedded example', EXAMPLE_MATRIX],
  ['examples/terraform-cloud.yaml', parseMatrixText(fs.readFileSync(exampleFile, 'utf8'), exampleFile)],
  ['the everything-on matrix', EVERYTHING_ON],
];
const synthesized = new Map(MATRICES.map(([name, m]) => [name, synthesizedTypes(m)]));
const all = new Set([...synthesized.values()].flatMap((s) => [...s]));

test.each(MATRICES.map(([name]) => [name]))('every resource type %s synthesizes has a contract row', (name) => {
  const missing = [...synthesized.get(name)!].filter((t) => !(t in RESOURCE_TYPES)).sort();
  expect(missing).toEqual([]);
});

test('every row is a type some stack synthesizes (no stale rows), and the everything-on matrix synthesizes them all', () => {
  expect(
    Object.keys(RESOURCE_TYPES)
      .filter((t) => !all.has(t))
      .sort(),
  ).toEqual([]);
  expect([...all].filter((t) => !synthesized.get('the everything-on matrix')!.has(t)).sort()).toEqual([]);
});

/** Every .ts file below a folder of the repository. */
const sources = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

test('every provider resource class the stacks import has a row, even behind an option no matrix here switches on', () => {
  // @cdktf/provider-aws/lib/<module> holds the class of resource type aws_<module with _>; provider and data sources are not resources.
  const imported = new Set<string>();
  for (const file of sources(path.join(__dirname, '../../stacks')))
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g))
      if (m[1] !== 'provider' && !m[1].startsWith('data-aws-')) imported.add(`aws_${m[1].replace(/-/g, '_')}`);
  expect(imported.size).toBeGreaterThan(30);
  expect([...imported].filter((t) => !(t in RESOURCE_TYPES)).sort()).toEqual([]);
});

test('rows are well formed: provider file, IAM actions, force-new paths', () => {
  for (const row of Object.values(RESOURCE_TYPES)) {
    expect({ type: row.type, source: row.source }).toEqual({
      type: row.type,
      source: expect.stringMatching(/^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/),
    });
    for (const p of PATHS) {
      for (const a of row[p].actions)
        expect({ type: row.type, path: p, action: a }).toEqual({
          type: row.type,
          path: p,
          action: expect.stringMatching(/^[a-z0-9-]+:[A-Za-z0-9]+$/),
        });
      // Every path with calls needs actions, and the other way round.
      expect({ type: row.type, path: p, calls: row[p].calls.length > 0 }).toEqual({
        type: row.type,
        path: p,
        calls: row[p].actions.length > 0,
      });
    }
    expect(row.read.calls.length).toBeGreaterThan(0);
    for (const arg of row.forceNew)
      expect({ type: row.type, arg }).toEqual({ type: row.type, arg: expect.stringMatching(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/) });
  }
});

describe('the typed API', () => {
  test('ops maps calls to actions, renamed and across services', () => {
    expect(ops('s3', 'CreateBucket HeadBucket=ListBucket PutObject=PutObject+kms:GenerateDataKey')).toEqual({
      calls: ['CreateBucket', 'HeadBucket', 'PutObject'],
      actions: ['s3:CreateBucket', 's3:ListBucket', 's3:PutObject', 'kms:GenerateDataKey'],
    });
  });

  test('contractFor names the missing row', () => {
    expect(() => contractFor('aws_instance')).toThrow(/aws_instance has no row in lib\/resource-types.ts/);
    expect(contractFor('aws_s3_bucket').source).toBe('internal/service/s3/bucket.go');
  });

  test('force-new arguments match nested paths, with or without list indices', () => {
    expect(forceNewArguments('aws_bedrock_inference_profile')).toEqual(['name', 'description', 'model_source']);
    expect(forcesReplacement('aws_bedrock_inference_profile', 'model_source[0].copy_from')).toBe(true);
    expect(forcesReplacement('aws_bedrock_inference_profile', ['model_source', 0, 'copy_from'])).toBe(true);
    expect(forcesReplacement('aws_bedrock_inference_profile', 'tags.tenant')).toBe(false);
    expect(forcesReplacement('aws_glue_catalog_table', 'open_table_format_input.0.iceberg_input.0.version')).toBe(true);
    expect(forcesReplacement('aws_glue_catalog_table', 'open_table_format_input.0.iceberg_input.0.iceberg_table_input')).toBe(false);
    expect(forcesReplacement('aws_glue_catalog_table', 'storage_descriptor[0].location')).toBe(false);
    // "name" does not match "name_prefix" or the other way round.
    expect(forcesReplacement('aws_cloudwatch_log_group', 'name_prefix')).toBe(true);
    expect(forcesReplacement('aws_cloudwatch_log_group', 'retention_in_days')).toBe(false);
  });

  test('stateful types: the ones that hold logs, keys or identities', () => {
    expect(
      Object.values(RESOURCE_TYPES)
        .filter((r) => isStateful(r.type))
        .map((r) => `${r.type}:${r.holds}`)
        .sort(),
    ).toEqual([
      'aws_cloudwatch_log_group:data',
      'aws_iam_openid_connect_provider:identity',
      'aws_iam_role:identity',
      'aws_kms_key:data',
      'aws_oam_sink:identity',
      'aws_s3_bucket:data',
    ]);
  });

  test('deploy actions leave out the delete path of stateful types only', () => {
    const actions = deployActions(['aws_s3_bucket', 'aws_s3_bucket_policy', 'aws_kms_key', 'aws_glue_catalog_table']);
    expect(actions).not.toContain('s3:DeleteBucket');
    expect(actions).not.toContain('kms:ScheduleKeyDeletion');
    expect(actions).toContain('s3:DeleteBucketPolicy');
    expect(actions).toContain('glue:DeleteTable');
    expect(actions).toContain('glue:GetPartitionIndexes');
    expect(actions).toEqual([...actions].sort());
  });
});
