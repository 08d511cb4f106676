/**
 * Model evaluation resources of a logging stack (matrix, account or region key
 * `evaluation`): a bucket for datasets and results and the service role that
 * Bedrock evaluation jobs assume (stacks/evaluation.ts, docs/evaluation.md).
 * A region entry overrides its account, which overrides the matrix; `false`
 * switches evaluation off below a level that switched it on.
 */
import { z } from 'zod';
import { slug } from './fields';

export const DEFAULT_EVALUATION_EXPIRATION_DAYS = 90;

export const Evaluation = z.union([
  z.literal(false),
  z
    .object({
      /** Aliases of `models` the evaluation role may invoke as judge (evaluator) models. */
      judgeModels: z.array(slug('a model alias')).min(1, 'at least one model alias').optional(),
      /** Days after which datasets and results expire from the bucket (default 90). */
      expirationDays: z.number().int().positive('a positive whole number of days').optional(),
    })
    .strict(),
]);
export type Evaluation = z.infer<typeof Evaluation>;

/** The evaluation options of one stack, merged matrix < account < region; undefined when off. */
export function mergeEvaluation(...layers: (Evaluation | undefined)[]): { judgeModels?: string[]; expirationDays?: number } | undefined {
  let merged: { judgeModels?: string[]; expirationDays?: number } | undefined;
  for (const layer of layers) {
    if (layer === undefined) continue;
    merged = layer === false ? undefined : { ...merged, ...layer };
  }
  return merged;
}
