/**
 * The SchemaProxy's edit of the provider's schema answer (lib/provider-proxy.ts), on the protobuf wire
 * format: the resource and data source maps keep the types asked for, every other field stays as it was.
 */
import { filterSchemaResponse, reattachAddress, typesOf } from '../../lib/provider-proxy';

const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const bytes = (field: number, body: Buffer) => Buffer.from([...varint((field << 3) | 2), ...varint(body.length), ...body]);
const text = (field: number, s: string) => bytes(field, Buffer.from(s));
/** A map<string, Schema> entry: the key as field 1, the value (a stand-in schema) as field 2. */
const entry = (field: number, key: string) =>
  bytes(field, Buffer.concat([text(1, key), bytes(2, Buffer.from(`schema of ${key}`.repeat(20)))]));

describe('the schema answer the proxy gives', () => {
  const provider = bytes(1, Buffer.from('provider block'));
  const capabilities = bytes(6, Buffer.from([0x08, 0x01])); // ServerCapabilities { plan_destroy: true }
  const message = Buffer.concat([
    provider,
    entry(2, 'aws_s3_bucket'),
    entry(2, 'aws_instance'),
    entry(2, 'aws_kms_key'),
    entry(3, 'aws_region'),
    entry(3, 'aws_ami'),
    capabilities,
    entry(8, 'aws_secretsmanager_secret_version'),
  ]);

  test('keeps the resource and data source types asked for, in order, and every other field', () => {
    const out = filterSchemaResponse(message, new Set(['aws_s3_bucket', 'aws_kms_key', 'aws_region']));
    expect(out).toEqual(
      Buffer.concat([
        provider,
        entry(2, 'aws_s3_bucket'),
        entry(2, 'aws_kms_key'),
        entry(3, 'aws_region'),
        capabilities,
        entry(8, 'aws_secretsmanager_secret_version'),
      ]),
    );
  });

  test('asked for every type, the answer is the same bytes', () => {
    const all = new Set(['aws_s3_bucket', 'aws_instance', 'aws_kms_key', 'aws_region', 'aws_ami']);
    expect(filterSchemaResponse(message, all)).toEqual(message);
  });

  test('lengths of more than one varint byte are read whole', () => {
    const big = entry(2, 'aws_big'.padEnd(300, 'x'));
    expect(filterSchemaResponse(Buffer.concat([big, entry(2, 'aws_s3_bucket')]), new Set(['aws_s3_bucket']))).toEqual(
      entry(2, 'aws_s3_bucket'),
    );
  });
});

test('the types of configurations and states', () => {
  const config = { resource: { aws_s3_bucket: {}, aws_kms_key: {} }, data: { aws_region: {} } };
  const state = { version: 4, resources: [{ type: 'aws_cloudwatch_log_group' }, { type: 'aws_s3_bucket' }] };
  expect(typesOf(config, state, undefined).sort()).toEqual(['aws_cloudwatch_log_group', 'aws_kms_key', 'aws_region', 'aws_s3_bucket']);
});

test('the proxy serves provider servers on a unix socket, as go-plugin writes their reattach line', () => {
  const reattach = JSON.stringify({
    'registry.terraform.io/hashicorp/aws': {
      Protocol: 'grpc',
      ProtocolVersion: 5,
      Pid: 1,
      Test: true,
      Addr: { Network: 'unix', String: '/tmp/plugin1' },
    },
  });
  expect(reattachAddress(reattach)).toBe('/tmp/plugin1');
  expect(() => reattachAddress(reattach.replace('"unix"', '"tcp"'))).toThrow(/not a unix socket/);
});
