/**
 * Field schemas that several parts of the matrix share: tags, account IDs,
 * regions, names and day counts. Each message says what is allowed.
 */
import { z } from 'zod';
import { regionProblem } from './regions';
import * as rules from './rules';

export const tagKey = z
  .string()
  .min(1, 'a tag key of 1-128 characters')
  .max(rules.TAG_KEY_MAX, 'a tag key of 1-128 characters')
  .regex(rules.TAG_CHARS, 'a tag key of letters, digits, spaces and _ . : / = + - @')
  .refine((k) => !k.toLowerCase().startsWith('aws:'), 'a tag key that does not start with the reserved prefix "aws:"');

export const tagValue = z
  .string()
  .max(rules.TAG_VALUE_MAX, 'a tag value of 0-256 characters')
  .regex(rules.TAG_CHARS, 'a tag value of letters, digits, spaces and _ . : / = + - @');

export const Tags = z
  .record(tagKey, tagValue)
  .refine((t) => Object.keys(t).length <= rules.TAGS_PER_RESOURCE_MAX, `at most ${rules.TAGS_PER_RESOURCE_MAX} tags`);

export const accountId = z
  .string({
    invalid_type_error: 'a 12-digit AWS account ID as a quoted string (unquoted, YAML and JSON read it as a number and drop leading zeros)',
  })
  .regex(rules.ACCOUNT_ID, 'a 12-digit AWS account ID, as a string');
/**
 * A region code AWS has, in a partition this project supports (config/regions.ts: the AWS SDK's
 * partition metadata, opt-in regions included), with a did-you-mean for a typo.
 */
export const region = z.string().superRefine((code, ctx) => {
  const problem = regionProblem(code);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
export const slug = (what: string) =>
  z.string().regex(rules.SLUG, `${what}: 1-32 lower-case letters, digits and hyphens, starting and ending with a letter or digit`);

export const retention = z
  .number()
  .refine(
    (d) => (rules.LOG_RETENTION_DAYS as readonly number[]).includes(d),
    `one of the retention periods CloudWatch allows: ${rules.LOG_RETENTION_DAYS.join(', ')}`,
  );

export const days = z.number().int('a whole number of days').min(1, 'at least 1 day');

export type Tags = z.infer<typeof Tags>;
