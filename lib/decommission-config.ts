/**
 * What decommissioning a stack that left the matrix keeps and destroys: used by
 * npm run decommission (tools/rollout/decommission.ts) and by the plan review, which
 * shows it for a stack that leaves the matrix.
 */
import { RESOURCE_TYPES } from './resource-types';

/**
 * Kept types beyond those that hold data, because they protect or name the kept
 * data: the bucket's own settings (public access block, encryption, versioning,
 * lifecycle expiry, Object Lock, policy), the keys' aliases, and the log group's
 * data protection policy (without it, readers would see the PII it masks).
 */
const PROTECTS_KEPT = (type: string) =>
  type.startsWith('aws_s3_bucket_') || type === 'aws_kms_alias' || type === 'aws_cloudwatch_log_data_protection_policy';

/** Whether decommissioning keeps a resource of this type: it holds data (resource-type contract), or protects kept data. */
export function keptType(type: string): boolean {
  return RESOURCE_TYPES[type]?.holds === 'data' || PROTECTS_KEPT(type);
}

/** The parts of a synthesized stack (cdk.tf.json) the decommission configuration is built from. */
export interface StackTf {
  terraform?: unknown;
  provider?: unknown;
  /** type -> name -> body */
  resource?: Record<string, Record<string, unknown>>;
}

/** The decommission configuration: the stack's terraform and provider blocks, and a removed block (destroy = false) per kept resource. */
export interface DecommissionTf {
  terraform?: unknown;
  provider?: unknown;
  removed?: { from: string; lifecycle: { destroy: false } }[];
}

/** The decommission configuration of a synthesized stack (its cdk.tf.json): backend and provider, no resources, and a removed block per kept resource. */
export function decommissionConfig(stackTf: StackTf): { config: DecommissionTf; kept: string[]; destroyed: string[] } {
  const kept: string[] = [];
  const destroyed: string[] = [];
  for (const [type, byName] of Object.entries(stackTf.resource ?? {}))
    for (const name of Object.keys(byName).sort()) (keptType(type) ? kept : destroyed).push(`${type}.${name}`);
  const { terraform, provider } = stackTf;
  return {
    config: {
      terraform,
      provider,
      ...(kept.length ? { removed: kept.map((from) => ({ from, lifecycle: { destroy: false as const } })) } : {}),
    },
    kept,
    destroyed,
  };
}
