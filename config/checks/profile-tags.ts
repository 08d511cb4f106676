/** A profile carries at most 50 tags, counting the stack's default tags (an AWS tagging limit). */
import { profilePath } from '../resolvers/logging-stacks';
import * as rules from '../rules';
import { eachStack } from './check';

export const profileTags = eachStack((stack, { matrix }) =>
  stack.profiles.flatMap((p) => {
    const total = new Set([...Object.keys(p.tags), ...Object.keys(stack.tags)]).size;
    const ti = (matrix.tenants ?? []).findIndex((t) => t.id === p.tenant);
    return total > rules.TAGS_PER_RESOURCE_MAX
      ? [
          {
            path: `${profilePath(ti, p.tenant, p.model)} in ${stack.matrixPath}`,
            value: `${total} tags`,
            allowed: `at most ${rules.TAGS_PER_RESOURCE_MAX} tags per profile, counting the stack's default tags`,
          },
        ]
      : [];
  }),
);
