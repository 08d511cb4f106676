/** Every cross-field check of the matrix, in the order their problems are reported. */
import { adoptLogGroup } from './adopt-log-group';
import { alarmTopic } from './alarm-topic';
import { analytics } from './analytics';
import { backends } from './backends';
import { bedrockGuardrails } from './bedrock-guardrails';
import { bootstrapRoles } from './bootstrap-roles';
import { bootstrapTrust } from './bootstrap-trust';
import { bucketName } from './bucket-name';
import type { MatrixCheck } from './check';
import { costExportAccount } from './cost-export';
import { evaluation } from './evaluation';
import { githubRole } from './github-role';
import { kmsKeyLocation } from './kms-key-location';
import { lifecycleOrder } from './lifecycle-order';
import { managedByTag } from './managed-by-tag';
import { networkSubnets } from './network';
import { objectLock } from './object-lock';
import { observability } from './observability';
import { placement } from './placement';
import { privateNetwork } from './private-network';
import { profileNames } from './profile-names';
import { profileQuota } from './profile-quota';
import { profileTags } from './profile-tags';
import { requiredProfileTags } from './required-profile-tags';
import { reviewWarnOnly } from './review-warn-only';
import { scpVending } from './scp-vending';
import { stackTags } from './stack-tags';
import { tenantModels } from './tenant-models';
import { uniqueIds } from './unique-ids';
import { waves } from './waves';

export type { CheckInput, MatrixCheck } from './check';

export const CHECKS: readonly MatrixCheck[] = [
  // The matrix as a whole.
  uniqueIds,
  tenantModels,
  placement,
  bedrockGuardrails,
  analytics,
  alarmTopic,
  // Each logging stack and its profiles.
  profileNames,
  profileTags,
  profileQuota,
  requiredProfileTags,
  managedByTag,
  adoptLogGroup,
  bucketName,
  kmsKeyLocation,
  lifecycleOrder,
  objectLock,
  stackTags,
  evaluation,
  networkSubnets,
  // The management and bootstrap stacks, and how every stack is deployed.
  costExportAccount,
  backends,
  waves,
  reviewWarnOnly,
  observability,
  bootstrapRoles,
  bootstrapTrust,
  githubRole,
  scpVending,
  privateNetwork,
];
