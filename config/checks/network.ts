/**
 * A subnet belongs to one VPC: the same subnet ID under two `network` entries with different VPCs
 * is a typo in one of them (the endpoint would fail at apply, after the plan passed).
 */
import type { MatrixCheck } from './check';
import { regionEntries } from '../resolvers/logging-stacks';

export const networkSubnets: MatrixCheck = ({ matrix }) => {
  const seen = new Map<string, { vpcId: string; path: string }>();
  const issues: ReturnType<MatrixCheck> = [];
  matrix.accounts.forEach((a, ai) => {
    const entries: { path: string; network?: { vpcId: string; subnetIds: string[] } }[] = [
      { path: `accounts[${ai}].network`, network: a.network },
    ];
    regionEntries(a).forEach((e, ri) =>
      entries.push({ path: `accounts[${ai}].regions[${ri}].network`, network: 'network' in e ? e.network : undefined }),
    );
    for (const { path, network } of entries) {
      if (!network) continue;
      network.subnetIds.forEach((s, si) => {
        const prev = seen.get(s);
        if (prev && prev.vpcId !== network.vpcId)
          issues.push({
            path: `${path}.subnetIds[${si}]`,
            value: s,
            allowed: `a subnet of ${network.vpcId} (it is listed at ${prev.path} for ${prev.vpcId}; a subnet belongs to one VPC)`,
          });
        else if (!prev) seen.set(s, { vpcId: network.vpcId, path: `${path}.subnetIds[${si}]` });
      });
    }
  });
  return issues;
};
