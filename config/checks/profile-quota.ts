/** A stack holds at most profileQuotaPerRegion application inference profiles (Service Quotas L-40EC9882). */
import * as rules from '../rules';
import { eachStack } from './check';

export const profileQuota = eachStack((stack, { matrix }) => {
  const quota = matrix.profileQuotaPerRegion ?? rules.DEFAULT_PROFILE_QUOTA;
  return stack.profiles.length > quota
    ? [
        {
          path: stack.matrixPath,
          value: `${stack.profiles.length} inference profiles`,
          allowed: `at most profileQuotaPerRegion = ${quota} application inference profiles in ${stack.accountId} ${stack.region} (raise the Service Quotas limit L-40EC9882 first, then profileQuotaPerRegion)`,
        },
      ]
    : [];
});
