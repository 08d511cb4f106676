import { Rule } from '../rule';

/** Logs kept at least a year, for audits and cost attribution across a fiscal year. */
export const logGroupRetention: Rule = {
  id: 'CKV_AWS_338',
  standards: ['CKV_AWS_338'],
  title: 'CloudWatch log groups keep logs for at least 365 days',
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(group) {
    const days = group.attrs.retention_in_days;
    // 0 or unset means "never expire".
    return days === undefined || days === 0 || Number(days) >= 365 ? undefined : `retention_in_days is ${days}, less than 365`;
  },
};
