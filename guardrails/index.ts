/**
 * The guardrail rules (one per file in rules/, each naming the standards it
 * enforces) and how they run: every stack of the app carries a cdktf validation
 * that checks its synthesized resources against every rule before anything is
 * written, and fails the synth with a GuardrailError that lists each violation.
 * A construct opts out of one rule only with suppress(), which needs a written
 * reason; the README lists every suppression the app makes.
 */
import { TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';
import { cdktfResolve } from '../synth/resolve';
import { GuardrailError } from './error';
import { Rule, StackResources, TfResource, refTo } from './rule';
import { iamNoServiceWildcards } from './rules/iam-no-service-wildcards';
import { iamTrustSpecificPrincipals } from './rules/iam-trust-specific-principals';
import { kmsDeletionProtection } from './rules/kms-deletion-protection';
import { kmsRotation } from './rules/kms-rotation';
import { logGroupKms } from './rules/log-group-kms';
import { logGroupRetention } from './rules/log-group-retention';
import { s3AclsDisabled } from './rules/s3-acls-disabled';
import { s3KmsEncryption } from './rules/s3-kms-encryption';
import { s3PublicAccessBlock } from './rules/s3-public-access-block';
import { s3SslOnly } from './rules/s3-ssl-only';
import { s3Versioning } from './rules/s3-versioning';

export { GuardrailError } from './error';

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
];

/** Resource types the rules read: the ones they check and the ones they relate to them. */
const TYPES = new Set([
  ...RULES.flatMap((r) => r.resourceTypes),
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy',
]);

export interface Suppression {
  rule: string;
  reason: string;
}

const suppressions = new WeakMap<IConstruct, Suppression[]>();

/** Exempts one resource from one rule. The reason is part of the code review, and of the README. */
export function suppress(resource: TerraformResource, rule: string, reason: string): void {
  if (!RULES.some((r) => r.id === rule)) throw new Error(`suppress: no guardrail rule ${rule}; rules: ${RULES.map((r) => r.id).join(', ')}`);
  if (reason.trim().length < 20) throw new Error(`suppress: ${rule} on ${resource.node.path} needs a written reason (at least 20 characters)`);
  suppressions.set(resource, [...(suppressions.get(resource) ?? []), { rule, reason }]);
}

export function suppressionsOf(resource: IConstruct): Suppression[] {
  return suppressions.get(resource) ?? [];
}

export interface Violation {
  rule: Rule;
  resource: string;
  problem: string;
}

/** Checks resources (as Terraform sees them) against every rule; `suppressed` says which rules a resource is exempt from. */
export function checkResources(resources: TfResource[], suppressed: (r: TfResource) => string[] = () => []): Violation[] {
  const stack: StackResources = {
    referring: (type, attr, target) => {
      const refs = [refTo(target, 'id'), refTo(target, 'bucket'), target.attrs.bucket].filter(Boolean);
      return resources.filter((r) => r.type === type && refs.includes(r.attrs[attr]));
    },
  };
  const out: Violation[] = [];
  for (const rule of RULES)
    for (const r of resources) {
      if (!rule.resourceTypes.includes(r.type) || suppressed(r).includes(rule.id)) continue;
      const problem = rule.check(r, stack);
      if (problem) out.push({ rule, resource: `${r.type}.${r.name}`, problem });
    }
  return out;
}

/** How the validation gets a resource's Terraform JSON: resolved as cdktf resolves it for synthesis. */
export type ElementResolver = (element: TerraformResource) => any;

/** The resources of a stack that the rules read, resolved as they will be synthesized. */
export function stackResources(
  stack: TerraformStack,
  resolve: ElementResolver = (e) => cdktfResolve(stack, e.toTerraform()),
): { resource: TfResource; construct: TerraformResource }[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && TYPES.has(c.terraformResourceType))
    .map((construct) => {
      const tf = resolve(construct);
      const [[type, byName]] = Object.entries<Record<string, any>>(tf.resource);
      const [[name, attrs]] = Object.entries(byName);
      return { construct, resource: { type, name, attrs } };
    });
}

export function checkStack(stack: TerraformStack, resolve?: ElementResolver): Violation[] {
  const found = stackResources(stack, resolve);
  const exempt = new Map(found.map((f) => [f.resource, suppressionsOf(f.construct).map((s) => s.rule)]));
  return checkResources(
    found.map((f) => f.resource),
    (r) => exempt.get(r)!,
  );
}

/** The message of a GuardrailError: each violation with its rule, standards, resource and problem. */
export function formatViolations(stackName: string, violations: Violation[]): string {
  const lines = violations.map((v) => `  - ${v.rule.id} (${v.rule.standards.join(', ')}) ${v.resource}: ${v.problem}. Rule: ${v.rule.title}`);
  return `Guardrails failed for stack ${stackName}: ${violations.length} violation${violations.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

/** The cdktf validation every stack carries. */
export class GuardrailValidation implements IValidation {
  /** `resolve` lets the stack share the resolved JSON with its own synthesis (see GovernanceStack). */
  constructor(
    private readonly stack: TerraformStack,
    private readonly resolve?: ElementResolver,
  ) {}

  validate(): string[] {
    const violations = checkStack(this.stack, this.resolve);
    // Thrown rather than returned, so the error keeps its type (and reaches main.ts as a GuardrailError).
    if (violations.length) throw new GuardrailError(formatViolations(this.stack.node.id, violations));
    return [];
  }
}
