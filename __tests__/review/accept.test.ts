/**
 * The accept file as an audit trail (issue 25, item 5): every pattern carries a
 * reason, review.md shows it beside each acknowledged change, and a pattern that
 * matches no dangerous change is reported as stale.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../lib/args';
import { readAcceptFile } from '../../review/cli';
import { toJson, toMarkdown } from '../../review/report';
import { StackReview, finish } from '../../review/review';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-accept-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(scratch, name);
  fs.writeFileSync(f, text);
  return f;
};

const stacks = (): StackReview[] => [
  {
    name: 'bedrock-logging-111111111111-eu-west-1',
    status: 'changed',
    changes: [
      {
        address: 'aws_bedrock_inference_profile.acme__haiku',
        action: 'replace',
        dangerous: true,
        reason: 'inference profile replaced: callers using its ARN break',
        causes: ['profile-arn'],
      },
    ],
  },
];

test('a pattern with its reason; comment lines and blank lines are skipped', () => {
  const f = file(
    'ok.txt',
    '# known changes\n\nbedrock-logging-*:aws_bedrock_inference_profile.acme__haiku   # haiku 3 -> 3.5, callers moved to the new ARN\n',
  );
  expect(readAcceptFile(f)).toEqual([
    {
      pattern: 'bedrock-logging-*:aws_bedrock_inference_profile.acme__haiku',
      reason: 'haiku 3 -> 3.5, callers moved to the new ARN',
      source: `${f}:3`,
    },
  ]);
});

test('a pattern without a reason is an error naming the file, the line and the pattern', () => {
  const f = file('bad.txt', 'a:*   # fine\nbedrock-logging-*:*\nb:*   #   \n');
  expect(() => readAcceptFile(f)).toThrow(UsageError);
  expect(() => readAcceptFile(f)).toThrow(`${f}:2: bedrock-logging-*:*`);
  expect(() => readAcceptFile(f)).toThrow(`${f}:3: b:*`);
});

test('review.md shows the reason beside each acknowledged change, in the cause list and the change list; review.json has it', () => {
  const review = finish(stacks(), [
    { pattern: '*:aws_bedrock_inference_profile.acme__haiku', reason: 'haiku 3 -> 3.5, callers moved', source: 'accept.txt:3' },
  ]);
  expect(review.accepted).toBe(1);
  const md = toMarkdown(review);
  expect(md).toContain('(acknowledged: haiku 3 -> 3.5, callers moved) replace `aws_bedrock_inference_profile.acme__haiku`');
  expect(md).toContain(
    'replace `aws_bedrock_inference_profile.acme__haiku` (acknowledged: haiku 3 -> 3.5, callers moved): inference profile replaced',
  );
  expect(JSON.parse(toJson(review)).stacks[0].changes[0].acceptedBy).toEqual([
    { pattern: '*:aws_bedrock_inference_profile.acme__haiku', reason: 'haiku 3 -> 3.5, callers moved', source: 'accept.txt:3' },
  ]);
  expect(review.stale).toBeUndefined();
});

test('a pattern that matches no dangerous change is reported as stale', () => {
  const review = finish(stacks(), [
    { pattern: '*:aws_bedrock_inference_profile.acme__haiku', reason: 'model upgrade', source: 'accept.txt:1' },
    { pattern: 'bedrock-logging-222222222222-*:*', reason: 'region decommissioned last month', source: 'accept.txt:2' },
  ]);
  expect(review.stale).toEqual([
    { pattern: 'bedrock-logging-222222222222-*:*', reason: 'region decommissioned last month', source: 'accept.txt:2' },
  ]);
  const md = toMarkdown(review);
  expect(md).toContain('**1 stale acknowledgement**: this pattern matches no dangerous change; remove it from the accept file.');
  expect(md).toContain('- `bedrock-logging-222222222222-*:*` (region decommissioned last month), accept.txt:2');
});

test("the repository's accept file parses (only comments: nothing acknowledged)", () => {
  expect(readAcceptFile(path.join(__dirname, '..', '..', '.github', 'review-accept.txt'))).toEqual([]);
});
