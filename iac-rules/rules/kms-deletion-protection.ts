import { Rule, block } from '../rule';

/** Deleting the key destroys every log it encrypted: Terraform must refuse, and AWS must wait the longest window. */
export const kmsDeletionProtection: Rule = {
  id: 'KMS.3',
  standards: ['Security Hub KMS.3'],
  title: 'KMS keys cannot be deleted unintentionally (prevent_destroy, 30-day deletion window)',
  resourceTypes: ['aws_kms_key'],
  check(key) {
    const problems: string[] = [];
    if (block(key.attrs.lifecycle)?.prevent_destroy !== true) problems.push('lifecycle.prevent_destroy is not true');
    if (key.attrs.deletion_window_in_days !== undefined && Number(key.attrs.deletion_window_in_days) < 30)
      problems.push(`deletion_window_in_days is ${key.attrs.deletion_window_in_days}, not 30`);
    return problems.length ? problems.join('; ') : undefined;
  },
};
