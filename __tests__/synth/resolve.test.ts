/**
 * The plain-JSON fast path of synth/resolve.ts resolves every value exactly as
 * cdktf does: tokens of every kind, escapes, encoded numbers, undefined removal,
 * and cdktf's errors. Whole stacks: synth/equivalence.test.ts.
 */
import * as fc from 'fast-check';
import { Fn, Lazy, TerraformStack, Testing, Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { cdktfResolve, resolveTerraform } from '../../synth/resolve';

const stack = new TerraformStack(Testing.app(), 'resolve');
const bucket = new S3Bucket(stack, 'bucket', { bucketPrefix: 'logs-' });
const lazyString = Lazy.stringValue({ produce: () => 'from-lazy' });
const lazyNumber = Token.asNumber(Lazy.numberValue({ produce: () => 42 }));
const lazyList = Lazy.listValue({ produce: () => ['a', 'b'] });
const lazyMap = Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) }));
const numberList = Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] }));

const CASES: [string, unknown][] = [
  ['plain JSON', { a: 'x', b: [true, null, 'y'], c: { d: {}, e: [] } }],
  ['undefined in objects and arrays', { a: undefined, b: [undefined, 'x', undefined], c: { d: undefined } }],
  ['an attribute reference', { arn: bucket.arn, nested: [{ id: bucket.id }] }],
  ['a reference inside text', { policy: `{"Resource":"${bucket.arn}/*"}` }],
  ['a Terraform function', { name: Fn.lower(bucket.bucket), joined: Fn.join(',', [bucket.arn, 'x']) }],
  ['lazy values', { s: lazyString, n: lazyNumber, l: lazyList, m: lazyMap }],
  ['a number token inside text', { s: `count-${lazyNumber}` }],
  ['numbers, plain and in lists', { n: 3, f: 0.5, big: 1e21, l: [1, 2, lazyNumber] }],
  ['text that looks like an encoded number', { s: 'tenant-e-1', t: '1e5', u: 'v1.2e+3' }],
  ['escapes and literal Terraform expressions', { a: '${var.x}', b: '$${literal}', c: 'a}b{c', d: '%{ if true }x%{ endif }' }],
  ['a list token', { l: Token.asList(bucket.arn), m: [...Token.asList(lazyList)] }],
  ['a number list token', { l: numberList, m: [...numberList] }],
  ['a token as a map key', { [bucket.bucket]: 'v', plain: 'w' }],
  ['a date', { d: new Date(0) }],
  ['deep nesting', JSON.parse(`${'{"a":'.repeat(150)}"x"${'}'.repeat(150)}`)],
];

test.each(CASES)('%s resolves as cdktf resolves it', (_what, value) => {
  expect(resolveTerraform(stack, value)).toEqual(cdktfResolve(stack, value));
});

test('values with tokens really go through cdktf (the cases above are not all plain)', () => {
  const resolved = resolveTerraform(stack, { arn: bucket.arn, s: lazyString, n: lazyNumber });
  expect(resolved).toEqual({ arn: '${aws_s3_bucket.bucket.arn}', s: 'from-lazy', n: 42 });
});

test('cdktf’s errors are kept', () => {
  const fn = () => 'no';
  expect(() => resolveTerraform(stack, { f: fn })).toThrow(/function/i);
  expect(() => resolveTerraform(stack, { s: stack })).toThrow();
});

test('random JSON with tokens mixed in resolves as cdktf resolves it', () => {
  const token = fc.constantFrom<unknown>(
    bucket.arn,
    bucket.id,
    lazyString,
    lazyNumber,
    lazyList,
    numberList,
    Fn.upper(bucket.bucket),
    undefined,
  );
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom('${', '}', '$${x}', '1e9', '-e-', 'a.e+1'),
    token.map((t) => `x${String(t)}y`),
  );
  const leaf = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), token);
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
  })).node;
  fc.assert(
    fc.property(value, (v) => {
      let expected: unknown;
      try {
        expected = cdktfResolve(stack, v);
      } catch (e) {
        expect(() => resolveTerraform(stack, v)).toThrow((e as Error).message);
        return;
      }
      expect(resolveTerraform(stack, v)).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});
