/**
 * The evaluation bucket and the service role of Amazon Bedrock model evaluation jobs
 * (matrix evaluation; stacks/evaluation/). Sources: Bedrock user guide, "Required
 * service role permissions for creating a model evaluation job that uses a judge
 * model" (trust: bedrock.amazonaws.com; bedrock:InvokeModel, CreateModelInvocationJob
 * and StopModelInvocationJob on the judge models; s3:GetObject and s3:ListBucket on
 * the datasets; GetObject, ListBucket, PutObject, GetBucketLocation,
 * AbortMultipartUpload and ListBucketMultipartUploads on the output location), and
 * "Service role requirements for model evaluation jobs" (the confused-deputy
 * conditions aws:SourceAccount and aws:SourceArn on evaluation-job ARNs).
 */
import { BEDROCK_SERVICE, IdentityStatement, PolicyDocument, Target, denyInsecureTransport } from './document';

/** Where jobs read datasets from and write results to, in the evaluation bucket. */
export const DATASETS_PREFIX = 'datasets/';
export const RESULTS_PREFIX = 'results/';

/** Only Bedrock evaluation jobs of this account and region may assume the role. */
export function evaluationRoleTrustPolicy(t: Target): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'BedrockEvaluationJobsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: BEDROCK_SERVICE },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': t.accountId },
          ArnLike: { 'aws:SourceArn': `arn:${t.partition}:bedrock:${t.region}:${t.accountId}:evaluation-job/*` },
        },
      },
    ],
  };
}

/**
 * What an evaluation job may do: read the datasets, write the results, use the
 * bucket's key through S3, and invoke the judge models and nothing else.
 */
export function evaluationRolePolicy(input: {
  target: Target;
  bucketName: string;
  keyArn: string;
  judgeModelArns: string[];
}): PolicyDocument<IdentityStatement> {
  const { target, bucketName, keyArn } = input;
  const bucket = `arn:${target.partition}:s3:::${bucketName}`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadDatasets', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/${DATASETS_PREFIX}*` },
      {
        Sid: 'WriteResults',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: `${bucket}/${RESULTS_PREFIX}*`,
      },
      {
        Sid: 'ListTheBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
        Resource: bucket,
      },
      {
        // SSE-KMS with the stack's key: reading a dataset decrypts, writing a result generates a data key.
        Sid: 'UseTheBucketKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${target.region}.amazonaws.com` } },
      },
      {
        Sid: 'InvokeJudgeModelsOnly',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:CreateModelInvocationJob', 'bedrock:StopModelInvocationJob'],
        Resource: [...new Set(input.judgeModelArns)].sort(),
      },
    ],
  };
}

/** The evaluation bucket admits only TLS; access is granted by identity policies of this account (the role above). */
export function evaluationBucketPolicy(input: { target: Target; bucketName: string }): PolicyDocument {
  return { Version: '2012-10-17', Statement: [denyInsecureTransport(`arn:${input.target.partition}:s3:::${input.bucketName}`)] };
}
