/**
 * The renderers of the generated doc sections read the code, not a list kept by hand:
 * a key added to a schema, a rule, a resource type or a command shows up by itself.
 */
import { z } from 'zod';
import { Matrix } from '../../config/schema';
import { RULES as IAC_RULES } from '../../iac-rules';
import { RESOURCE_TYPES } from '../../lib/resource-types';
import { RULES as DANGER_RULES } from '../../review/rules';
import {
  commandsHelp,
  iacRulesTable,
  matrixKeyRows,
  matrixKeysTable,
  projectCommands,
  resourceTypesTable,
  reviewRulesTable,
} from '../../docsgen/sections';

test('every key of a schema is a row, with what the validator allows; an object used twice is spelled out once, where it is shallowest', () => {
  const Shared = z.object({ depth: z.number().int('a whole number').min(1, 'at least 1') }).strict();
  const schema = z
    .object({
      deep: z.object({ inner: Shared.optional() }).strict().optional(),
      mode: z.enum(['fast', 'safe']),
      shared: Shared.optional(),
      list: z.array(z.object({ name: z.string().regex(/^[a-z]+$/, 'lower-case letters') }).strict()).optional(),
    })
    .strict();
  expect(matrixKeyRows(schema)).toEqual([
    { key: 'deep', required: false, allowed: 'an object with the keys below' },
    { key: 'deep.inner', required: false, allowed: 'the same keys as `shared`' },
    { key: 'mode', required: true, allowed: '`fast`, `safe`' },
    { key: 'shared', required: false, allowed: 'an object with the keys below' },
    { key: 'shared.depth', required: true, allowed: 'a whole number; at least 1' },
    { key: 'list', required: false, allowed: 'a list; each entry:' },
    { key: 'list[]', required: true, allowed: 'an object with the keys below' },
    { key: 'list[].name', required: true, allowed: 'lower-case letters' },
  ]);
});

test('maps of objects are spelled out, and a zod type the generator does not know is named, not fatal', () => {
  const schema = z
    .object({ byName: z.record(z.string().regex(/^\w+$/, 'a word'), z.object({ on: z.boolean() }).strict()), when: z.date() })
    .strict();
  expect(matrixKeyRows(schema)).toEqual([
    { key: 'byName', required: true, allowed: 'a map from a word to an object with the keys below' },
    { key: 'byName.<key>', required: true, allowed: 'an object with the keys below' },
    { key: 'byName.<key>.on', required: true, allowed: '`true` or `false`' },
    { key: 'when', required: true, allowed: 'a date (see the schema)' },
  ]);
});

test('the matrix table has a row for every top-level key of the matrix schema and every logging option', () => {
  const keys = matrixKeyRows().map((r) => r.key);
  for (const k of Object.keys(Matrix.shape)) expect(keys).toContain(k);
  const text = matrixKeysTable();
  expect(text).toContain('| `logging.logRetentionDays` |');
  expect(text).toContain('| `accounts[].regions[].logging` |  | the same keys as `logging` |');
});

test('the rule tables and the contract table have a row for every rule and every resource type', () => {
  const review = reviewRulesTable();
  for (const r of DANGER_RULES) expect(review).toContain(`| \`${r.cause}\`: `);
  const iac = iacRulesTable();
  for (const r of IAC_RULES) expect(iac).toContain(`| ${r.id} |`);
  const contract = resourceTypesTable();
  for (const t of Object.keys(RESOURCE_TYPES)) expect(contract).toContain(`| \`${t}\` |`);
});

test('the commands are the npm scripts that run a command of this project, each with its --help', () => {
  const commands = projectCommands();
  expect(commands.map((c) => c.script)).toEqual(expect.arrayContaining(['synth', 'review', 'verify', 'docs']));
  const help = commandsHelp();
  for (const c of commands) {
    expect(c.spec.command).toBe(`npm run ${c.script}`);
    for (const o of c.spec.options) expect([c.script, help.includes(o.name)]).toEqual([c.script, true]);
  }
});
