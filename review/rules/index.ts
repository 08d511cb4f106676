/**
 * The danger rules, one per cause. To add one, write a DangerRule in its own
 * file and list it here:
 * the report groups its findings under its title, and review.json names its cause.
 */
import { deliveryAlarmRemoved } from './alarms';
import { guardrailVersionChange, guardrailWeakened } from './bedrock-guardrails';
import { athenaLimitCut, retentionCut } from './data-loss';
import { inferencePathOpened } from './inference-paths';
import { loggingOff } from './logging';
import { maskingRemoved } from './masking';
import { endpointPolicyWidenedRule, modelPerimeterWidened, privatePathOpened } from './model-governance';
import { objectLockWeakened } from './object-lock';
import { observabilityCut } from './observability';
import { policyUndecidable, policyWidened } from './policies';
import { profileArnChange } from './profiles';
import { preventDestroyRemoved, statefulDeleted } from './stateful';
import type { DangerRule } from './types';

export const RULES: DangerRule[] = [
  statefulDeleted,
  preventDestroyRemoved,
  retentionCut,
  athenaLimitCut,
  loggingOff,
  profileArnChange,
  maskingRemoved,
  deliveryAlarmRemoved,
  objectLockWeakened,
  policyWidened,
  policyUndecidable,
  guardrailWeakened,
  inferencePathOpened,
  observabilityCut,
  modelPerimeterWidened,
  endpointPolicyWidenedRule,
  privatePathOpened,
  guardrailVersionChange,
];

/** Causes the review itself reports (not from a rule): titles for the report's groups. */
export const BUILTIN_CAUSES: Record<string, string> = {
  unclassified: 'Change to a resource type the contract does not classify (update or replacement unknown)',
  'state-moves': 'State location changes',
};

export const causeTitle = (cause: string): string => RULES.find((r) => r.cause === cause)?.title ?? BUILTIN_CAUSES[cause] ?? cause;
