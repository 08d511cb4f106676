import { Rule, field } from '../rule';

/**
 * Security groups the app creates admit traffic from the VPC only, never from anywhere. Security Hub
 * EC2.18 and Checkov CKV_AWS_24/CKV_AWS_260 cover open ingress on particular ports; this rule covers any port.
 */
export const sgNoOpenIngress: Rule = {
  id: 'SG_NO_OPEN_INGRESS',
  standards: [
    "SG_NO_OPEN_INGRESS (this app's ID: no ingress from 0.0.0.0/0 or ::/0 on any port; compare Security Hub EC2.18, Checkov CKV_AWS_24 and CKV_AWS_260)",
  ],
  title: 'Security groups admit no ingress from 0.0.0.0/0 or ::/0',
  resourceTypes: ['aws_security_group'],
  check(group) {
    const ingress: unknown[] = ([] as unknown[]).concat(group.attrs.ingress ?? []);
    // cidr_blocks and ipv6_cidr_blocks are lists of strings (the provider's schema).
    const cidrs = (r: unknown, key: string) => (field(r, key) ?? []) as string[];
    const open = ingress
      .flatMap((r) => [...cidrs(r, 'cidr_blocks'), ...cidrs(r, 'ipv6_cidr_blocks')])
      .filter((c: string) => c === '0.0.0.0/0' || c === '::/0');
    return open.length ? `ingress from ${[...new Set(open)].join(', ')}: admit the VPC's CIDR blocks only (network.cidrBlocks)` : undefined;
  },
};
