/** The shape of a danger rule: one small file per cause, listed in rules/index.ts. */
/** `forget`: a `removed { lifecycle { destroy = false } }` block takes the resource out of state and leaves it in AWS. */
export type Action = 'create' | 'adopt' | 'update' | 'replace' | 'delete' | 'forget' | 'unclassified';

/** Resources of one synthesized stack, by address, as cdk.tf.json holds them. */
export type Resources = Map<string, any>;

export interface RuleInput {
  type: string;
  address: string;
  action: Action;
  /** The resource body in the base and in the head; undefined where it does not exist. */
  before: any;
  after: any;
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

/** A nested block as cdk.tf.json may hold it: a list or a single object. */
export const block = (v: any): any => (Array.isArray(v) ? v[0] : v);
export const blocks = (v: any): any[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
