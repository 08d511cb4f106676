/**
 * logging.objectLock: S3 Object Lock on the log bucket, switched on at creation
 * with a default retention; validated against the lifecycle; COMPLIANCE only with
 * its written confirmation; and switching it on for an existing bucket (a forced
 * replacement in provider 5.100) is a dangerous change in the plan review.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { COMPLIANCE_CONFIRMATION } from '../../config/logging';
import type { Matrix } from '../../config/schema';
import { classify } from '../../review/diff';
import { reviewTrees } from '../../review/review';
import { synthesize } from '../../stacks/app';
import { LoggingStack } from '../../stacks/logging-stack';
import { PROD, minimalMatrix, problems, resolveMatrix } from '../helpers';

const synthStack = (m: Matrix) => JSON.parse(Testing.synth(new LoggingStack(Testing.app(), resolveMatrix(m).stacks[0])));

describe('the log bucket with Object Lock', () => {
  test('off by default: no object_lock_enabled, no lock configuration', () => {
    const tf = synthStack(minimalMatrix());
    expect(tf.resource.aws_s3_bucket.invocation_logs.object_lock_enabled).toBeUndefined();
    expect(tf.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
  });

  test('GOVERNANCE: enabled at creation, with a default retention that waits for versioning', () => {
    const tf = synthStack(
      minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days: 400 }, lifecycle: { expirationDays: 400 } } }),
    );
    expect(tf.resource.aws_s3_bucket.invocation_logs).toMatchObject({ object_lock_enabled: true, lifecycle: { prevent_destroy: true } });
    expect(tf.resource.aws_s3_bucket_object_lock_configuration.invocation_logs).toEqual({
      bucket: '${aws_s3_bucket.invocation_logs.id}',
      object_lock_enabled: 'Enabled',
      rule: { default_retention: { mode: 'GOVERNANCE', days: 400 } },
      depends_on: ['aws_s3_bucket_versioning.invocation_logs'],
    });
  });

  test('per account and region: the most specific setting wins', () => {
    const m = minimalMatrix({
      logging: { objectLock: { mode: 'GOVERNANCE', days: 30 } },
      accounts: [
        {
          id: PROD,
          regions: [
            'us-east-1',
            { region: 'eu-west-1', logging: { objectLock: { mode: 'COMPLIANCE', days: 90, confirmCompliance: COMPLIANCE_CONFIRMATION } } },
          ],
        },
      ],
    });
    const [use1, euw1] = resolveMatrix(m).stacks;
    expect([use1.logging.objectLock?.mode, euw1.logging.objectLock?.mode]).toEqual(['GOVERNANCE', 'COMPLIANCE']);
  });
});

describe('matrix checks', () => {
  const at = 'accounts[0].regions[0]';
  test('COMPLIANCE needs the exact confirmation', () => {
    expect(problems(minimalMatrix({ logging: { objectLock: { mode: 'COMPLIANCE', days: 30 } } }))).toEqual([
      {
        path: `${at} (logging.objectLock.confirmCompliance)`,
        value: undefined,
        allowed: expect.stringContaining(`confirmCompliance: "${COMPLIANCE_CONFIRMATION}" with mode COMPLIANCE`),
      },
    ]);
    expect(problems({ ...minimalMatrix(), logging: { objectLock: { mode: 'COMPLIANCE', days: 30, confirmCompliance: 'yes' } } })).toEqual([
      expect.objectContaining({
        path: 'logging.objectLock.confirmCompliance',
        allowed: expect.stringContaining(`exactly "${COMPLIANCE_CONFIRMATION}"`),
      }),
    ]);
    expect(
      problems(minimalMatrix({ logging: { objectLock: { mode: 'COMPLIANCE', days: 30, confirmCompliance: COMPLIANCE_CONFIRMATION } } })),
    ).toEqual([]);
    expect(
      problems(minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days: 30, confirmCompliance: COMPLIANCE_CONFIRMATION } } })),
    ).toEqual([
      expect.objectContaining({
        path: `${at} (logging.objectLock.confirmCompliance)`,
        allowed: expect.stringContaining('no confirmCompliance with mode GOVERNANCE'),
      }),
    ]);
  });

  test('logs cannot expire before their retention ends', () => {
    expect(
      problems(minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days: 365 }, lifecycle: { expirationDays: 180 } } })),
    ).toEqual([
      {
        path: `${at} (logging.lifecycle.expirationDays)`,
        value: 180,
        allowed: expect.stringContaining('at least logging.objectLock.days (365)'),
      },
    ]);
    expect(
      problems(minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days: 365 }, lifecycle: { expirationDays: 365 } } })),
    ).toEqual([]);
    // No expiration: logs are kept forever, longer than any retention.
    expect(problems(minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days: 365 } } }))).toEqual([]);
  });

  test('days: a whole number from 1 to 36,500; mode: GOVERNANCE or COMPLIANCE', () => {
    for (const days of [0, 1.5, 36501])
      expect(problems(minimalMatrix({ logging: { objectLock: { mode: 'GOVERNANCE', days } } }))).toEqual([
        expect.objectContaining({ path: 'logging.objectLock.days' }),
      ]);
    expect(problems({ ...minimalMatrix(), logging: { objectLock: { mode: 'LEGAL_HOLD', days: 1 } } })).toEqual([
      expect.objectContaining({ path: 'logging.objectLock.mode' }),
    ]);
  });
});

describe('the plan review', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-object-lock-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const tree = (name: string, m: Matrix) => {
    const dir = path.join(scratch, name);
    synthesize(resolveMatrix(m), dir);
    return dir;
  };
  const clone = (): Matrix => JSON.parse(JSON.stringify(EXAMPLE_MATRIX));

  test('switching Object Lock on for an existing bucket is a dangerous bucket replacement', () => {
    const base = tree('base', clone());
    const head = clone();
    head.logging = { ...head.logging, objectLock: { mode: 'GOVERNANCE', days: 30 } };
    delete head.logging.lifecycle?.expirationDays;
    const review = reviewTrees(base, tree('head', head));
    const stack = review.stacks.find((s) => s.name === `bedrock-logging-${PROD}-us-east-1`)!;
    const bucket = stack.changes.find((c) => c.address === 'aws_s3_bucket.invocation_logs')!;
    expect(bucket).toMatchObject({ action: 'replace', dangerous: true, attributes: ['object_lock_enabled'] });
    expect(bucket.reason).toContain('stateful resource replaced (object_lock_enabled forces a new resource)');
    expect(stack.changes.find((c) => c.address === 'aws_s3_bucket_object_lock_configuration.invocation_logs')).toMatchObject({
      action: 'create',
    });
    expect(review.dangerous).toBeGreaterThanOrEqual(1);
  });
});

describe('weakening Object Lock is dangerous too', () => {
  const lock = (mode: string, days: number) => ({
    bucket: 'b',
    object_lock_enabled: 'Enabled',
    rule: { default_retention: { mode, days } },
  });
  const A = 'aws_s3_bucket_object_lock_configuration.invocation_logs';

  test('removing the retention, shortening it, or relaxing COMPLIANCE', () => {
    expect(classify(A, lock('GOVERNANCE', 365), undefined)).toMatchObject({
      action: 'delete',
      dangerous: true,
      reason: expect.stringContaining('no longer locked'),
    });
    expect(classify(A, lock('GOVERNANCE', 365), lock('GOVERNANCE', 30))).toMatchObject({
      action: 'update',
      dangerous: true,
      reason: 'Object Lock retention shortened from 365 to 30 days',
    });
    expect(classify(A, lock('COMPLIANCE', 365), lock('GOVERNANCE', 365))).toMatchObject({
      dangerous: true,
      reason: 'Object Lock mode relaxed from COMPLIANCE to GOVERNANCE',
    });
  });

  test('lengthening it, or GOVERNANCE to COMPLIANCE, is not', () => {
    expect(classify(A, lock('GOVERNANCE', 30), lock('GOVERNANCE', 365))).toMatchObject({ action: 'update', dangerous: false });
    expect(classify(A, lock('GOVERNANCE', 30), lock('COMPLIANCE', 30))).toMatchObject({ dangerous: false });
  });
});
