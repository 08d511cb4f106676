/** The log bucket's name (logging.bucketNamePrefix + "-<account>-<region>") is a valid S3 bucket name. */
import * as rules from '../rules';
import { eachStack } from './check';

export const bucketName = eachStack(({ names, matrixPath }) =>
  rules.BUCKET_NAME.test(names.bucket)
    ? []
    : [
        {
          path: matrixPath,
          value: names.bucket,
          allowed:
            'a log bucket name of at most 63 characters (logging.bucketNamePrefix + "-<account>-<region>"): shorten logging.bucketNamePrefix',
        },
      ],
);
