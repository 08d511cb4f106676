/**
 * Region codes are checked against the AWS SDK's partition metadata
 * (@aws-sdk/util-endpoints): codes that only look like regions (us-east-7,
 * eu-central-3) are refused with a did-you-mean; opt-in regions are valid.
 */
import { partition } from '@aws-sdk/util-endpoints';
import { MatrixError } from '../../config/errors';
import { validateMatrix } from '../../config/load';
import { knownRegions, regionProblem, supportedRegions } from '../../config/regions';

const matrix = (regions: string[]) => ({ accounts: [{ id: '111111111111', regions }] });
const problems = (m: unknown) => {
  try {
    validateMatrix(m, 'test');
    return [];
  } catch (e) {
    return (e as MatrixError).issues;
  }
};

test.each(['us-east-7', 'eu-central-3', 'ap-southeast-9', 'us-gov-central-1'])(
  '%s looks like a region but does not exist: refused, naming the field, the value, a guess and the list',
  (code) => {
    const issues = problems(matrix(['us-east-1', code]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'accounts[0].regions[1]', value: code });
    expect(issues[0].allowed).toMatch(
      /^an AWS region code that exists \(did you mean "[a-z-]+-\d"\?\), from the AWS SDK's partition metadata: af-south-1, /,
    );
    expect(issues[0].allowed).toContain('us-east-1');
  },
);

test('the guess is the nearest region', () => {
  expect(regionProblem('us-east-7')).toContain('(did you mean "us-east-1"?)');
  expect(regionProblem('eu-wst-1')).toContain('(did you mean "eu-west-1"?)');
  expect(regionProblem('US-EAST-1')).toContain('(did you mean "us-east-1"?)');
});

test('opt-in regions, GovCloud and China are valid', () => {
  const optIn = [
    'af-south-1',
    'ap-east-1',
    'ap-south-2',
    'ap-southeast-3',
    'eu-south-1',
    'eu-central-2',
    'me-south-1',
    'me-central-1',
    'il-central-1',
    'ca-west-1',
    'mx-central-1',
  ];
  for (const r of [...optIn, 'us-gov-west-1', 'cn-north-1']) expect([r, regionProblem(r)]).toEqual([r, undefined]);
  expect(problems(matrix(optIn))).toEqual([]);
});

test('every region the SDK lists in a supported partition passes, and the list is what partition() describes', () => {
  expect(supportedRegions().length).toBeGreaterThan(30);
  for (const r of supportedRegions()) {
    expect(regionProblem(r)).toBeUndefined();
    expect((partition(r) as { description?: string }).description).toBeDefined();
  }
  // A code of the right shape that the SDK does not describe is not in the list.
  expect(knownRegions()).not.toContain('us-east-7');
  expect((partition('us-east-7') as { description?: string }).description).toBeUndefined();
});

test('a region of a partition this project builds no ARNs for is refused with the reason', () => {
  const iso = knownRegions().find((r) => r.startsWith('us-iso-'));
  expect(iso).toBeDefined();
  expect(regionProblem(iso!)).toMatch(/^an AWS region code of partition aws, aws-cn, aws-us-gov: us-iso-.* is in partition aws-iso/);
});

test('the S3 state bucket region is checked the same way', () => {
  const issues = problems({
    ...matrix(['us-east-1']),
    deployment: { backend: { type: 's3', bucket: 'tf-state-bucket', region: 'us-west-9' } },
  });
  expect(issues.map((i) => i.path)).toEqual(['deployment.backend.region']);
});
