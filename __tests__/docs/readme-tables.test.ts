/**
 * README and docs/ passages that restate code, checked against it: the test tiers,
 * the bad-matrix fixture count, the backends and their template fields, the stack
 * names and physical names, docs/resource-types.md, and every `npm run` command with its options. (The logging options table:
 * __tests__/config/options-table.test.ts; the danger rules: __tests__/review/rules-table.test.ts;
 * the simulated policies: __tests__/policies/simulate.test.ts; the benchmarks: __tests__/tools/bench-doc.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { ZodTypeAny, z } from 'zod';
import { validateMatrix } from '../../config/load';
import { Backend, DEFAULT_STATE_KEY_TEMPLATE, DEFAULT_WORKSPACE_TEMPLATE } from '../../config/deployment';
import * as naming from '../../config/naming';
import * as rules from '../../config/rules';

const ROOT = path.join(__dirname, '..', '..');
/** The README and every page of docs/, as repository paths. */
const DOC_FILES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const readme = read('README.md');
const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;
/** The text of a README section, from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const level = heading.split(' ')[0];
  const next = readme.slice(start + heading.length + 2).search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? readme.slice(start) : readme.slice(start, start + heading.length + 2 + next);
}
/** The body rows of the first markdown table in a text, as cells. */
function tableRows(text: string): string[][] {
  return text
    .slice(text.indexOf('|---'))
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

test('the test-tier table names each jest project, its file pattern and the npm script that runs it alone', () => {
  const projects: { displayName: string; testMatch: string[]; testPathIgnorePatterns?: string[] }[] = require('../../jest.config.js').projects;
  const rows = tableRows(section('## Tests'));
  expect(rows.map((r) => r[0].replace(/`/g, ''))).toEqual(projects.map((p) => p.displayName));
  for (const [tier, files, , alone] of rows) {
    const project = projects.find((p) => p.displayName === tier.replace(/`/g, ''))!;
    expect(project.testMatch).toEqual([`**/${files.replace(/`/g, '')}`]);
    const script = /`npm run ([\w:-]+)`/.exec(alone)![1];
    expect(scripts[script]).toContain(`--selectProjects ${project.displayName}`);
  }
});

test('the number of malformed matrix files the README gives is the number in the fixtures folder', () => {
  const n = fs.readdirSync(path.join(ROOT, '__tests__', 'fixtures', 'bad-matrices')).length;
  expect(readme).toMatch(new RegExp(`bad input: ${n} malformed matrix files`));
});

/** The keys of an object schema, `?` marking the optional ones. */
const keysOf = (o: z.ZodObject<Record<string, ZodTypeAny>>) => Object.entries(o.shape).map(([k, t]) => (t.isOptional() ? `${k}?` : k));

test('the backends table names each backend type with exactly its keys, optional ones marked', () => {
  const rows = tableRows(section('### Backends')).map((r) => /`\{ (.*) \}`/.exec(r[0])![1].split(', '));
  const fromSchema = (Backend.options as z.ZodObject<Record<string, ZodTypeAny>>[]).map((o) => keysOf(o).map((k) => (k === 'type' ? `type: ${o.shape.type._def.value}` : k)));
  expect(rows).toEqual(fromSchema);
});

test('the template fields and the default templates are those of the code', () => {
  const text = section('### Backends');
  const line = text.split('\n').find((l) => l.startsWith('Templates take'))!;
  expect([...line.slice(0, line.indexOf('.')).matchAll(/`\{(\w+)\}`/g)].map((m) => m[1])).toEqual([...rules.TEMPLATE_FIELDS]);
  expect(line).toContain(`workspace \`${DEFAULT_WORKSPACE_TEMPLATE}\``);
  expect(line).toContain(`key \`${DEFAULT_STATE_KEY_TEMPLATE}\``);
});

test('the stack-name table gives the names the app gives its stacks', () => {
  const config = validateMatrix(
    {
      managementAccountId: '999999999999',
      deployment: { bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } },
      accounts: [{ id: '111111111111', regions: ['eu-west-1'] }],
    },
    'README',
  );
  const patterns = tableRows(section('### Stack names')).map((r) => /`([^`]+)`/.exec(r[1])![1]);
  const fill = (p: string, account: string) => p.replace('<account id>', account).replace('<region>', 'eu-west-1');
  expect(patterns).toHaveLength(3);
  expect(config.stacks.map((s) => s.stackName)).toEqual([fill(patterns[0], '111111111111')]);
  expect(config.management!.stackName).toBe(fill(patterns[1], '999999999999'));
  expect(config.bootstraps.map((b) => b.stackName).sort()).toEqual([fill(patterns[2], '111111111111'), fill(patterns[2], '999999999999')]);
});

describe('every `npm run` command in the README and docs/', () => {
  const files = DOC_FILES;
  const commands = files.flatMap((file) =>
    [...read(file).matchAll(/npm run (?:--silent )?([\w:-]+)((?: +(?!#)[^\s`|)]+)*)/g)].map((m) => {
      const args = m[2].trim().split(/\s+/).filter(Boolean);
      const own = args[0] === '--' ? args.slice(1) : [];
      const end = own.indexOf('--');
      return { file, script: m[1], options: (end >= 0 ? own.slice(0, end) : own).filter((a) => /^--[\w-]+$/.test(a)), text: m[0] };
    }),
  );

  test('is found', () => expect(commands.length).toBeGreaterThan(30));

  test('names an npm script of package.json', () => {
    for (const c of commands) expect([c.file, c.text, c.script in scripts]).toEqual([c.file, c.text, true]);
  });

  test('passes only options its tool reads (every tool takes --help)', () => {
    for (const c of commands) {
      const dist = /node dist\/([\w/.-]+)\.js/.exec(scripts[c.script] ?? '')?.[1];
      if (!dist) continue;
      const source = read(`${dist}.ts`);
      for (const o of c.options.filter((o) => o !== '--help')) expect([c.file, c.text, o, source.includes(`'${o}'`)]).toEqual([c.file, c.text, o, true]);
    }
  });
});

describe('docs/resource-types.md', () => {
  const doc = read('docs/resource-types.md');
  const contract = require('../../stacks/resource-types');

  test('the fields table names exactly the fields the contract rows use', () => {
    const documented = tableRows(doc.slice(doc.indexOf('## What a row holds'))).flatMap((r) => [...r[0].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    const used = new Set(Object.values<object>(contract.RESOURCE_TYPES).flatMap((row) => Object.keys(row)));
    used.delete('type'); // the row's key
    expect(documented.sort()).toEqual([...used].sort());
  });

  test('the actions it says simulate.test.ts simulates are simulated there', () => {
    const line = doc.split('\n').find((l) => l.includes('__tests__/policies/simulate.test.ts') && l.includes('simulates'))!;
    const actions = [...line.matchAll(/`(\w+:\w+)`/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThanOrEqual(4);
    const simulate = read('__tests__/policies/simulate.test.ts');
    for (const a of actions) expect([a, simulate.includes(`'${a}'`)]).toEqual([a, true]);
  });

  test('the example calls return what their comments say', () => {
    const block = /```ts\n([\s\S]*?)```/.exec(doc)![1];
    const claims = [...block.matchAll(/^(\w+\(.*?\)(?:\.\w+)*);\s*\/\/ (\[[^\]]*\]|true|false)/gm)];
    expect(claims.length).toBeGreaterThanOrEqual(3);
    for (const [, expr, result] of claims) {
      const value = new Function(...Object.keys(contract), `return ${expr};`)(...Object.values(contract));
      expect([expr, value]).toEqual([expr, JSON.parse(result.replace(/'/g, '"'))]);
    }
  });
});

test('the physical names the README gives are those of config/naming.ts', () => {
  const names: [string, string][] = [
    ['log bucket', naming.logBucketName('<prefix>', '<account>', '<region>')],
    ['default bucket prefix', naming.DEFAULT_BUCKET_NAME_PREFIX],
    ['log key alias', naming.LOG_KEY_ALIAS],
    ['logging role', naming.loggingRoleName('<region>')],
    ['tenant invoke policy', naming.tenantPolicyName('<tenant>', '<region>')],
    ['usage database', naming.USAGE_DATABASE],
    ['usage workgroup', naming.USAGE_WORKGROUP],
    ['usage dashboard', naming.usageDashboardName('<region>')],
    ['rate-card object', `${naming.RATE_CARD_PREFIX}rate_card.csv`],
    ['alarm topic', naming.ALARM_TOPIC_NAME],
    ['tenant budget', naming.budgetName('<tenant>')],
    ['budget-alert topic', naming.BUDGET_TOPIC_NAME],
    ['cost-export bucket', `${naming.DEFAULT_COST_EXPORT_BUCKET_PREFIX}-<account>`],
    ['default deploy role', naming.DEFAULT_DEPLOY_ROLE],
  ];
  for (const [what, name] of names) expect([what, readme.includes(`\`${name}\``)]).toEqual([what, true]);
});

test('the pinned versions in the README Toolchain section are those of package.json and synth/versions.ts', () => {
  const text = section('## Toolchain');
  const pkg = JSON.parse(read('package.json'));
  const installed: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
  // "`cdktf` and `cdktf-cli` 0.21.0": the version holds for every package named before it.
  const pins = [...text.matchAll(/((?:`@?[\w./-]+`(?:,? and |, ))*`@?[\w./-]+`) (~?\d[\w.-]*)/g)].flatMap((m) => [...m[1].matchAll(/`([^`]+)`/g)].map((n) => [n[1], m[2]] as const));
  expect(pins.map(([name]) => name)).toEqual(expect.arrayContaining(['cdktf', 'cdktf-cli', 'constructs', '@cdktf/provider-aws', 'typescript', '@duckdb/node-api', 'fast-check']));
  for (const [name, version] of pins) {
    expect([name, installed[name]]).toEqual([name, expect.any(String)]);
    expect([name, installed[name].startsWith(version.replace(/^~/, ''))]).toEqual([name, true]);
  }
  const { SYNTH_WRITTEN_FOR } = require('../../synth/versions');
  expect(text).toContain(`\`@cdktf/provider-aws\` ${SYNTH_WRITTEN_FOR.providerAws} (AWS provider ${SYNTH_WRITTEN_FOR.terraformAws})`);
});

test('every repository file or folder the README and docs/ link or name exists', () => {
  const files = DOC_FILES;
  const missing: string[] = [];
  for (const file of files) {
    const text = read(file);
    const dir = path.dirname(path.join(ROOT, file));
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) if (!/^[a-z]+:/.test(target) && !fs.existsSync(path.resolve(dir, target))) missing.push(`${file}: link ${target}`);
    for (const [, named] of text.matchAll(/`((?:__tests__|config|stacks|synth|policies|guardrails|review|tools|examples|\.github)\/[\w./-]+)`/g))
      if (!fs.existsSync(path.join(ROOT, named))) missing.push(`${file}: \`${named}\``);
  }
  expect(missing).toEqual([]);
});
