/** The README's matrix samples stay valid: docs that users copy must work. */
import * as fs from 'fs';
import * as path from 'path';
import { parseMatrixText, validateMatrix } from '../../config/load';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const blocks = (lang: string) => [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

test('the interface sample (JSON) is a valid matrix as it stands', () => {
  const sample = blocks('json').find((b) => b.includes('"managementAccountId"'))!;
  expect(validateMatrix(JSON.parse(sample), 'README').stacks).toHaveLength(2);
});

test('the tenants sample (YAML) is valid with an accounts list', () => {
  const sample = blocks('yaml').find((b) => b.includes('tenants:'))!;
  const m = parseMatrixText(`accounts:\n  - { id: '111111111111', environment: prod, regions: [us-east-1] }\n${sample}`, 'README.yaml');
  expect(validateMatrix(m, 'README').stacks[0].profiles.map((p) => p.name)).toEqual(['acme-haiku', 'acme-sonnet']);
});

test('the guardrails sample (YAML) is valid with a management account', () => {
  const sample = blocks('yaml').find((b) => b.includes('guardrails:'))!;
  const m = parseMatrixText(`managementAccountId: "999999999999"\naccounts: [{ id: '111111111111', regions: [us-east-1] }]\n${sample}`, 'README.yaml');
  expect(validateMatrix(m, 'README').management!.guardrails.protectLoggingScp!.targetIds).toEqual(['ou-abcd-11111111']);
});

test('the synth help in the README matches the app', () => {
  for (const flag of ['--environment dev', '--account genai-prod --region eu-west-1', 'SYNTH_ENVIRONMENTS=prod']) expect(readme).toContain(flag);
});

test('the review.json sample has the shape the review writes', () => {
  const sample = JSON.parse(blocks('json').find((b) => b.includes('"dangerous"'))!);
  const { classify } = require('../../review/diff');
  const before = { name: 'acme-haiku', description: 'd', model_source: [{ copy_from: 'a' }] };
  const change = classify('aws_bedrock_inference_profile.acme__haiku', before, { ...before, model_source: [{ copy_from: 'b' }] });
  expect(Object.keys(sample.stacks[0].changes[0]).sort()).toEqual(Object.keys(change).sort());
  expect(change.reason).toBe(sample.stacks[0].changes[0].reason);
});

test('the analytics sample (YAML) is valid with a tenant and a model, and switches what it says', () => {
  const sample = blocks('yaml').find((b) => b.includes('analytics:'))!;
  const m = parseMatrixText(
    `accounts: [{ id: '111111111111', regions: [us-east-1] }]\nmodels: [{ alias: haiku, source: anthropic.claude-3-haiku-20240307-v1:0 }]\ntenants: [{ id: acme, models: [haiku] }]\n${sample}`,
    'README.yaml',
  );
  const a = validateMatrix(m, 'README').stacks[0].analytics;
  expect(a).toMatchObject({ tenantKey: 'tenantId', extraDimension: 'useCase', athena: { bytesScannedCutoff: 10240 * 1024 * 1024 }, piiMasking: { dataIdentifiers: ['EmailAddress', 'IpAddress'] } });
  expect(a.quicksight).toEqual({ principalArn: 'arn:aws:quicksight:us-east-1:111111111111:group/default/finops' });
  expect(a.alarms!.tenantDailyTokens).toEqual({ acme: 5000000 });
});

test('the README has one exit-code table, and it lists exactly the codes of EXIT (tools/args.ts)', () => {
  const { EXIT } = require('../../tools/args');
  const tables = [...readme.matchAll(/^\| exit code \| `EXIT\.` \| meaning \|\n\|[-|]+\|\n((?:\|.*\|\n)+)/gm)];
  expect(tables).toHaveLength(1);
  const rows = tables[0][1]
    .trim()
    .split('\n')
    .map((r) => r.split('|').map((c) => c.trim()));
  expect(Object.fromEntries(rows.map((r) => [r[2].replace(/`/g, ''), Number(r[1])]))).toEqual(EXIT);
  // Every command of package.json is named in the paragraph above the table.
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts;
  const section = readme.slice(readme.indexOf('### Commands and exit codes'), tables[0].index);
  const commands = Object.keys(scripts).filter((s) => /\bnode dist\//.test(scripts[s]));
  for (const c of commands) expect([c, section.includes(`\`${c}\``) || section.includes(`npm run ${c}\``)]).toEqual([c, true]);
});
