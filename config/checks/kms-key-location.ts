/** A brought key (logging.kmsKeyArn) is in the stack's own account and region: S3 and CloudWatch Logs only use keys from their own region. */
import { eachStack } from './check';

export const kmsKeyLocation = eachStack(({ logging, region, accountId, matrixPath }) => {
  if (!logging.kmsKeyArn) return [];
  const [, , , keyRegion, keyAccount] = logging.kmsKeyArn.split(':');
  return keyRegion === region && keyAccount === accountId
    ? []
    : [
        {
          path: `${matrixPath} (logging.kmsKeyArn)`,
          value: logging.kmsKeyArn,
          allowed: `a KMS key in the stack's own account and region (${accountId}, ${region}): S3 and CloudWatch Logs only use keys from their own region`,
        },
      ];
});
