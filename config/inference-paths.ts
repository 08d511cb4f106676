/**
 * organizationPolicies.loggedInferenceOnly and organizationPolicies.apiKeys, resolved: the allowMantle entries as
 * principal ARN patterns and bedrock-mantle model IDs, the accounts where bedrock-mantle is
 * allowed (their logging stacks watch that unlogged traffic: every account without the SCP), and the API-key settings with
 * their defaults. Every problem is a MatrixIssue naming the field, the value and what is allowed.
 */
import type { MatrixIssue } from './errors';
import type { Matrix } from './schema';

/** One allowMantle entry, resolved: principal ARN patterns (or "*", everyone) and bedrock-mantle model IDs (undefined: any). */
export interface MantleAllowance {
  principals: string[];
  models?: string[];
}

export type KeySetting = 'deny' | 'allow';
export interface ApiKeySettings {
  longTerm: KeySetting;
  shortTerm: KeySetting;
}
export const DEFAULT_API_KEYS: ApiKeySettings = { longTerm: 'deny', shortTerm: 'allow' };

export interface InferencePaths {
  loggedInferenceOnly?: { targetIds: string[]; allow: MantleAllowance[] };
  apiKeys?: { targetIds: string[]; settings: ApiKeySettings };
}

/** Where bedrock-mantle stays allowed, per account ID: the model IDs (undefined: any model). */
export type MantleAccounts = Map<string, { models?: string[] }>;

/**
 * Whether the loggedInferenceOnly SCP provably denies bedrock-mantle in an account (allowMantle aside).
 * Conservative: what cannot be proven from the matrix counts as allowed, and so is watched.
 * - Without the key, or without managementAccountId (no management stack deploys the SCP), nothing denies it.
 * - SCPs never apply to the management account (AWS Organizations user guide, "Service control policies").
 * - A target covers an account when it is the account's ID or the organization's root (r-...), which holds every
 *   member account. An OU target (ou-...) is no proof: the matrix does not record which OU an account is in.
 */
export function mantleDenied(matrix: Matrix, accountId: string): boolean {
  const lio = matrix.organizationPolicies?.loggedInferenceOnly;
  if (!lio || !matrix.managementAccountId || accountId === matrix.managementAccountId) return false;
  return lio.targetIds.some((t) => t === accountId || t.startsWith('r-'));
}

/** The account segment of an IAM ARN. */
const accountOf = (arn: string) => arn.split(':')[4];

export function resolveInferencePaths(matrix: Matrix, issues: MatrixIssue[]): { paths: InferencePaths; mantleAccounts: MantleAccounts } {
  const g = matrix.organizationPolicies ?? {};
  const paths: InferencePaths = {};
  const mantleAccounts: MantleAccounts = new Map();
  const base = 'organizationPolicies.loggedInferenceOnly';
  const accountIds = matrix.accounts.map((a) => a.id);
  const known = matrix.accounts.flatMap((a) => [a.id, ...(a.name ? [a.name] : [])]);
  const idOf = (v: string) => matrix.accounts.find((a) => a.id === v || a.name === v)?.id;
  const models = matrix.models ?? [];
  const grant = (id: string, m: string[] | undefined) => {
    const prev = mantleAccounts.get(id);
    // Several reasons for one account: the monitoring shows any model one of them allows (undefined: any model).
    const models = !m || (prev && !prev.models) ? undefined : [...new Set([...(prev?.models ?? []), ...m])].sort();
    mantleAccounts.set(id, { models });
  };

  if (g.loggedInferenceOnly) {
    const lio = g.loggedInferenceOnly;
    const allow: MantleAllowance[] = [];
    (lio.allowMantle ?? []).forEach((e, ei) => {
      const at = `${base}.allowMantle[${ei}]`;
      const accounts: string[] = [];
      (e.accounts ?? []).forEach((a, ai) => {
        const id = idOf(a);
        if (id) accounts.push(id);
        else issues.push({ path: `${at}.accounts[${ai}]`, value: a, allowed: `an account ID or name of the matrix: ${known.join(', ')}` });
      });
      const ids: string[] = [];
      (e.models ?? []).forEach((alias, mi) => {
        const m = models.find((x) => x.alias === alias);
        if (!m)
          issues.push({
            path: `${at}.models[${mi}]`,
            value: alias,
            allowed: models.length
              ? `a model alias defined in models: ${models.map((x) => x.alias).join(', ')}`
              : 'a model alias defined in models (there are none)',
          });
        else if (!m.mantleId)
          issues.push({
            path: `${at}.models[${mi}]`,
            value: alias,
            allowed: `a model whose entry in models has a mantleId (its bedrock-mantle model ID, the value of bedrock-mantle:Model); models.${alias} has none`,
          });
        else ids.push(m.mantleId);
      });
      const roles = e.roleArns ?? [];
      let principals: string[];
      if (e.accounts && e.roleArns) {
        principals = [];
        roles.forEach((r, ri) => {
          const acct = accountOf(r);
          if (acct === '*') principals.push(...accounts.map((a) => r.replace(/^(arn:[^:]+:iam::)\*:/, `$1${a}:`)));
          else if (accounts.includes(acct)) principals.push(r);
          else
            issues.push({
              path: `${at}.roleArns[${ri}]`,
              value: r,
              allowed: `a role of an account the entry lists (${e.accounts!.join(', ')}), or account "*"`,
            });
        });
      } else if (e.accounts) principals = accounts.map((a) => `arn:aws:iam::${a}:*`);
      else if (e.roleArns) principals = [...roles];
      else principals = ['*'];
      if (!e.models && principals.includes('*'))
        issues.push({
          path: at,
          value: e,
          allowed:
            'accounts, roleArns or models: an entry without any allows every principal every model, and the SCP would deny nothing (remove loggedInferenceOnly instead)',
        });
      allow.push({ principals: [...new Set(principals)].sort(), models: e.models ? ids : undefined });
      // The accounts whose logging stacks watch bedrock-mantle.
      const reach = e.accounts
        ? accounts
        : e.roleArns
          ? roles.some((r) => accountOf(r) === '*')
            ? accountIds
            : roles.map(accountOf).filter((a) => accountIds.includes(a))
          : accountIds;
      for (const id of reach) grant(id, e.models ? ids : undefined);
    });
    paths.loggedInferenceOnly = { targetIds: lio.targetIds, allow };
  }

  // bedrock-mantle is open in every account the SCP does not provably cover, and those are watched too.
  for (const id of accountIds) if (!mantleDenied(matrix, id)) grant(id, undefined);

  if (g.apiKeys) {
    const settings: ApiKeySettings = {
      longTerm: g.apiKeys.longTerm ?? DEFAULT_API_KEYS.longTerm,
      shortTerm: g.apiKeys.shortTerm ?? DEFAULT_API_KEYS.shortTerm,
    };
    if (settings.longTerm === 'allow' && settings.shortTerm === 'allow')
      issues.push({
        path: 'organizationPolicies.apiKeys',
        value: g.apiKeys,
        allowed:
          'longTerm or shortTerm "deny" (default longTerm "deny"): with both "allow" the SCP would deny nothing (remove apiKeys instead)',
      });
    paths.apiKeys = { targetIds: g.apiKeys.targetIds, settings };
  }
  return { paths, mantleAccounts };
}
