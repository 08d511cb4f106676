/** An IaC rule: one check, the standards it enforces, and why. */
import { Statement, asList } from '../policies/document';

/** A synthesized resource as Terraform sees it (references are "${type.name.attr}" strings). */
export interface TfResource {
  type: string;
  name: string;
  attrs: Record<string, unknown>;
}

/** The resources of one stack, for rules that relate resources (a bucket and its public access block). */
export interface StackResources {
  /** Resources of `type` whose `attr` refers to `target` (e.g. "${aws_s3_bucket.invocation_logs.id}"). */
  referring(type: string, attr: string, target: TfResource): TfResource[];
  /** Every resource of `type` in the stack (of the types the rules read). */
  ofType(type: string): TfResource[];
}

export interface Rule {
  /** The primary ID, e.g. "CKV2_AWS_6". */
  id: string;
  /** Every standard the rule enforces: Checkov, Trivy/tfsec and Security Hub control IDs. */
  standards: string[];
  title: string;
  /** The resource types the rule checks. */
  resourceTypes: string[];
  /** A problem with the resource, said plainly, or undefined when it complies. */
  check(resource: TfResource, stack: StackResources): string | undefined;
}

/** "${aws_s3_bucket.invocation_logs.id}" for a resource and attribute. */
export const refTo = (r: TfResource, attr: string) => `\${${r.type}.${r.name}.${attr}}`;

/** A statement of a policy document read from a resource: any field may be absent. */
export type DocStatement = Partial<Statement>;

/** The parsed policy document of a JSON string attribute, or undefined if it is not JSON. */
export function policyOf(text: unknown): { Statement: DocStatement[] } | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const doc = JSON.parse(text);
    // Parsed JSON: trusted to be a policy document (a statement or a list of them).
    return { Statement: asList<DocStatement>(doc.Statement ?? []) };
  } catch {
    return undefined;
  }
}

/** An object of a resource's JSON, read by key. */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value at a path of keys in a resource's JSON, or undefined where a step is absent or not an object. */
export function field(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = isRecord(cur) ? cur[k] : undefined;
  return cur;
}

/** A Terraform block (a list of one object in JSON) or the object itself; undefined when it is not an object. */
export const block = (v: unknown): Record<string, unknown> | undefined => {
  const b = Array.isArray(v) ? v[0] : v;
  return isRecord(b) ? b : undefined;
};
