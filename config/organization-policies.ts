/**
 * The organization policies of the matrix (key `organizationPolicies`, formerly `guardrails`): the SCPs that
 * protect the logging chain, the data-perimeter RCP and the tenant tag policy,
 * all deployed by the management stack.
 */
import { z } from 'zod';
import * as rules from './rules';

const targets = z
  .array(z.string().regex(rules.ORG_TARGET, 'an AWS Organizations target: the root (r-...), an OU (ou-...-...) or an account ID'))
  .min(1, 'at least one target');

export const OrganizationPolicies = z
  .object({
    /**
     * SCPs that deny weakening any link of the logging chain (logging configuration, bucket,
     * log objects, keys, log group, logging role, delivery alarms) to everyone but the deploy
     * role and the break-glass roles (docs/tamper-proofing.md).
     */
    protectLoggingScp: z
      .object({
        targetIds: targets,
        /** Roles that may change the chain in an emergency, e.g. arn:aws:iam::*:role/BreakGlass. */
        breakGlassRoleArns: z
          .array(
            z
              .string()
              .regex(
                rules.BREAK_GLASS_ROLE_ARN,
                'an IAM role ARN such as arn:aws:iam::*:role/BreakGlass (account ID or *, no wildcard in the partition)',
              ),
          )
          .min(1, 'at least one role ARN (or leave the key out)')
          .optional(),
        /**
         * The account factory's role (e.g. arn:aws:iam::*:role/AWSControlTowerExecution) that creates the
         * deploy role and the break-glass roles in a new account: exempt only for creating them and giving
         * them their policies (docs/tamper-proofing.md, "A new account"). Without deployment.bootstrap it is
         * required (checks/scp-vending.ts): nobody else could create the deploy role in an account that joins a target later.
         */
        accountVendingRoleArns: z
          .array(
            z
              .string()
              .regex(
                rules.BREAK_GLASS_ROLE_ARN,
                'an IAM role ARN such as arn:aws:iam::*:role/AWSControlTowerExecution (account ID or *, no wildcard in the partition)',
              ),
          )
          .min(1, 'at least one role ARN (or leave the key out)')
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * Resource control policy on the log buckets and keys: principals outside the
     * organization are denied; AWS services acting for the organization keep working.
     */
    dataPerimeterRcp: z
      .object({
        targetIds: targets,
        /** The organization's ID (o-...), for aws:PrincipalOrgID: known offline, unlike a data source. */
        organizationId: z.string().regex(rules.ORGANIZATION_ID, 'an AWS Organizations ID such as o-a1b2c3d4e5'),
      })
      .strict()
      .optional(),
    /** Tag policy that enforces the tenant tag key on inference profiles. */
    tenantTagPolicy: z
      .object({
        targetIds: targets,
        /** Resource types the policy enforces the key on. */
        enforcedFor: z
          .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9_*-]+$/, 'a resource type such as bedrock:application-inference-profile'))
          .min(1)
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * SCP that denies inference through the unlogged bedrock-mantle endpoint (OpenAI Responses and
     * Chat Completions, Anthropic Messages), except for the principals and models allowMantle names
     * (policies/inference-path-policies.ts, docs/model-access-paths.md).
     */
    loggedInferenceOnly: z
      .object({
        targetIds: targets,
        /**
         * Who may still call bedrock-mantle, and with which models: each entry allows the principals of
         * its accounts (IDs or names of the matrix) and/or its roles; with models, only those (aliases of
         * `models`, each with a mantleId). Traffic there is not in the invocation logs.
         */
        allowMantle: z
          .array(
            z
              .object({
                accounts: z.array(z.string().min(1)).min(1, 'at least one account ID or name (or leave the key out)').optional(),
                roleArns: z
                  .array(
                    z
                      .string()
                      .regex(
                        rules.BREAK_GLASS_ROLE_ARN,
                        'an IAM role ARN such as arn:aws:iam::111111111111:role/Chatbot (account ID or *, no wildcard in the partition)',
                      ),
                  )
                  .min(1, 'at least one role ARN (or leave the key out)')
                  .optional(),
                models: z.array(z.string().min(1)).min(1, 'at least one model alias (or leave the key out for any model)').optional(),
              })
              .strict(),
          )
          .min(1, 'at least one entry (or leave the key out)')
          .optional(),
        /** Alarm threshold: bedrock-mantle inferences per hour in an allowed account and region. Default 0 (any). */
        unloggedInferencesPerHour: z.number().int().nonnegative('a whole number of inferences, 0 or more').optional(),
      })
      .strict()
      .optional(),
    /**
     * Approved models: one SCP per entry that denies invoking any model outside its list (directly,
     * through a system-defined cross-region profile, in batch, as provisioned throughput; and on
     * bedrock-mantle where loggedInferenceOnly exists), to everyone but the exempt roles of the
     * logging-chain SCP (policies/approved-model-policies.ts, docs/model-governance.md).
     */
    approvedModels: z
      .array(
        z
          .object({
            targetIds: targets,
            /** Aliases of `models`. Default: every model of the matrix. */
            models: z
              .array(z.string().min(1))
              .min(1, 'at least one model alias (or leave the key out for every model of the matrix)')
              .optional(),
          })
          .strict(),
      )
      .min(1, 'at least one entry (or leave the key out)')
      .optional(),
    /**
     * Require the private path: an SCP that denies invoking models unless the request comes through one of
     * the matrix's VPCs (aws:SourceVpc of the `network` entries) or from an AWS service acting for the caller
     * (aws:ViaAWSService), to everyone but the exempt roles (policies/private-network-policies.ts,
     * docs/model-governance.md). Needs at least one `network` in the matrix.
     */
    requirePrivateNetwork: z.object({ targetIds: targets }).strict().optional(),
    /**
     * SCP on Amazon Bedrock API keys: long-term keys are IAM service-specific credentials, short-term keys
     * are presigned from a session; both authorize CallWithBearerToken. Defaults: longTerm deny, shortTerm allow.
     */
    apiKeys: z
      .object({
        targetIds: targets,
        longTerm: z.enum(['deny', 'allow']).optional(),
        shortTerm: z.enum(['deny', 'allow']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type OrganizationPolicies = z.infer<typeof OrganizationPolicies>;
