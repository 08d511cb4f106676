/**
 * The offline half of the leftover listing (lib/leftovers.ts): which workspaces or
 * state keys a backend's template makes, which of them no stack of the matrix has,
 * the one cloud command per backend, and the decommission file's entries.
 */
import { addedEntries, existingCommand, orphans, parseDecommissionFile, templatePattern, templatePrefix } from '../../config/leftovers';
import { resolveMatrix } from '../helpers';

const matrix = (backend: unknown) =>
  resolveMatrix({
    accounts: [{ id: '111111111111', name: 'genai-dev', environment: 'dev', regions: ['us-east-1'] }],
    deployment: { backend },
  });

test('a template matches exactly the names it makes, and captures the stack when it has {stack}', () => {
  const p = templatePattern('bedrock-governance/{stack}/terraform.tfstate');
  expect(p.exec('bedrock-governance/bedrock-logging-111111111111-us-east-1/terraform.tfstate')?.groups?.stack).toBe(
    'bedrock-logging-111111111111-us-east-1',
  );
  expect(p.test('bedrock-governance/notes.txt')).toBe(false);
  expect(p.test('bedrock-governance/bedrock-x/terraform.tfstateX')).toBe(false);
  const custom = templatePattern('lz-{environment}-{accountId}-{region}');
  expect(custom.test('lz-dev-111111111111-us-east-1')).toBe(true);
  expect(custom.exec('lz-dev-111111111111-us-east-1')?.groups?.stack).toBeUndefined();
  expect(custom.test('other-dev-1-us-east-1')).toBe(false);
  expect(templatePrefix('lz-{environment}-{region}')).toBe('lz-');
  expect(templatePrefix('{stack}')).toBe('');
});

test('orphans: the names the template makes that no stack of the matrix has, and nothing else', () => {
  const config = matrix({ type: 'tfc', organization: 'acme', workspaceTemplate: 'lz-{stack}' });
  const found = orphans(config, [
    'lz-bedrock-logging-111111111111-us-east-1', // in the matrix
    'lz-bedrock-logging-111111111111-eu-west-1', // left it
    'lz-bedrock-logging-111111111111-eu-west-1', // listed twice
    'someone-elses-workspace',
    '',
  ]);
  expect(found).toEqual([{ name: 'lz-bedrock-logging-111111111111-eu-west-1', stack: 'bedrock-logging-111111111111-eu-west-1' }]);
  expect(orphans(matrix({ type: 'local' }), ['bedrock-logging-111111111111-eu-west-1'])).toEqual([]);
});

test('the one cloud command: tfc-workspaces --list, or the AWS CLI listing the key prefix; none for local state', () => {
  expect(existingCommand({ type: 'tfc', organization: 'acme' })).toBe('npx bedrock-governance tfc-workspaces --list');
  expect(existingCommand({ type: 's3', bucket: 'state', region: 'eu-west-1', keyTemplate: "it's/{stack}.tfstate" })).toBe(
    "aws s3api list-objects-v2 --bucket 'state' --region 'eu-west-1' --prefix 'it'\\''s/' --query 'Contents[].Key' --output text | tr '\\t' '\\n'",
  );
  expect(existingCommand({ type: 'local' })).toBeUndefined();
  expect(existingCommand(undefined)).toBeUndefined();
});

test('a decommission file: one stack a line, comments and blank lines ignored, every problem with its line', () => {
  const { entries, problems } = parseDecommissionFile(
    '# gone\nbedrock-logging-111111111111-eu-west-1  # left in March\n\nbedrock-logging-111111111111-eu-west-1\nremove eu-west-1\nlogging-eu\n',
  );
  expect(entries).toEqual([{ stack: 'bedrock-logging-111111111111-eu-west-1', line: 2 }]);
  expect(problems).toEqual([
    'decommission.txt line 4: bedrock-logging-111111111111-eu-west-1 is named twice (first on line 2)',
    'decommission.txt line 5: "remove eu-west-1": one stack name a line, e.g. bedrock-logging-111111111111-eu-west-1',
    'decommission.txt line 6: "logging-eu" is no stack name (stack names start with bedrock-, e.g. bedrock-logging-111111111111-eu-west-1)',
  ]);
  const now = parseDecommissionFile('bedrock-a\nbedrock-b\n').entries;
  expect(addedEntries(now, 'bedrock-a\n')).toEqual([{ stack: 'bedrock-b', line: 2 }]);
  expect(addedEntries(now, undefined)).toEqual(now);
});
