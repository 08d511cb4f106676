/**
 * The synth/ seam skips cdktf's preparing pass, which is what turns a reference to
 * another stack into a remote-state lookup. Without it, cdktf would write the other
 * stack's address into this one, so every such reference must fail the synth.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Testing } from 'cdktf';
import { CrossStackReferenceError } from '../../synth/resolve';
import { SynthStack } from '../../synth/stack';

test('a reference to a resource of another stack fails the synth and names both stacks', () => {
  const app = Testing.app();
  const a = new SynthStack(app, 'stack-a');
  new AwsProvider(a, 'aws', { region: 'us-east-1' });
  const bucket = new S3Bucket(a, 'logs', { bucket: 'logs' });
  const b = new SynthStack(app, 'stack-b');
  new AwsProvider(b, 'aws', { region: 'us-east-1' });
  new S3BucketVersioningA(b, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  expect(() => Testing.synth(b)).toThrow(CrossStackReferenceError);
  expect(() => Testing.synth(b)).toThrow(/Stack stack-b refers to aws_s3_bucket\.logs\.id of stack stack-a/);
  expect(() => app.synth()).toThrow(CrossStackReferenceError);
});

test('references within a stack resolve as before', () => {
  const app = Testing.app();
  const a = new SynthStack(app, 'stack-a');
  const bucket = new S3Bucket(a, 'logs', { bucket: 'logs' });
  new S3BucketVersioningA(a, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  const tf = JSON.parse(Testing.synth(a));
  expect(tf.resource.aws_s3_bucket_versioning.versioning.bucket).toBe('${aws_s3_bucket.logs.id}');
});
