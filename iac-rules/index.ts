/**
 * The IaC rules (one per file in rules/, each naming the standards it
 * enforces) and how they run: every stack of the app carries a cdktf validation
 * that checks its synthesized resources against every rule before anything is
 * written, and fails the synth with an IacRuleError that lists each violation.
 * A construct opts out of one rule only with suppress(), which needs a written
 * reason and writes the suppression into the resource's "//" block of cdk.tf.json
 * (as cdk-nag writes `cdk_nag.rules_to_suppress` into a CloudFormation resource's
 * Metadata). The rules read suppressions from there and nowhere else, so the output
 * is the one record of them, and `npm run iac-rules` (report.ts) lists them from it.
 */
import { TerraformResource, TerraformStack } from 'cdktf';
import { IValidation } from 'constructs';
import { ElementJson, resolveElement } from '../synth/resolve';
import { IacRuleError } from './error';
import { Rule, StackResources, TfResource, field, refTo } from './rule';
import { iamNoServiceWildcards } from './rules/iam-no-service-wildcards';
import { iamTrustSpecificPrincipals } from './rules/iam-trust-specific-principals';
import { kmsDeletionProtection } from './rules/kms-deletion-protection';
import { kmsRotation } from './rules/kms-rotation';
import { logGroupKms } from './rules/log-group-kms';
import { logGroupRetention } from './rules/log-group-retention';
import { mantleUnloggedAlarm } from './rules/mantle-unlogged-alarm';
import { oamSinkPolicyOrgOnly } from './rules/oam-sink-policy-org-only';
import { orgPolicySize } from './rules/org-policy-size';
import { s3AclsDisabled } from './rules/s3-acls-disabled';
import { s3KmsEncryption } from './rules/s3-kms-encryption';
import { s3PublicAccessBlock } from './rules/s3-public-access-block';
import { s3SslOnly } from './rules/s3-ssl-only';
import { s3Versioning } from './rules/s3-versioning';
import { sgNoOpenIngress } from './rules/sg-no-open-ingress';
import { vpcEndpointPolicy } from './rules/vpc-endpoint-policy';

export { IacRuleError } from './error';

export const RULES: readonly Rule[] = [
  s3PublicAccessBlock,
  s3AclsDisabled,
  s3KmsEncryption,
  s3SslOnly,
  s3Versioning,
  kmsRotation,
  kmsDeletionProtection,
  logGroupKms,
  logGroupRetention,
  iamTrustSpecificPrincipals,
  iamNoServiceWildcards,
  orgPolicySize,
  mantleUnloggedAlarm,
  oamSinkPolicyOrgOnly,
  vpcEndpointPolicy,
  sgNoOpenIngress,
];

/** Resource types the rules read: the ones they check and the ones they relate to them. */
const TYPES = new Set([
  ...RULES.flatMap((r) => r.resourceTypes),
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy',
  'aws_cloudwatch_metric_alarm',
]);

/** One suppression, as written in the output: the rule's ID and why the resource is exempt (cdk-nag's shape). */
export interface Suppression {
  id: string;
  reason: string;
}

/**
 * Where a suppression is written: `"//": {"guardrails": {"rules_to_suppress": [...]}}`
 * on the resource in cdk.tf.json. Terraform ignores "//" properties in JSON
 * configuration (they are comments), and cdktf writes its own construct metadata
 * there too (`"//": {"metadata": {"path", "uniqueId"}}`). The key keeps the name it had
 * before the IaC checks were renamed from "guardrails" (issue 27): it is part of the
 * synthesized output, which stays byte-identical, and of the suppressions that existing
 * outputs (a pull request's base branch) carry.
 */
export const SUPPRESSIONS_KEY = 'guardrails';

/** The suppressions written on each resource so far, to append to: the rules never read this, only the output. */
const written = new WeakMap<TerraformResource, Suppression[]>();

/**
 * Exempts one resource from one rule, with the reason. The suppression becomes part
 * of the resource's synthesized JSON (through cdktf's public addOverride, so both the
 * synth/ path and stock cdktf write it; cdktf also lists the override in the stack's
 * "//" metadata), and it exempts the resource only because it is there.
 */
export function suppress(resource: TerraformResource, rule: string, reason: string): void {
  const problem = suppressionProblem({ id: rule, reason });
  if (problem) throw new Error(`suppress: ${rule} on ${resource.node.path} ${problem}`);
  const checked = RULES.find((r) => r.id === rule)!.resourceTypes;
  // A suppression of a rule that never checks this type would exempt nothing and mislead the report.
  if (!checked.includes(resource.terraformResourceType))
    throw new Error(
      `suppress: ${rule} on ${resource.node.path} (${resource.terraformResourceType}) exempts nothing: the rule checks only ${checked.join(', ')}`,
    );
  const list = [...(written.get(resource) ?? []), { id: rule, reason }];
  written.set(resource, list);
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.rules_to_suppress`, list);
}

/** What is wrong with a suppression (an unknown rule, a reason under 20 characters), or undefined: for suppress() and for a written output alike. */
export function suppressionProblem(s: { id: unknown; reason: unknown }): string | undefined {
  if (!RULES.some((r) => r.id === s.id)) return `names no IaC rule (${JSON.stringify(s.id)}); rules: ${RULES.map((r) => r.id).join(', ')}`;
  if (typeof s.reason !== 'string' || s.reason.trim().length < 20) return 'needs a written reason (at least 20 characters)';
  return undefined;
}

/** Every entry of a resource's `"//".guardrails.rules_to_suppress` in its synthesized JSON, as written (valid or not). */
export function writtenSuppressions(resource: TfResource): { id: unknown; reason: unknown }[] {
  const list = field(resource.attrs['//'], SUPPRESSIONS_KEY, 'rules_to_suppress');
  if (list === undefined) return [];
  return (Array.isArray(list) ? list : [list]).map((s) => ({ id: field(s, 'id'), reason: field(s, 'reason') }));
}

/**
 * The suppressions that exempt a resource: those in its synthesized JSON ("//"),
 * the only place the rules look, that name a rule and give a reason. A malformed
 * one exempts nothing (and `npm run iac-rules` reports it).
 */
export function suppressionsOf(resource: TfResource): Suppression[] {
  return writtenSuppressions(resource).filter((s): s is Suppression => suppressionProblem(s) === undefined);
}

export interface Violation {
  rule: Rule;
  resource: string;
  problem: string;
}

/**
 * Checks resources (as Terraform sees them: a stack's resolved elements, or the
 * parsed cdk.tf.json) against every rule. A resource is exempt from a rule only
 * where its own JSON carries the suppression (suppressionsOf).
 */
export function checkResources(resources: TfResource[]): Violation[] {
  const stack: StackResources = {
    referring: (type, attr, target) => {
      const refs = [refTo(target, 'id'), refTo(target, 'bucket'), target.attrs.bucket].filter(Boolean);
      return resources.filter((r) => r.type === type && refs.includes(r.attrs[attr]));
    },
    ofType: (type) => resources.filter((r) => r.type === type),
  };
  const out: Violation[] = [];
  for (const rule of RULES)
    for (const r of resources) {
      if (!rule.resourceTypes.includes(r.type) || suppressionsOf(r).some((s) => s.id === rule.id)) continue;
      const problem = rule.check(r, stack);
      if (problem) out.push({ rule, resource: `${r.type}.${r.name}`, problem });
    }
  return out;
}

/** The part of a synthesized stack (a parsed cdk.tf.json) the rules read: type -> name -> body. */
export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** The resources of a synthesized stack (a parsed cdk.tf.json), as the rules read them. */
export function resourcesOf(tf: StackJson): TfResource[] {
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, attrs]) => ({ type, name, attrs })),
  );
}

/** How the validation gets a resource's Terraform JSON: resolved as cdktf resolves it for synthesis. */
export type ElementResolver = (element: TerraformResource) => ElementJson;

/** The resources of a stack that the rules read, resolved as they will be synthesized. */
export function stackResources(
  stack: TerraformStack,
  resolve: ElementResolver = (e) => resolveElement(stack, e),
): { resource: TfResource; construct: TerraformResource }[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && TYPES.has(c.terraformResourceType))
    .map((construct) => {
      const tf = resolve(construct);
      const [[type, byName]] = Object.entries(tf.resource ?? {});
      const [[name, attrs]] = Object.entries(byName);
      return { construct, resource: { type, name, attrs } };
    });
}

export function checkStack(stack: TerraformStack, resolve?: ElementResolver): Violation[] {
  return checkResources(stackResources(stack, resolve).map((f) => f.resource));
}

/** The message of an IacRuleError: each violation with its rule, standards, resource and problem. */
export function formatViolations(stackName: string, violations: Violation[]): string {
  const lines = violations.map(
    (v) => `  - ${v.rule.id} (${v.rule.standards.join(', ')}) ${v.resource}: ${v.problem}. Rule: ${v.rule.title}`,
  );
  return `IaC rules failed for stack ${stackName}: ${violations.length} violation${violations.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

/** The cdktf validation every stack carries. */
export class IacRuleValidation implements IValidation {
  /** `resolve` lets the stack share the resolved JSON with its own synthesis (see GovernanceStack). */
  constructor(
    private readonly stack: TerraformStack,
    private readonly resolve?: ElementResolver,
  ) {}

  validate(): string[] {
    const violations = checkStack(this.stack, this.resolve);
    // Thrown rather than returned, so the error keeps its type (and reaches main.ts as an IacRuleError).
    if (violations.length) throw new IacRuleError(formatViolations(this.stack.node.id, violations));
    return [];
  }
}
