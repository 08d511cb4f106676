import { denyInsecureTransport } from './document';
import type { PolicyDocument } from './document';

/**
 * Bucket policy of the Athena query-result bucket: every request without TLS is denied.
 * Nothing is granted: Athena writes and reads results with the credentials of the
 * caller who runs the query (Athena user guide, "Specifying a query result location"),
 * so IAM policies of the account decide who reads them, as for the log bucket.
 */
export function athenaResultsBucketPolicy(input: { partition: string; bucketName: string }): PolicyDocument {
  return { Version: '2012-10-17', Statement: [denyInsecureTransport(`arn:${input.partition}:s3:::${input.bucketName}`)] };
}
