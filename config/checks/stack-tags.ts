/** A stack's default tags (matrix, account and region tags and the 3 the app adds) stay within 50 per resource. */
import * as rules from '../rules';
import { eachStack } from './check';

export const stackTags = eachStack(({ tags, matrixPath }) =>
  Object.keys(tags).length > rules.TAGS_PER_RESOURCE_MAX
    ? [
        {
          path: `${matrixPath} (tags)`,
          value: Object.keys(tags).length,
          allowed: `at most ${rules.TAGS_PER_RESOURCE_MAX} tags per resource, counting matrix, account and region tags and the 3 the app adds`,
        },
      ]
    : [],
);
