/**
 * The folder rules, checked by scanning every source file's imports:
 * - only synth/ reaches into cdktf internals (`cdktf/lib/...`) or patches globals;
 * - synth/ depends on no folder of the app, iac-rules/ not on stacks/;
 * - the folders depend on one another one way only (no cycle);
 * - shared library code lives in lib/, below the commands: review/ and stacks/
 *   import nothing from tools/, and no module imports a command's entry module
 *   but docsgen/ (which documents the commands) and the commands of its concern;
 * - commands are grouped by concern: tools/<concern>/ (rollout, usage, checks, bench);
 * - one meaning per word: "guardrail" names Amazon Bedrock Guardrails only, not the
 *   IaC rules (iac-rules/) nor the organization policies (matrix key organizationPolicies).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SOURCE_DIRS = ['config', 'docsgen', 'iac-rules', 'lib', 'policies', 'review', 'stacks', 'synth', 'tools'];

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const re of [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
  ])
    for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

/** The top-level folder (or root file) a repository path belongs to. */
const folderOf = (rel: string) => (rel.includes(path.sep) ? rel.split(path.sep)[0] : rel.replace(/\.ts$/, ''));

const SOURCES = ['main.ts', 'cli.ts', 'index.ts', ...SOURCE_DIRS.flatMap(tsFiles)].map((rel) => ({
  rel,
  folder: folderOf(rel),
  text: fs.readFileSync(path.join(ROOT, rel), 'utf8'),
}));

/** Folder -> the folders it imports from. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const f of SOURCES) {
    const deps = graph.get(f.folder) ?? new Set<string>();
    graph.set(f.folder, deps);
    for (const spec of importsOf(f.text)) {
      if (!spec.startsWith('.')) continue;
      const target = folderOf(path.relative(ROOT, path.resolve(ROOT, path.dirname(f.rel), spec)));
      if (target !== f.folder) deps.add(target);
    }
  }
  return graph;
}

test('the scan finds imports of every kind', () => {
  expect(
    importsOf(
      `import { a } from './a';\nexport * from "../b";\nconst c = require('c/d');\nawait import('./e');\nimport 'f/g';\n// import { x } from 'commented';`,
    ),
  ).toEqual(['./a', '../b', './e', 'c/d', 'f/g']);
  expect(SOURCES.length).toBeGreaterThan(40);
  expect(folderGraph().get('stacks')).toContain('synth');
});

test('only synth/ imports cdktf internals (cdktf/lib/...)', () => {
  const offenders = SOURCES.filter((f) => f.folder !== 'synth' && importsOf(f.text).some((s) => /^cdktf\/lib(\/|$)/.test(s))).map(
    (f) => f.rel,
  );
  expect(offenders).toEqual([]);
  expect(SOURCES.filter((f) => f.folder === 'synth' && importsOf(f.text).some((s) => s.startsWith('cdktf/lib/'))).length).toBeGreaterThan(
    0,
  );
  // Tests may use cdktf's documented jest matchers only.
  const tests = tsFiles('__tests__').map((rel) => ({ rel, specs: importsOf(fs.readFileSync(path.join(ROOT, rel), 'utf8')) }));
  expect(
    tests.filter((t) => t.specs.some((s) => s.startsWith('cdktf/lib/') && s !== 'cdktf/lib/testing/adapters/jest')).map((t) => t.rel),
  ).toEqual([]);
});

/** An assignment to a built-in global or to any prototype: `Error.captureStackTrace = ...`, `Foo.prototype.bar = ...`. */
const GLOBAL_PATCH =
  /\b(?:(?:Error|Object|Array|Function|String|Number|Boolean|Promise|JSON|Math|Date|RegExp|Symbol|Reflect|globalThis|global|console)\.[\w$.]+|[\w$]+\.prototype(?:\.[\w$]+)?)\s*=(?!=)|Object\.(?:defineProperty|setPrototypeOf)\s*\(\s*(?:globalThis|global|Error|Object|[\w$]+\.prototype)\b/;

test('only synth/ patches globals', () => {
  expect(GLOBAL_PATCH.test('Error.captureStackTrace = () => 1')).toBe(true);
  expect(GLOBAL_PATCH.test('TerraformStack.prototype.toTerraform = f')).toBe(true);
  expect(GLOBAL_PATCH.test('if (Error.captureStackTrace === f) x = 1')).toBe(false);
  const offenders = SOURCES.filter((f) => f.folder !== 'synth' && GLOBAL_PATCH.test(f.text)).map((f) => f.rel);
  expect(offenders).toEqual([]);
});

test('synth/ depends on no folder of the app, and iac-rules/ not on stacks/', () => {
  const graph = folderGraph();
  expect([...graph.get('synth')!]).toEqual([]);
  expect(graph.get('iac-rules')).not.toContain('stacks');
});

/** The relative imports of a source file, as repository paths (without extension). */
const targetsOf = (f: { rel: string; text: string }) =>
  importsOf(f.text)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.relative(ROOT, path.resolve(ROOT, path.dirname(f.rel), spec)));

/** A command's entry module: a program (`require.main === module`) with its spec. */
const ENTRY_MODULES = SOURCES.filter((f) => /\brequire\.main === module\b/.test(f.text)).map((f) => f.rel.replace(/\.ts$/, ''));

test('lib/ holds the shared library: it imports no folder of the app, and review/ and stacks/ import nothing from tools/', () => {
  const graph = folderGraph();
  expect(SOURCES.filter((f) => f.folder === 'lib').map((f) => path.basename(f.rel))).toEqual(
    expect.arrayContaining(['args.ts', 'terraform.ts', 'stack-hash.ts', 'resource-types.ts']),
  );
  expect([...graph.get('lib')!]).toEqual([]);
  expect(graph.get('review')).not.toContain('tools');
  expect(graph.get('stacks')).not.toContain('tools');
  expect(graph.get('stacks')).not.toContain('review');
  expect(graph.get('review')).toContain('lib');
  expect(graph.get('tools')).toContain('lib');
});

test("no module imports a command's entry module, but docsgen/ and the commands of its own folder", () => {
  expect(ENTRY_MODULES).toEqual(
    expect.arrayContaining([
      'main',
      'review/cli',
      path.join('tools', 'rollout', 'verify'),
      path.join('tools', 'rollout', 'changed-stacks'),
      path.join('tools', 'rollout', 'decommission'),
    ]),
  );
  const offenders = SOURCES.filter((f) => f.folder !== 'docsgen').flatMap((f) =>
    targetsOf(f)
      .filter((t) => ENTRY_MODULES.includes(t) && folderOf(t) !== f.folder)
      .map((t) => `${f.rel} -> ${t}`),
  );
  expect(offenders).toEqual([]);
});

/**
 * The folders from the bottom up: each may import only from folders below it, so
 * data flows one way (matrix -> config -> policies -> stacks -> cdk.tf.json) and
 * no cycle can form. lib/ (the CLI kit, the Terraform session, the stack hash,
 * the resource-type contract) sits below everything but synth/.
 */
const LAYERS = ['synth', 'lib', 'config', 'policies', 'iac-rules', 'stacks', 'tools', 'review', 'main', 'cli', 'index', 'docsgen'];

test('every import goes down the layers: no folder imports from a folder above it, so no folder cycle can form', () => {
  const upward: string[] = [];
  for (const f of SOURCES)
    for (const spec of importsOf(f.text)) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(f.rel), spec));
      const [from, to] = [LAYERS.indexOf(f.folder), LAYERS.indexOf(folderOf(target))];
      expect([f.folder, from]).not.toEqual([f.folder, -1]);
      if (to > from) upward.push(`${f.rel} -> ${target}`);
    }
  expect(upward).toEqual([]);
});

test('the folder graph has no cycle', () => {
  const graph = folderGraph();
  const cycles: string[] = [];
  const visit = (node: string, trail: string[]) => {
    if (trail.includes(node)) {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  expect(cycles).toEqual([]);
});

test('no file in config/ is over 300 lines', () => {
  const long = SOURCES.filter((f) => f.folder === 'config')
    .map((f) => [f.rel, f.text.split('\n').length] as const)
    .filter(([, n]) => n > 300);
  expect(long).toEqual([]);
});

/**
 * Every stack and physical name is spelled once, in config/naming.ts: the stacks and
 * the deploy-role policy import it, so a resource and the grant that manages it
 * cannot drift apart. A quoted copy of one of its names anywhere else fails.
 */
test('the names of config/naming.ts are spelled only there', () => {
  const naming = require('../config/naming') as Record<string, unknown>;
  const names = Object.values(naming).filter((v): v is string => typeof v === 'string' && v.length > 8);
  expect(names).toEqual(expect.arrayContaining(['bedrock_invocation_logs', 'bedrock-alarms', 'bedrock-invocation-logging-']));
  const quoted = (n: string) => [`'${n}'`, `\`${n}\``, `'${n}*'`, `/${n}'`, `/${n}*`, `/${n}\``, ...(/[-_]$/.test(n) ? [`/${n}\${`] : [])];
  const copies = SOURCES.filter(
    (f) => ['config', 'policies', 'stacks'].includes(f.folder) && f.rel !== path.join('config', 'naming.ts'),
  ).flatMap((f) => names.filter((n) => quoted(n).some((q) => f.text.includes(q))).map((n) => `${f.rel}: ${n}`));
  expect(copies).toEqual([]);
});

/**
 * __tests__/ mirrors the source tree: a test lives in the folder of what it tests
 * (its tier is in its file name, not its folder); docs/ holds the README and docs
 * checks, workflows/ those of .github/; only the app (main.ts) and this file sit
 * at the top.
 */
test('__tests__/ mirrors the source tree', () => {
  const folders = [...SOURCE_DIRS, 'docs', 'workflows'];
  const tests = tsFiles('__tests__').filter((f) => f.endsWith('.test.ts'));
  expect(tests.length).toBeGreaterThan(60);
  const misplaced = tests.filter((f) => {
    const parts = path.relative('__tests__', f).split(path.sep);
    return parts.length === 1 ? !['architecture.test.ts', 'main.cli.test.ts'].includes(parts[0]) : !folders.includes(parts[0]);
  });
  expect(misplaced).toEqual([]);
});

/** Source text without comments: what the rules below read. */
const codeOf = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * A Terraform reference written as a string: `${aws_...}`, `${data.aws_...}` (or any data source), or one built
 * from a variable (`\${${address}...}` in a template). In the code that builds stacks, a reference comes from the
 * construct that owns the attribute (`db.name`, `guardrail.guardrailArn`, `profile.arn`): a string names an address
 * nothing checks, and breaks silently when the resource is not created (issue 27 item 4).
 */
const INTERPOLATION = /\$\{(?:data\.|aws_)|\\\$\{\$\{/;

/**
 * Where building such a string is allowed: synth/, which builds the plain references the speed-ups need (a token
 * costs a stack trace, synth/profile-resource.ts); and the modules that read synthesized JSON, plans and state and
 * match references in it, never building stacks: iac-rules/ (IaC rules: refTo), review/ (the plan review) and
 * tools/ (the commands over cdktf.out). config/, policies/, lib/, docsgen/, stacks/ and the root files must not.
 */
const MAY_WRITE_REFERENCES = ['synth', 'iac-rules', 'review', 'tools'];

test('no Terraform reference is written as a string outside synth/ and the modules that parse synthesized JSON', () => {
  expect(INTERPOLATION.test("const a = '${aws_s3_bucket.b.id}';")).toBe(true);
  expect(INTERPOLATION.test('const a = `\\${aws_bedrock_guardrail.${id}.guardrail_arn}`;')).toBe(true);
  expect(INTERPOLATION.test('const a = `\\${data.terraform_remote_state.x.outputs}`;')).toBe(true);
  expect(INTERPOLATION.test('const a = `\\${${r.type}.${r.name}.${attr}}`;')).toBe(true);
  expect(INTERPOLATION.test("'storage.location.template': s3(`${logs}$\\${dt}/`)")).toBe(false);
  expect(INTERPOLATION.test('`${aws}`')).toBe(false);
  const checked = SOURCES.filter((f) => !MAY_WRITE_REFERENCES.includes(f.folder));
  expect(checked.map((f) => f.folder)).toEqual(expect.arrayContaining(['stacks', 'policies', 'config', 'lib']));
  expect(checked.filter((f) => INTERPOLATION.test(codeOf(f.text))).map((f) => f.rel)).toEqual([]);
  // The exemption is used: were it not, it should go.
  expect(SOURCES.filter((f) => MAY_WRITE_REFERENCES.includes(f.folder) && INTERPOLATION.test(codeOf(f.text))).length).toBeGreaterThan(0);
});

/** The whole resolved configuration of a stack: a construct takes the part it uses, never one of these. */
const WHOLE_CONFIGS = ['StackConfig', 'ManagementConfig', 'MonitoringConfig', 'BootstrapConfig', 'AppConfig'];

interface ConstructClass {
  rel: string;
  name: string;
  /** What is wrong with its constructor, or undefined. */
  problem?: string;
}

/** Every exported class of `files` that extends Construct, with what breaks the props convention. */
function constructClasses(files: { rel: string; text: string }[]): ConstructClass[] {
  const ts: typeof import('typescript') = require('typescript');
  const out: ConstructClass[] = [];
  for (const f of files) {
    const file = ts.createSourceFile(f.rel, f.text, ts.ScriptTarget.Latest, true);
    const interfaces = new Map(
      file.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i.members.map((m) => m.getText(file))] as const),
    );
    for (const c of file.statements.filter(ts.isClassDeclaration)) {
      const exported = c.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const base = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0].expression.getText(file);
      if (!exported || base !== 'Construct' || !c.name) continue;
      const name = c.name.text;
      const ctor = c.members.find(ts.isConstructorDeclaration);
      const params = ctor?.parameters.map((p) => ({ name: p.name.getText(file), type: p.type?.getText(file) ?? '' })) ?? [];
      const props = `${name}Props`;
      const whole = (text: string) => WHOLE_CONFIGS.find((w) => new RegExp(`:\\s*(?:readonly\\s+)?${w}\\s*[;,)]?$`).test(text.trim()));
      let problem: string | undefined;
      if (params.length !== 3 || params[0].type !== 'Construct' || params[1].type !== 'string')
        problem = `constructor(${params.map((p) => `${p.name}: ${p.type}`).join(', ')}): expected (scope: Construct, id: string, props: ${props})`;
      else if (params[2].type !== props) problem = `third parameter is ${params[2].type || 'untyped'}, expected ${props}`;
      else if (!interfaces.has(props)) problem = `${props} is not declared beside it`;
      else {
        const member = interfaces.get(props)!.find((m) => whole(m.replace(/\/\*[\s\S]*?\*\//g, '')));
        if (member) problem = `${props} holds a whole configuration (${member.replace(/\/\*[\s\S]*?\*\/\s*/g, '')})`;
      }
      out.push({ rel: f.rel, name, problem });
    }
  }
  return out;
}

test('every construct of stacks/ takes (scope, id, props: <Name>Props), props that hold no whole configuration', () => {
  const problemOf = (text: string) => constructClasses([{ rel: 'x.ts', text }])[0]?.problem;
  const props = (member: string) =>
    `export interface AProps { ${member} }\nexport class A extends Construct { constructor(scope: Construct, id: string, props: AProps) {} }`;
  expect(problemOf(props('readonly region: string;'))).toBeUndefined();
  expect(problemOf(props("readonly mantle: NonNullable<StackConfig['unloggedMantle']>;"))).toBeUndefined();
  expect(problemOf(props('readonly stack: StackConfig;'))).toContain('holds a whole configuration');
  expect(
    problemOf('export class A extends Construct { constructor(scope: Construct, id: string, stack: StackConfig, arn: string) {} }'),
  ).toContain('expected (scope: Construct, id: string, props: AProps)');
  expect(problemOf('export class A extends Construct { constructor(scope: Construct, id: string, props: { a: string }) {} }')).toContain(
    'expected AProps',
  );
  expect(problemOf('export class A extends Construct { constructor(scope: Construct, id: string, props: AProps) {} }')).toContain(
    'not declared beside it',
  );
  expect(constructClasses([{ rel: 'x.ts', text: 'class A extends Construct {}\nexport class B extends TerraformStack {}' }])).toEqual([]);

  const classes = constructClasses(SOURCES.filter((f) => f.folder === 'stacks'));
  expect(classes.map((c) => c.name)).toEqual(
    expect.arrayContaining([
      'LogKey',
      'LogBucket',
      'LogGroupDestination',
      'TenantInferenceProfiles',
      'UsageAnalytics',
      'CostExportResources',
    ]),
  );
  expect(classes.filter((c) => c.problem).map((c) => `${c.rel}: ${c.name}: ${c.problem}`)).toEqual([]);
});

/** Every file and folder of the repository (outside dependencies, build output and synth output), as repository paths. */
function repoPaths(dir = '', out: { rel: string; dir: boolean }[] = []): { rel: string; dir: boolean }[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git', 'cdktf.out'].includes(e.name)) continue;
    const rel = path.join(dir, e.name);
    out.push({ rel, dir: e.isDirectory() });
    if (e.isDirectory()) repoPaths(rel, out);
  }
  return out;
}

/** Source without comments and string literals: the identifiers. */
const codeOnly = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');

describe('"guardrail" means Amazon Bedrock Guardrails only', () => {
  test('no folder is named guardrail(s); every file named so is about Bedrock Guardrails', () => {
    const named = repoPaths().filter((p) => /guardrail/i.test(path.basename(p.rel)));
    expect(named.filter((p) => p.dir).map((p) => p.rel)).toEqual([]);
    expect(named.length).toBeGreaterThan(5); // the Bedrock Guardrails modules, tests, docs and fixtures
    expect(named.filter((p) => !/bedrock/i.test(fs.readFileSync(path.join(ROOT, p.rel), 'utf8'))).map((p) => p.rel)).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, 'iac-rules', 'index.ts'))).toBe(true);
  });

  test('the IaC rules and their command have no identifier with "guardrail" (the output\'s suppression key is a string)', () => {
    const files = SOURCES.filter((f) => f.folder === 'iac-rules' || /(^|[/\\])iac-rules\.ts$/.test(f.rel));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => (codeOnly(f.text).match(/\w*guardrail\w*/gi) ?? []).map((id) => `${f.rel}: ${id}`))).toEqual([]);
  });

  test('the matrix has no key "guardrails": its only guardrail key is bedrockGuardrails, the former one is read as organizationPolicies', () => {
    const { Matrix } = require('../config/schema');
    const { RENAMED_KEYS } = require('../config/deprecated-keys');
    const keys = Object.keys(Matrix.shape);
    expect(keys.filter((k) => /guardrail/i.test(k))).toEqual(['bedrockGuardrails']);
    expect(RENAMED_KEYS.guardrails).toBe('organizationPolicies');
    expect(keys).toContain('organizationPolicies');
  });

  test('no shipped or example matrix uses a former key', () => {
    const YAML = require('yaml');
    const { RENAMED_KEYS } = require('../config/deprecated-keys');
    const yamls = [
      ...repoPaths('examples').filter((p) => /\.ya?ml$/.test(p.rel)),
      { rel: path.join('templates', 'landing-zone', 'landing-zone.yaml') },
    ].map((p) => ({ rel: p.rel, matrix: YAML.parse(fs.readFileSync(path.join(ROOT, p.rel), 'utf8')) }));
    const matrices = [
      ...yamls,
      { rel: 'config/example-matrix.ts', matrix: require('../config/example-matrix').EXAMPLE_MATRIX },
      { rel: '__tests__/everything-matrix.ts', matrix: require('./everything-matrix').EVERYTHING_ON },
    ];
    expect(matrices.length).toBeGreaterThanOrEqual(4);
    expect(matrices.filter((m) => 'organizationPolicies' in m.matrix).length).toBeGreaterThanOrEqual(2);
    expect(
      matrices.flatMap((m) =>
        Object.keys(m.matrix)
          .filter((k) => k in RENAMED_KEYS)
          .map((k) => `${m.rel}: ${k}`),
      ),
    ).toEqual([]);
  });
});

/** The concerns of tools/: each command lives in the folder of its concern (issue 27 item 6). */
const TOOL_CONCERNS = ['bench', 'checks', 'rollout', 'usage'];

test('commands are grouped by concern: tools/ holds only concern folders, each command in one', () => {
  const entries = fs.readdirSync(path.join(ROOT, 'tools'), { withFileTypes: true });
  expect(
    entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(),
  ).toEqual(TOOL_CONCERNS);
  // Beside the folders only the offline Terraform CLI config the package ships (lib/terraform.ts).
  expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual(['offline.tfrc']);
  const concernOf = (rel: string) =>
    rel.split(path.sep)[0] === 'tools' && rel.split(path.sep).length === 3 ? rel.split(path.sep)[1] : undefined;
  const commands = ENTRY_MODULES.filter((m) => folderOf(m) === 'tools');
  expect(commands.length).toBeGreaterThan(10);
  expect(commands.filter((m) => !TOOL_CONCERNS.includes(concernOf(m) ?? ''))).toEqual([]);
  // Every command of the CLI is main.ts, review/ or a command of a concern other than the benchmarks.
  const cli: Record<string, { file: string }> = require('../cli').COMMANDS;
  expect(
    Object.values(cli)
      .map((c) => c.file)
      .filter((f) => !['main', 'review/cli'].includes(f) && !['checks', 'rollout', 'usage'].includes(concernOf(path.normalize(f)) ?? '')),
  ).toEqual([]);
  // A concern imports from another only in the benchmarks, which measure the others.
  const crossing = SOURCES.filter((f) => concernOf(f.rel) && concernOf(f.rel) !== 'bench').flatMap((f) =>
    targetsOf(f)
      .filter((t) => folderOf(t) === 'tools' && concernOf(t) !== concernOf(f.rel))
      .map((t) => `${f.rel} -> ${t}`),
  );
  expect(crossing).toEqual([]);
  // The benchmarks are not shipped.
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files).toContain('!dist/tools/bench/');
});

test('every command reads its options through its own spec (typed options: an option name not in the spec does not compile)', () => {
  // A command module exports COMMAND = defineCommand({...}) and parses argv with cliOptions(COMMAND, ...), whose
  // result type lists exactly the spec's option names (lib/args.ts). Nothing else picks options out of argv.
  const commands = SOURCES.filter((f) => /export const COMMAND = defineCommand\(/.test(f.text));
  expect(commands.length).toBeGreaterThan(15);
  expect(commands.filter((f) => !/\bcliOptions\(COMMAND\b/.test(f.text)).map((f) => f.rel)).toEqual([]);
  // argv is indexed only by the parser itself and by bench-doc (which recognises the benchmark's own --doc to name its file).
  const indexing = SOURCES.filter((f) => /\bargv\s*\[\s*[a-z]|\bargv\.(indexOf|includes|find)\(/.test(f.text)).map((f) => f.rel);
  expect(indexing.sort()).toEqual([path.join('lib', 'args.ts'), path.join('tools', 'bench', 'bench-doc.ts')]);
});
