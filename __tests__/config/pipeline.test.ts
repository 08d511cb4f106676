/**
 * Every problem at once (issue 23, item 12): a matrix that fails the schema also gets
 * its cross-field problems reported in the same run, wherever the fields a check
 * reads are valid, and never a problem that a field left out could change.
 */
import { MatrixError, type MatrixIssue } from '../../config/errors';
import { validateMatrix } from '../../config/load';
import { partialIssues } from '../../config/pipeline';
import { Matrix } from '../../config/schema';

const HAIKU = { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' };

function problems(input: unknown): MatrixIssue[] {
  try {
    validateMatrix(input, 'test');
  } catch (e) {
    if (e instanceof MatrixError) return e.issues;
    throw e;
  }
  return [];
}
const lines = (issues: MatrixIssue[]) => issues.map((i) => `${i.path} ${i.found ?? JSON.stringify(i.value)}`);

test('an unknown key, a bad account ID and an undefined model alias: three problems in one run', () => {
  const matrix = {
    notes: 'pilot landing zone',
    accounts: [{ id: '11111111111', regions: ['us-east-1'] }],
    models: [HAIKU],
    tenants: [{ id: 'acme', models: ['sonnet'] }],
  };
  const issues = problems(matrix);
  expect(lines(issues)).toEqual(['accounts[0].id "11111111111"', 'notes unknown key', 'tenants[0].models[0] "sonnet"']);
  expect(issues[2].allowed).toBe('a model alias defined in models: haiku');
});

test('with the schema problems fixed, the next run finds nothing the first did not', () => {
  const fixed = {
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
    models: [HAIKU],
    tenants: [{ id: 'acme', models: ['sonnet'] }],
  };
  expect(lines(problems(fixed))).toEqual(['tenants[0].models[0] "sonnet"']);
});

test('a check that reads a field with a schema problem is not run on it: no false "unknown account" for a tenant placed on a malformed account', () => {
  const matrix = {
    accounts: [{ id: '111111111111', name: 'Genai-Prod', regions: ['us-east-1'] }],
    models: [HAIKU],
    tenants: [{ id: 'acme', models: ['haiku', 'sonnet'], placement: { accounts: ['Genai-Prod'] } }],
  };
  expect(lines(problems(matrix))).toEqual(['accounts[0].name "Genai-Prod"', 'tenants[0].models[1] "sonnet"']);
});

test('a misspelt top-level key leaves out the field it was meant to be: no "not a tenant" problems because "tenant" was meant as "tenants"', () => {
  const matrix = {
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
    tenant: [{ id: 'acme' }],
    analytics: { alarms: { tenantDailyTokens: { acme: 1000 } } },
  };
  expect(lines(problems(matrix))).toEqual(['tenant unknown key']);
});

test('checks that need the resolved stacks run when the fields the resolution reads are valid', () => {
  // The unknown key is in costAnomalyMonitor; the profile quota needs the resolved stacks of accounts, models and tenants.
  const matrix = {
    profileQuotaPerRegion: 1,
    costAnomalyMonitor: { thresholdUsd: 10, emails: ['finops@example.com'], email: 'x' },
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
    models: [HAIKU, { alias: 'haiku2', source: 'anthropic.claude-3-5-haiku-20241022-v1:0' }],
    tenants: [{ id: 'acme', models: ['haiku', 'haiku2'] }],
  };
  const issues = problems(matrix);
  expect(lines(issues)[0]).toBe('costAnomalyMonitor.email unknown key');
  expect(issues.map((i) => i.allowed).join('\n')).toContain('profileQuotaPerRegion');
});

test('and do not run when the resolution read a field that failed: a bad logging option hides the per-stack checks', () => {
  const matrix = {
    profileQuotaPerRegion: 1,
    logging: { logRetentionDays: 2 },
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
    models: [HAIKU, { alias: 'haiku2', source: 'anthropic.claude-3-5-haiku-20241022-v1:0' }],
    tenants: [{ id: 'acme', models: ['haiku', 'haiku2', 'sonnet'] }],
  };
  expect(lines(problems(matrix))).toEqual(['logging.logRetentionDays 2', 'tenants[0].models[2] "sonnet"']);
});

test('partialIssues records reads: a check that reads a left-out field counts nothing (even to say it is missing), the others count', () => {
  const input = { accounts: 'not a list', tenants: [{ id: 'acme' }] };
  const parsed = Matrix.safeParse(input);
  expect(parsed.success).toBe(false);
  const readsNothing = () => [{ path: 'constant', allowed: 'shown' }];
  const readsTenants = ({ matrix }: { matrix: Matrix }) =>
    (matrix.tenants ?? []).map((t) => ({ path: `tenant ${t.id}`, allowed: 'shown' }));
  const touchesAccounts = ({ matrix }: { matrix: Matrix }) => (matrix.accounts ? [] : [{ path: 'no accounts', allowed: 'never shown' }]);
  expect(partialIssues(input, parsed.error!, [readsNothing, readsTenants, touchesAccounts]).map((i) => i.path)).toEqual([
    'constant',
    'tenant acme',
  ]);
});
