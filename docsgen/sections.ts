/**
 * Every code-derived part of the docs, rendered from the code itself: the matrix keys,
 * the commands with their options and exit codes, the stack names, the danger rules of
 * the plan review, the IaC rules, the resource-type contract, the test tiers and a
 * review excerpt of the example landing zone. `DOC_SECTIONS` says which file holds
 * which section; `npm run docs` (docsgen/cli.ts) writes them between their markers.
 * Everything here is deterministic: no dates, no host figures (the benchmark figures
 * stay in docs/benchmarks.md, which only the benchmarks write, with --write).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ZodTypeAny, z } from 'zod';
import { DEFAULT_ADMIN_ROLE, DEFAULT_STATE_KEY_TEMPLATE, DEFAULT_WAVE_ORDER, DEFAULT_WORKSPACE_TEMPLATE } from '../config/deployment';
import { DEFAULT_BYTES_SCANNED_CUTOFF_MB, DEFAULT_LATENCY_P99_MS, DEFAULT_PII_IDENTIFIERS } from '../config/analytics';
import { DEFAULT_OVERLAP } from '../config/bedrock-guardrails';
import { parseMatrixText, validateMatrix } from '../config/load';
import { DEFAULT_LOGGING } from '../config/logging';
import { DEFAULT_ORG_THROTTLES_PER_5_MIN } from '../config/observability';
import { DEFAULT_TAG_KEYS } from '../config/model';
import * as naming from '../config/naming';
import { DEFAULT_DEPLOY_ROLE, bootstrapStackName, loggingStackName, managementStackName } from '../config/naming';
import { DEFAULT_PROFILE_QUOTA } from '../config/rules';
import { Matrix } from '../config/schema';
import { RULES as IAC_RULES } from '../iac-rules';
import { RULE_TABLE_HEADER, ruleTableRow } from '../iac-rules/report';
import type { Rule } from '../iac-rules/rule';
import { synthesize } from '../stacks/app';
import { RESOURCE_TYPES } from '../lib/resource-types';
import { COMMANDS as CLI_COMMANDS, CLI_NAME } from '../cli';
import { Command, EXIT, EXIT_MEANING, ExitName, helpText } from '../lib/args';
import { BENCH_DOC, BENCH_SECTIONS, parseBenchDoc } from '../tools/bench/bench-doc';
import { COMMAND as INIT_COMMAND } from '../tools/rollout/init';
import { projectRoot } from '../lib/terraform';
import { toMarkdown } from '../review/report';
import { reviewTrees } from '../review/review';
import { BUILTIN_CAUSES, RULES as DANGER_RULES } from '../review/rules';
import type { DangerRule } from '../review/rules/types';

const ROOT = projectRoot();

/** A markdown table cell: pipes escaped, line breaks as spaces. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
const code = (s: string) => `\`${s}\``;
/** Plain text with `<placeholders>` that markdown would take for HTML tags. */
const escapeHtml = (s: string) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------- matrix keys

/** The schema inside optional, nullable, default and refinement wrappers. */
function unwrap(t: ZodTypeAny): { inner: ZodTypeAny; optional: boolean } {
  let optional = false;
  for (;;) {
    if (t instanceof z.ZodOptional || t instanceof z.ZodDefault) {
      optional = true;
      t = t._def.innerType;
    } else if (t instanceof z.ZodNullable || t instanceof z.ZodCatch || t instanceof z.ZodReadonly) t = t._def.innerType;
    else if (t instanceof z.ZodEffects) t = t._def.schema;
    else if (t instanceof z.ZodBranded) t = t._def.type;
    else if (t instanceof z.ZodPipeline) t = t._def.in;
    else if (t instanceof z.ZodLazy) t = t._def.getter();
    else return { inner: t, optional };
  }
}

/** What zod itself says about a wrong value of a scalar schema: the messages of its checks and refinements, found by validating values that break them. */
function messages(t: ZodTypeAny, probes: unknown[]): string[] {
  const out = new Set<string>();
  for (const p of probes) {
    const r = t.safeParse(p);
    if (!r.success) for (const i of r.error.issues) out.add(plain(i.message));
  }
  return [...out];
}

/** zod's default messages, in the words of the project's own. */
function plain(message: string): string {
  return message
    .replace(/^Expected integer, received float$/, 'a whole number')
    .replace(/^String must contain at (least|most) (\d+) character\(s\)$/, 'at $1 $2 characters')
    .replace(/^Number must be greater than or equal to (\S+)$/, 'at least $1')
    .replace(/^Number must be greater than (\S+)$/, 'more than $1')
    .replace(/^Number must be less than or equal to (\S+)$/, 'at most $1');
}

/** What a scalar (or a list or map of scalars) accepts, in words. */
function allowed(t: ZodTypeAny): string {
  const { inner } = unwrap(t);
  if (inner instanceof z.ZodEnum) return (inner.options as string[]).map(code).join(', ');
  if (inner instanceof z.ZodLiteral) return code(JSON.stringify(inner.value));
  if (inner instanceof z.ZodBoolean) return '`true` or `false`';
  if (inner instanceof z.ZodString) {
    const m = messages(t, ['\u0000', '', 'x'.repeat(5000)]);
    return m.length ? m.join('; ') : 'a string';
  }
  if (inner instanceof z.ZodNumber) {
    const m = messages(t, [-0.5, 0, 1e12 + 0.5]);
    return m.length ? m.join('; ') : 'a number';
  }
  if (inner instanceof z.ZodArray) {
    const m = messages(t, [[]]).filter((s) => !/^Array must contain/.test(s));
    return `a list of: ${allowed(inner._def.type)}${m.length ? ` (${m.join('; ')})` : ''}`;
  }
  if (inner instanceof z.ZodRecord) return `a map from ${allowed(inner._def.keyType)} to ${allowed(inner._def.valueType)}`;
  if (inner instanceof z.ZodUnion) return (inner._def.options as ZodTypeAny[]).map(allowed).join(', or ');
  if (inner instanceof z.ZodObject) return 'an object';
  if (inner instanceof z.ZodNativeEnum)
    return Object.values(inner.enum as Record<string, string | number>)
      .map((v) => code(String(v)))
      .join(', ');
  if (inner instanceof z.ZodTuple) return `a list of exactly: ${(inner.items as ZodTypeAny[]).map(allowed).join('; ')}`;
  if (inner instanceof z.ZodIntersection) return `${allowed(inner._def.left)}, and ${allowed(inner._def.right)}`;
  if (inner instanceof z.ZodSet) return `a list of distinct: ${allowed(inner._def.valueType)}`;
  if (inner instanceof z.ZodNull) return '`null`';
  if (inner instanceof z.ZodAny || inner instanceof z.ZodUnknown) return 'any value';
  // A zod type this generator does not describe yet: say so rather than stop npm run docs.
  return `a ${inner.constructor.name.replace(/^Zod/, '').toLowerCase()} (see the schema)`;
}

/** The defaults that live in code constants, by key path: each path must exist in the schema (a stale one fails the generator). */
const DEFAULTS: Record<string, unknown> = {
  ...Object.fromEntries(
    Object.entries(DEFAULT_LOGGING).flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).map(([s, w]) => [`logging.${k}.${s}`, w]) : [[`logging.${k}`, v]],
    ),
  ),
  'deployment.assumeRole': true,
  'deployment.roleName': DEFAULT_DEPLOY_ROLE,
  'deployment.waves': DEFAULT_WAVE_ORDER,
  'deployment.backend': { type: 'local' },
  'deployment.backend.workspaceTemplate': DEFAULT_WORKSPACE_TEMPLATE,
  'deployment.backend.keyTemplate': DEFAULT_STATE_KEY_TEMPLATE,
  'deployment.bootstrap.adminRoleName': DEFAULT_ADMIN_ROLE,
  'deployment.bootstrap.oidcProvider': 'create',
  ...Object.fromEntries(Object.entries(DEFAULT_TAG_KEYS).map(([k, v]) => [`costAllocationTagKeys.${k}`, v])),
  'costAllocationTags.activate': false,
  profileQuotaPerRegion: DEFAULT_PROFILE_QUOTA,
  'tenants[].invokePolicy': true,
  'bedrockGuardrails[].revision': 1,
  'bedrockGuardrails[].overlap': DEFAULT_OVERLAP,
  'analytics.athena.bytesScannedCutoffMb': DEFAULT_BYTES_SCANNED_CUTOFF_MB,
  'analytics.alarms.latencyP99Ms': DEFAULT_LATENCY_P99_MS,
  'observability.throttlesPer5Min': DEFAULT_ORG_THROTTLES_PER_5_MIN,
  'analytics.piiMasking.dataIdentifiers': DEFAULT_PII_IDENTIFIERS,
};

interface KeyRow {
  key: string;
  /** For a key of one variant of a discriminated union: e.g. "type tfc". */
  variant?: string;
  required: boolean;
  allowed: string;
}

/**
 * Every key of the matrix schema, depth first in schema order. An object schema used
 * at several places (the logging options of the matrix, an account and a region entry)
 * is spelled out once and named at the others.
 */
export function matrixKeyRows(schema: ZodTypeAny = Matrix): KeyRow[] {
  // First pass: every key at which each object schema appears; it is spelled out at the shallowest.
  const homes = new Map<ZodTypeAny, string>();
  const depth = (k: string) => k.split(/\.|\[\]/).length;
  const found = (t: ZodTypeAny, key: string) => {
    const home = homes.get(t);
    if (home === undefined || depth(key) < depth(home)) homes.set(t, key);
  };
  walk(schema, found);
  return walk(schema, () => {}, homes);
}

/** The rows of the schema; `found` hears of every object schema and key; with `homes`, an object is spelled out only at its home key. */
function walk(schema: ZodTypeAny, found: (t: ZodTypeAny, key: string) => void, homes?: Map<ZodTypeAny, string>): KeyRow[] {
  const rows: KeyRow[] = [];
  const visitObject = (o: z.ZodObject<z.ZodRawShape>, prefix: string) => {
    for (const [k, t] of Object.entries(o.shape as Record<string, ZodTypeAny>)) visit(t, prefix ? `${prefix}.${k}` : k);
  };
  /** Whether the object schema `t` is spelled out at `key`; otherwise a row names where it is. */
  const expandHere = (t: ZodTypeAny, key: string, required: boolean): boolean => {
    found(t, key);
    const home = homes?.get(t);
    if (home === undefined || home === key) return true;
    rows.push({ key, required, allowed: `the same keys as ${code(home)}` });
    return false;
  };
  const visit = (t: ZodTypeAny, key: string) => {
    const { inner, optional } = unwrap(t);
    const required = !optional;
    if (inner instanceof z.ZodObject) {
      if (!expandHere(inner, key, required)) return;
      rows.push({ key, required, allowed: 'an object with the keys below' });
      return visitObject(inner, key);
    }
    if (inner instanceof z.ZodDiscriminatedUnion) {
      if (!expandHere(inner, key, required)) return;
      const options = [...(inner.options as z.ZodObject<z.ZodRawShape>[])];
      const disc = inner.discriminator as string;
      const label = (o: z.ZodObject<z.ZodRawShape>) => `${disc} ${(o.shape[disc] as z.ZodLiteral<string>).value}`;
      rows.push({
        key,
        required,
        allowed: `one of: ${options.map((o) => code(`{ ${label(o).replace(' ', ': ')} }`)).join(', ')}, with the keys below`,
      });
      for (const o of options)
        for (const [k, s] of Object.entries(o.shape as Record<string, ZodTypeAny>)) {
          if (k === disc) continue;
          const first = rows.length;
          visit(s, `${key}.${k}`);
          for (const r of rows.slice(first)) r.variant = label(o);
        }
      return;
    }
    if (inner instanceof z.ZodArray) {
      const element = unwrap(inner._def.type).inner;
      if (element instanceof z.ZodObject || element instanceof z.ZodUnion) {
        const m = messages(t, [[]]).filter((s) => !/^Array must contain/.test(s));
        rows.push({ key, required, allowed: `a list${m.length ? ` (${m.join('; ')})` : ''}; each entry:` });
        return visit(inner._def.type, `${key}[]`);
      }
    }
    if (inner instanceof z.ZodRecord && unwrap(inner._def.valueType).inner instanceof z.ZodObject) {
      rows.push({ key, required, allowed: `a map from ${allowed(inner._def.keyType)} to an object with the keys below` });
      return visit(inner._def.valueType, `${key}.<key>`);
    }
    if (inner instanceof z.ZodUnion) {
      const objects = (inner._def.options as ZodTypeAny[]).filter((o) => unwrap(o).inner instanceof z.ZodObject);
      if (objects.length) {
        const scalars = (inner._def.options as ZodTypeAny[]).filter((o) => !objects.includes(o)).map(allowed);
        rows.push({ key, required, allowed: `${scalars.join(', or ')}${scalars.length ? ', or ' : ''}an object with the keys below` });
        for (const o of objects) visitObject(unwrap(o).inner as z.ZodObject<z.ZodRawShape>, key);
        return;
      }
    }
    rows.push({ key, required, allowed: allowed(t) });
  };
  visitObject(unwrap(schema).inner as z.ZodObject<z.ZodRawShape>, '');
  return rows;
}

export function matrixKeysTable(): string {
  const rows = matrixKeyRows();
  const keys = new Set(rows.map((r) => r.key));
  const stale = Object.keys(DEFAULTS).filter((k) => !keys.has(k));
  if (stale.length)
    throw new Error(`docsgen: defaults for keys the matrix schema does not have: ${stale.join(', ')} (DEFAULTS in docsgen/sections.ts)`);
  const fmt = (v: unknown) => (v === undefined ? '' : code(JSON.stringify(v)));
  return table(
    ['key', 'required', "allowed (the validator's own words)", 'default'],
    rows.map((r) => [
      `${code(r.key)}${r.variant ? ` (${r.variant})` : ''}`,
      r.required ? 'yes' : '',
      escapeHtml(r.allowed),
      fmt(DEFAULTS[r.key]),
    ]),
  );
}

// ---------------------------------------------------------------- commands and exit codes

const scripts = (): Record<string, string> => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

/** The npm scripts that run a command of this project (`node dist/<file>.js`), with the file. */
export function projectCommands(): { script: string; file: string; spec: Command }[] {
  return Object.entries(scripts())
    .map(([script, line]) => ({ script, file: /\bnode dist\/([\w/-]+)\.js\b/.exec(line)?.[1] }))
    .filter((c): c is { script: string; file: string } => !!c.file)
    .map((c) => {
      // Each command's module exports its spec; importing it runs nothing (a command runs only as the main module).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const spec: Command = require(path.join(__dirname, '..', c.file)).COMMAND;
      if (!spec) throw new Error(`docsgen: ${c.file} (npm run ${c.script}) exports no COMMAND`);
      return { ...c, spec };
    });
}

export function commandsTable(): string {
  return table(
    ['command', 'what it does', 'source'],
    projectCommands().map((c) => [
      code(`npm run ${c.script}`),
      escapeHtml(c.spec.summary.trim().split(/\n\s*\n/)[0]),
      `[${code(`${c.file}.ts`)}](../${c.file}.ts)`,
    ]),
  );
}

/** The --help of every command, as it prints it. */
export function commandsHelp(): string {
  return projectCommands()
    .map((c) => [`### \`npm run ${c.script}\``, '', '```text', helpText(c.spec).trimEnd(), '```'].join('\n'))
    .join('\n\n');
}

/** The one CLI (cli.ts): each command, what it does, and the npm script of this repository that runs the same entry point. */
export function cliCommandsTable(): string {
  const byFile = new Map(projectCommands().map((c) => [c.file, c.script]));
  return table(
    ['command', 'what it does', "this repository's npm script"],
    Object.entries(CLI_COMMANDS).map(([name, c]) => [
      code(`${CLI_NAME} ${name}`),
      c.summary,
      byFile.has(c.file) ? code(`npm run ${byFile.get(c.file)}`) : '(none)',
    ]),
  );
}

/** The --help of init, as it prints it. */
export function initHelp(): string {
  return ['```text', helpText(INIT_COMMAND).trimEnd(), '```'].join('\n');
}

export function exitCodesTable(): string {
  return table(
    ['exit code', '`EXIT.`', 'meaning'],
    (Object.keys(EXIT) as ExitName[]).map((k) => [String(EXIT[k]), code(k), EXIT_MEANING[k]]),
  );
}

export function npmScriptsTable(): string {
  return table(
    ['script', 'runs'],
    Object.entries(scripts()).map(([s, line]) => [code(`npm run ${s}`), code(line)]),
  );
}

// ---------------------------------------------------------------- stacks, tests

export function stackNamesTable(): string {
  return table(
    ['stack', 'name'],
    [
      ['logging and tenants, per account x region', code(loggingStackName('<account id>', '<region>'))],
      ['management account (with `managementAccountId`)', code(managementStackName('<account id>'))],
      ['bootstrap, per account (with `deployment.bootstrap`)', code(bootstrapStackName('<account id>'))],
    ],
  );
}

/** The parameter names of a function, as its source spells them. */
function parameterNames(fn: (...args: string[]) => unknown): string[] {
  const m = /^(?:function\s*\w*\s*)?\(?([\w\s,]*)\)?\s*(?:=>|\{)/.exec(fn.toString());
  if (!m) throw new Error(`docsgen: cannot read the parameters of ${fn.name}`);
  return m[1]
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Every name of config/naming.ts: constants as they are, functions called with their parameters as placeholders. */
export function physicalNamesTable(): string {
  return table(
    ['in `config/naming.ts`', 'name'],
    Object.entries(naming).map(([key, value]) => {
      if (typeof value === 'string') return [code(key), code(value)];
      const fn = value as (...args: string[]) => unknown;
      const params = parameterNames(fn);
      return [code(`${key}(${params.join(', ')})`), code(String(fn(...params.map((p) => `<${p}>`))))];
    }),
  );
}

export function testTiersTable(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const projects: { displayName: string; testMatch: string[] }[] = require(path.join(ROOT, 'jest.config.js')).projects;
  const runs = Object.entries(scripts());
  return table(
    ['tier', 'files', 'run alone'],
    projects.map((p) => [
      code(p.displayName),
      p.testMatch.map((m) => code(m.replace('**/', ''))).join(', '),
      runs
        .filter(([, l]) => l.includes(`--selectProjects ${p.displayName}`))
        .map(([s]) => code(`npm run ${s}`))
        .join(', '),
    ]),
  );
}

// ---------------------------------------------------------------- rules and the contract

/** The exports of each module of a folder (compiled or not), to name the file a rule lives in. */
function modulesOf(dir: string, skip: string[] = []): { file: string; exported: unknown[] }[] {
  const full = path.join(__dirname, '..', dir);
  return fs
    .readdirSync(full)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !skip.includes(f.replace(/\.(ts|js)$/, '')))
    .map((f) => ({
      file: `${f.replace(/\.(ts|js)$/, '')}.ts`,
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported: Object.values(require(path.join(full, f))),
    }));
}

export function reviewRulesTable(): string {
  const modules = modulesOf('review/rules', ['index', 'types']);
  const fileOf = (r: DangerRule) => modules.find((m) => m.exported.includes(r))?.file;
  return table(
    ['cause (in `review.json`)', 'rule file', 'dangerous when'],
    [
      ...DANGER_RULES.map((r) => {
        const file = fileOf(r);
        if (!file) throw new Error(`docsgen: the danger rule ${r.cause} is not exported by a file of review/rules/`);
        return [`${code(r.cause)}: ${r.title}`, `[${code(file)}](../review/rules/${file})`, r.when ?? r.title];
      }),
      ...Object.entries(BUILTIN_CAUSES).map(([cause, title]) => [code(cause), '(the review itself)', title]),
    ],
  );
}

export function iacRulesTable(): string {
  const modules = modulesOf('iac-rules/rules');
  const fileOf = (r: Rule) => {
    const file = modules.find((m) => m.exported.includes(r))?.file;
    if (!file) throw new Error(`docsgen: the IaC rule ${r.id} is not exported by a file of iac-rules/rules/`);
    return file;
  };
  return [...RULE_TABLE_HEADER, ...IAC_RULES.map((r) => ruleTableRow(fileOf(r), r))].join('\n');
}

export function resourceTypesTable(): string {
  return table(
    ['type', 'holds', 'forces replacement', 'deploy actions', 'verified', 'provider source'],
    Object.values(RESOURCE_TYPES)
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((r) => [
        code(r.type),
        r.holds ?? '',
        r.forceNew.map(code).join(', '),
        String(new Set([...r.create.actions, ...r.read.actions, ...r.update.actions, ...r.delete.actions, ...r.tag.actions]).size),
        r.verified ? 'yes' : 'no',
        code(r.source),
      ]),
  );
}

// ---------------------------------------------------------------- benchmark figures

/**
 * The latest figures of each benchmark, copied from the committed docs/benchmarks.md
 * (which only the benchmarks write, with --write): each section without its markers,
 * its heading one level down. Nothing is measured here.
 */
export function benchFigures(): string {
  const sections = parseBenchDoc(fs.readFileSync(path.join(ROOT, BENCH_DOC), 'utf8'));
  return BENCH_SECTIONS.filter((id) => sections[id])
    .map((id) =>
      sections[id]!.split('\n')
        .filter((l) => !/^<!-- \/?bench:/.test(l))
        .map((l) => (l.startsWith('## ') ? `#${l}` : l))
        .join('\n'),
    )
    .join('\n\n');
}

// ---------------------------------------------------------------- the review excerpt

/**
 * The start of review.md for a change to the example landing zone, the starting
 * matrix `init` writes (templates/landing-zone/landing-zone.yaml): the prod account's log retention cut to
 * 90 days and tenant acme moved to cost center cc-2002, rendered by the review itself
 * from two synthesized trees. The commits on the Base and Head lines are examples.
 */
export function reviewExcerpt(): string {
  const file = path.join(ROOT, 'templates', 'landing-zone', 'landing-zone.yaml');
  const base = parseMatrixText(fs.readFileSync(file, 'utf8'), file) as Matrix;
  const head: Matrix = JSON.parse(JSON.stringify(base));
  const prod = head.accounts.find((a) => a.environment === 'prod');
  const acme = head.tenants?.find((t) => t.id === 'acme');
  if (!prod || !acme) throw new Error('docsgen: the example landing zone has no prod account or no tenant acme; change reviewExcerpt()');
  prod.logging = { ...prod.logging, logRetentionDays: 90 };
  acme.costCenter = 'cc-2002';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'docsgen-review-'));
  try {
    const [a, b] = [path.join(scratch, 'base'), path.join(scratch, 'head')];
    synthesize(validateMatrix(base, file), a);
    synthesize(validateMatrix(head, file), b);
    const sides = {
      base: { matrix: '`landing-zone.yaml`', commit: 'main (3f2a9c1d7b4e)' },
      head: { matrix: '`landing-zone.yaml`', commit: 'working tree (HEAD 8e1c0b5a2d97)' },
    };
    const md = toMarkdown({ ...reviewTrees(a, b), sides })
      .split('### Stacks')[0]
      .trimEnd();
    return ['````markdown', md, '````'].join('\n');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- where each section goes

/** File (from the project root) -> section name -> its renderer. */
export const DOC_SECTIONS: Record<string, Record<string, () => string>> = {
  'README.md': { 'stack-names': stackNamesTable },
  'docs/matrix.md': { 'matrix-keys': matrixKeysTable },
  'docs/landing-zone.md': { 'stack-names': stackNamesTable },
  'docs/commands.md': {
    commands: commandsTable,
    'exit-codes': exitCodesTable,
    'npm-scripts': npmScriptsTable,
    'commands-help': commandsHelp,
  },
  'docs/testing.md': { 'test-tiers': testTiersTable },
  'docs/stacks.md': { 'physical-names': physicalNamesTable },
  'docs/performance.md': { 'bench-figures': benchFigures },
  'docs/package.md': { 'cli-commands': cliCommandsTable, 'init-help': initHelp },
  'docs/review.md': { 'review-rules': reviewRulesTable, 'review-excerpt': reviewExcerpt },
  'docs/iac-rules.md': { 'iac-rules': iacRulesTable },
  'docs/resource-types.md': { 'resource-types': resourceTypesTable },
};
