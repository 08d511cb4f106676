/** The shape of a danger rule: one small file per cause, listed in rules/index.ts. */
import { Json, JsonObject, TerraformBody, isObject } from '../terraform-json';

/** `forget`: a `removed { lifecycle { destroy = false } }` block takes the resource out of state and leaves it in AWS. */
export type Action = 'create' | 'adopt' | 'update' | 'replace' | 'delete' | 'forget' | 'unclassified';

/** Resources of one synthesized stack, by address, as cdk.tf.json holds them. */
export type Resources = Map<string, TerraformBody>;

export interface RuleInput {
  type: string;
  address: string;
  action: Action;
  /** The resource body in the base and in the head; undefined where it does not exist. */
  before: TerraformBody | undefined;
  after: TerraformBody | undefined;
  /** Changed top-level arguments that force a new resource (static review), or the provider's replace paths (--plan). */
  forcing: string[];
  /** Whether the type holds data or identity (from the resource-type contract). */
  stateful: boolean;
  /** The whole base and head stack, for rules that depend on other resources. */
  baseStack: Resources;
  headStack: Resources;
}

export interface DangerRule {
  /** Stable key: the group the report puts findings under, and review.json's `causes`. */
  cause: string;
  /** The group heading in review.md. */
  title: string;
  /** When it fires, in a sentence or two: docs/review.md's rule table shows it (npm run docs); the title stands in without it. */
  when?: string;
  /** Reasons this change is dangerous; empty when it is not. */
  check(input: RuleInput): string[];
  /**
   * What the change asks of someone without being dangerous (callers must send a
   * new guardrail version, while the previous one is still accepted): shown with the
   * change and in the report's notes, never counted as dangerous.
   */
  notes?(input: RuleInput): string[];
}

/** A nested block as cdk.tf.json may hold it: a list or a single object; undefined when absent (or not an object). */
export const block = (v: Json | undefined): JsonObject | undefined => {
  const b = Array.isArray(v) ? v[0] : v;
  return isObject(b) ? b : undefined;
};
/** Every block of a nested block list (a single object counts as a list of one). */
export const blocks = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
