/** organizationPolicies.requirePrivateNetwork needs a VPC to admit: at least one `network` entry in the matrix. */
import type { MatrixCheck } from './check';

export const privateNetwork: MatrixCheck = ({ matrix, config }) =>
  matrix.organizationPolicies?.requirePrivateNetwork && !config.stacks.some((s) => s.network)
    ? [
        {
          path: 'organizationPolicies.requirePrivateNetwork',
          found: 'no network in the matrix',
          allowed:
            'at least one account or region entry with network: { vpcId, subnetIds, ... }: the SCP admits invocations only through the VPCs of those entries, so without one it would deny every invocation in its targets',
        },
      ]
    : [];
