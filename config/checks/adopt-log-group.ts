/** A region entry adopts a log group only where CloudWatch is a logging destination. */
import { eachStack } from './check';

export const adoptLogGroup = eachStack(({ adopt, logging, matrixPath }) =>
  adopt.logGroup && !logging.destinations.includes('cloudwatch')
    ? [
        {
          path: `${matrixPath}.adopt`,
          value: 'logGroup',
          allowed: `"logGroup" only where "cloudwatch" is a logging destination (this stack's destinations: ${logging.destinations.join(', ')}): without it the stack has no log group to adopt`,
        },
      ]
    : [],
);
