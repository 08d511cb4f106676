/**
 * Types for the JSON this product reads: synthesized Terraform configuration (cdk.tf.json),
 * `terraform show -json` plans and state, and IAM policy documents. Everything read from a
 * file or a child process is `Json` until a guard below narrows it, so no module needs `any`.
 *
 * Shapes follow Terraform's JSON configuration syntax
 * (developer.hashicorp.com/terraform/language/syntax/json) and its JSON output format
 * (developer.hashicorp.com/terraform/internals/json-format), keeping only the fields read here.
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value as an object, or an empty one when it is anything else (absent included). */
export function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** The value as an array, or an empty one when it is anything else (absent included). */
export function asArray(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** The value as a string, or undefined when it is anything else. */
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The value at a path of keys (`at(body, 'lifecycle', 'prevent_destroy')`), or undefined where
 * a step is absent or not an object (an array is stepped into by a numeric key): optional
 * chaining for values that are not narrowed yet.
 */
export function at(v: unknown, ...path: (string | number)[]): Json | undefined {
  let cur: unknown = v;
  for (const k of path) {
    if (isObject(cur)) cur = cur[k];
    else if (Array.isArray(cur) && /^\d+$/.test(String(k))) cur = cur[Number(k)];
    else return undefined;
  }
  // A value read from JSON (a parsed file, or a document built to be written as JSON).
  return cur as Json | undefined;
}

/** One resource's (or data source's) body: its arguments plus meta-arguments such as `lifecycle`. */
export type TerraformBody = JsonObject;

/** A synthesized stack: cdk.tf.json. */
export interface TerraformConfig {
  terraform?: JsonObject;
  provider?: Record<string, JsonObject[]>;
  /** type -> name -> body */
  resource?: Record<string, Record<string, TerraformBody>>;
  /** type -> name -> body */
  data?: Record<string, Record<string, TerraformBody>>;
  output?: Record<string, JsonObject>;
  variable?: Record<string, JsonObject>;
  locals?: JsonObject;
  import?: JsonObject[];
  moved?: JsonObject[];
  /** `removed` blocks (Terraform >= 1.7): `from` and a `lifecycle`. */
  removed?: JsonObject[];
  check?: Record<string, JsonObject>;
  [key: string]: Json | undefined;
}

/** The bodies of every resource of one type, by name ({} when there is none). */
export function resourcesOf(tf: TerraformConfig, type: string): Record<string, TerraformBody> {
  return tf.resource?.[type] ?? {};
}

/** Every managed resource of a synthesized stack as [type, name, body]. */
export function allResources(tf: TerraformConfig): [string, string, TerraformBody][] {
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]): [string, string, TerraformBody] => [type, name, body]),
  );
}

/** A Terraform plan action. */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/** One entry of a plan's `resource_changes`. */
export interface PlanResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  action_reason?: string;
  change: {
    actions: PlanAction[];
    before: Json;
    after: Json;
    after_unknown?: Json;
    before_sensitive?: Json;
    after_sensitive?: Json;
    replace_paths?: Json[];
    importing?: JsonObject;
  };
}

/** One resource in `planned_values` or a state's `values`. */
export interface PlanResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  schema_version?: number;
  values: JsonObject;
  sensitive_values?: Json;
}

/** A module in `planned_values` or a state's `values`. */
export interface PlanModule {
  address?: string;
  resources?: PlanResource[];
  child_modules?: PlanModule[];
}

/** `terraform show -json` of a saved plan. */
export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  resource_changes?: PlanResourceChange[];
  resource_drift?: PlanResourceChange[];
  planned_values?: { root_module?: PlanModule; outputs?: JsonObject };
  prior_state?: { values?: { root_module?: PlanModule; outputs?: JsonObject } };
  output_changes?: Record<string, { actions: PlanAction[]; before: Json; after: Json; after_unknown?: Json }>;
  configuration?: JsonObject;
  errored?: boolean;
}

/** An IAM policy statement (identity, resource, trust, SCP and RCP documents alike). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** The statements of a policy document given as an object or a JSON string (none when it is neither). */
export function statementsOf(doc: unknown): PolicyStatement[] {
  let d = doc;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return [];
    }
  }
  const s = asObject(d).Statement;
  if (Array.isArray(s)) return s as unknown as PolicyStatement[];
  return isObject(s) ? [s as unknown as PolicyStatement] : [];
}
