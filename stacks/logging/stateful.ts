/**
 * Terraform logical IDs of the stateful resources. They are part of the state
 * contract with every deployed account: changing one makes Terraform destroy and
 * recreate the resource (and its data). __tests__ pins them.
 */
export const STATEFUL = {
  key: 'invocation_logs',
  bucket: 'invocation_logs',
  logGroup: 'invocation_logs',
  role: 'invocation_logging',
} as const;
