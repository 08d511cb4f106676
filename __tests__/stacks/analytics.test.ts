/**
 * Usage analytics and monitoring of a logging stack: the Glue table against the
 * log record, the Athena workgroup and queries, the rate card, the metric filters,
 * the alarms, data protection, the dashboard, QuickSight, and the matrix switches.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import type { Matrix } from '../../config/schema';
import { EXCLUDED_FIELDS, INVOCATION_LOG_COLUMNS, coveredFieldPaths } from '../../stacks/analytics/log-record';
import { MAX_ALARM_METRICS } from '../../stacks/analytics/alarms';
import { generateLogTree } from '../../tools/usage/generate-logs';
import * as zlib from 'zlib';
import { PROD, problems, resolveMatrix, synth } from '../helpers';
import { asArray, asObject, at, type TerraformBody } from '../../review/terraform-json';

const example = resolveMatrix(EXAMPLE_MATRIX);
const prodUse1 = synth(example.stacks.find((s) => s.stackName === `bedrock-logging-${PROD}-us-east-1`)!);
const bucketRef = '${aws_s3_bucket.invocation_logs.id}';
const bucketName = `bedrock-invocation-logs-${PROD}-us-east-1`;
const logsPath = `invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/us-east-1/`;

/** A Glue column, a dashboard widget and an alarm's metric query, with the fields read here. */
interface Column {
  name: string;
  type: string;
}
interface Widget {
  properties: { title?: string };
}
interface MetricQuery {
  metric: { metric_name: string; stat: string; dimensions: Record<string, string> };
  expression?: string;
}
/** An alarm's metric_query blocks, as the stack synthesizes them. */
const metricQueries = (alarm: TerraformBody): MetricQuery[] => asArray(alarm.metric_query) as unknown[] as MetricQuery[];

/** Every leaf field path of a JSON record, lower-cased: "input.inputtokencount", ... */
function leafPaths(v: unknown, prefix = ''): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => leafPaths(x, prefix ? `${prefix}.${k.toLowerCase()}` : k.toLowerCase()));
}

describe('Athena over the S3 logs', () => {
  test('the Glue columns match the fields of a log record (bodies left out on purpose)', () => {
    // A realistic record as Bedrock writes it, from the same generator the usage-report tests use.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-record-'));
    try {
      generateLogTree(dir, { records: 200, perFile: 200 });
      const file = execFind(dir);
      const records = zlib
        .gunzipSync(fs.readFileSync(file))
        .toString()
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l));
      const withError = records.find((r) => r.errorCode)!;
      const withOutput = records.find((r) => r.output && r.requestMetadata)!;
      const fields = new Set(
        [...leafPaths(withError), ...leafPaths(withOutput)].map((f) =>
          f.replace(/^(requestmetadata|input\.inputbodyjson|output\.outputbodyjson)\..*$/, '$1'),
        ),
      );
      const excluded = EXCLUDED_FIELDS.map((f) => f.toLowerCase());
      const covered = coveredFieldPaths();
      // Every field of the record is a column (or excluded), and every column is a field Bedrock writes.
      for (const f of fields) expect({ f, covered: covered.includes(f) || excluded.includes(f) }).toEqual({ f, covered: true });
      // The generator's records leave out the S3 paths of large bodies; those exist only for large or binary bodies.
      expect(covered.filter((c) => !fields.has(c)).sort()).toEqual(['input.inputbodys3path', 'output.outputbodys3path']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the table reads the hourly key path with partition projection and the OpenX JSON SerDe', () => {
    const t = prodUse1.resource('aws_glue_catalog_table', 'invocations');
    expect(t.database_name).toBe('${aws_glue_catalog_database.usage.name}');
    expect(at(t, 'storage_descriptor', 'location')).toBe(`s3://${bucketName}/${logsPath}`);
    expect(at(t, 'storage_descriptor', 'ser_de_info')).toMatchObject({
      serialization_library: 'org.openx.data.jsonserde.JsonSerDe',
      parameters: { 'ignore.malformed.json': 'true' },
    });
    const columns = asArray(at(t, 'storage_descriptor', 'columns')) as unknown[] as Column[];
    expect(columns.map((c) => [c.name, c.type])).toEqual(INVOCATION_LOG_COLUMNS.map((c) => [c.name, c.type]));
    expect(columns.find((c) => c.name === 'requestmetadata')?.type).toBe('map<string,string>');
    expect(t.partition_keys).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
    expect(t.parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy/MM/dd/HH',
      'projection.dt.interval.unit': 'HOURS',
      // Escaped for Terraform: Athena sees ${dt}.
      'storage.location.template': `s3://${bucketName}/${logsPath}$\${dt}/`,
    });
  });

  test('the workgroup enforces KMS-encrypted results in their own bucket (never the log bucket) and a bytes-scanned limit', () => {
    expect(prodUse1.resource('aws_athena_workgroup', 'usage')).toMatchObject({
      name: 'bedrock-usage',
      force_destroy: false,
      configuration: {
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: 10_240 * 1024 * 1024,
        result_configuration: {
          output_location: 's3://${aws_s3_bucket.athena_results.bucket}/',
          expected_bucket_owner: PROD,
          encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: '${aws_kms_key.invocation_logs.arn}' },
        },
      },
    });
    const output = at(prodUse1.resource('aws_athena_workgroup', 'usage'), 'configuration', 'result_configuration', 'output_location');
    expect(output).toBeDefined();
    expect(output).not.toContain(bucketName);
  });

  test.each([
    ['without Object Lock', {}],
    ['with Object Lock on the log bucket', { objectLock: { mode: 'GOVERNANCE', days: 365 } }],
  ])('%s: the results bucket is hardened like every bucket, has no Object Lock, and its results expire', (_name, logging) => {
    const m: Matrix = { ...EXAMPLE_MATRIX, logging: { ...EXAMPLE_MATRIX.logging, ...logging } as Matrix['logging'] };
    const s = synth(resolveMatrix(m).stacks.find((x) => x.stackName === `bedrock-logging-${PROD}-us-east-1`)!);
    const results = `bedrock-athena-results-${PROD}-us-east-1`;
    expect(s.resource('aws_s3_bucket', 'athena_results')).toEqual({
      bucket: results,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(s.resources('aws_s3_bucket_object_lock_configuration').athena_results).toBeUndefined();
    expect(at(s.resource('aws_s3_bucket_ownership_controls', 'athena_results'), 'rule', 'object_ownership')).toBe('BucketOwnerEnforced');
    expect(s.resource('aws_s3_bucket_public_access_block', 'athena_results')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(
      at(
        s.resource('aws_s3_bucket_server_side_encryption_configuration', 'athena_results'),
        'rule',
        0,
        'apply_server_side_encryption_by_default',
      ),
    ).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: '${aws_kms_key.invocation_logs.arn}',
    });
    expect(s.resource('aws_s3_bucket_lifecycle_configuration', 'athena_results').rule).toEqual([
      expect.objectContaining({ status: 'Enabled', expiration: [{ days: 7 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] }),
    ]);
    // With the lock, the log bucket keeps it; the results bucket never has it.
    if ('objectLock' in logging) expect(Object.keys(s.resources('aws_s3_bucket_object_lock_configuration'))).toEqual(['invocation_logs']);
  });

  test('analytics.athena.resultsExpirationDays sets the expiry of the results; out of range is refused, naming the field', () => {
    const m: Matrix = { ...EXAMPLE_MATRIX, analytics: { ...EXAMPLE_MATRIX.analytics, athena: { resultsExpirationDays: 30 } } };
    const s = synth(resolveMatrix(m).stacks.find((x) => x.stackName === `bedrock-logging-${PROD}-us-east-1`)!);
    expect(at(s.resource('aws_s3_bucket_lifecycle_configuration', 'athena_results'), 'rule', 0, 'expiration')).toEqual([{ days: 30 }]);
    for (const days of [0, 366, 2.5])
      expect(problems({ ...EXAMPLE_MATRIX, analytics: { ...EXAMPLE_MATRIX.analytics, athena: { resultsExpirationDays: days } } })).toEqual([
        {
          path: 'analytics.athena.resultsExpirationDays',
          value: days,
          allowed: 'a whole number of days from 1 to 365 after which Athena query results expire',
        },
      ]);
  });

  test('without Athena there is no results bucket', () => {
    const m: Matrix = { ...EXAMPLE_MATRIX, analytics: { ...EXAMPLE_MATRIX.analytics, athena: false } };
    const s = synth(resolveMatrix(m).stacks.find((x) => x.stackName === `bedrock-logging-${PROD}-us-east-1`)!);
    expect(Object.keys(s.resources('aws_s3_bucket'))).toEqual(['invocation_logs']);
  });

  test('five named queries answer the usage questions, per tenant from requestMetadata', () => {
    const q = prodUse1.resources('aws_athena_named_query');
    expect(Object.keys(q).sort()).toEqual([
      'cache_token_use',
      'errors_and_throttles_per_tenant',
      'estimated_cost_per_tenant',
      'tokens_per_tenant_model_day',
      'top_users_per_tenant',
    ]);
    for (const x of Object.values(q)) {
      expect(x.query).toContain(`coalesce(nullif(element_at(requestmetadata, 'tenantId'), ''), 'untagged')`);
      expect(x.query).toContain('"bedrock_invocation_logs"."invocations"');
      expect(x.workgroup).toBe('${aws_athena_workgroup.usage.name}');
    }
    expect(q.estimated_cost_per_tenant.query).toContain('LEFT JOIN "bedrock_invocation_logs"."rate_card" r');
    expect(q.estimated_cost_per_tenant.query).toContain('u.day >= r.valid_from AND (r.valid_to IS NULL OR u.day < r.valid_to)');
  });

  test('the rate card is a small CSV table: one row per logged model ID (profile ARNs and the model) and price period', () => {
    const object = prodUse1.resource('aws_s3_object', 'rate_card');
    expect(object).toMatchObject({
      bucket: bucketRef,
      key: 'analytics/rate-card/rate_card.csv',
      server_side_encryption: 'aws:kms',
      content_type: 'text/csv',
    });
    const rows = String(object.content).trim().split('\n');
    expect(rows[0]).toBe(
      'model_id,model_alias,input_per_million,output_per_million,cache_read_per_million,cache_write_per_million,valid_from,valid_to',
    );
    expect(rows).toContain('${aws_bedrock_inference_profile.acme__haiku.arn},haiku,0.25,1.25,0,0,2024-03-01,');
    expect(rows).toContain('${aws_bedrock_inference_profile.globex__haiku.arn},haiku,0.25,1.25,0,0,2024-03-01,');
    expect(rows).toContain('anthropic.claude-3-haiku-20240307-v1:0,haiku,0.25,1.25,0,0,2024-03-01,');
    expect(rows).toContain('us.anthropic.claude-3-5-sonnet-20240620-v1:0,sonnet,3,15,0.3,3.75,2024-06-20,');
    expect(rows.length).toBe(1 + 3 + 2 + 2); // haiku: 2 profiles + model; sonnet: 1 + 1; titan-embed: 1 + 1
    expect(at(prodUse1.resource('aws_glue_catalog_table', 'rate_card'), 'parameters', 'skip.header.line.count')).toBe('1');
  });
});

describe('CloudWatch', () => {
  test('metric filters count input and output tokens per tenant and model (three dimensions at most, never a user)', () => {
    const f = prodUse1.resources('aws_cloudwatch_log_metric_filter');
    expect(Object.keys(f).sort()).toEqual([
      'tenant_input_tokens',
      'tenant_model_input_tokens',
      'tenant_model_output_tokens',
      'tenant_output_tokens',
    ]);
    expect(f.tenant_model_input_tokens).toEqual({
      name: 'bedrock-tenant-model-input-tokens',
      log_group_name: '${aws_cloudwatch_log_group.invocation_logs.name}',
      pattern: '{ ($.schemaType = "ModelInvocationLog") && ($.requestMetadata.tenantId = "*") && ($.input.inputTokenCount = "*") }',
      metric_transformation: {
        name: 'InputTokens',
        namespace: 'Bedrock/TenantUsage',
        value: '$.input.inputTokenCount',
        unit: 'Count',
        dimensions: { Tenant: '$.requestMetadata.tenantId', ModelId: '$.modelId' },
      },
    });
    expect(f.tenant_output_tokens.metric_transformation).toMatchObject({
      name: 'OutputTokens',
      value: '$.output.outputTokenCount',
      dimensions: { Tenant: '$.requestMetadata.tenantId' },
    });
    for (const x of Object.values(f)) {
      expect(Object.keys(asObject(at(x, 'metric_transformation', 'dimensions'))).length).toBeLessThanOrEqual(3);
      expect(at(x, 'metric_transformation', 'default_value')).toBeUndefined();
      expect(JSON.stringify(at(x, 'metric_transformation', 'dimensions'))).not.toMatch(/user/i);
    }
  });

  test('the tenant key and one extra dimension are configurable; a user ID as a dimension is refused', () => {
    const m = { ...EXAMPLE_MATRIX, analytics: { tenantKey: 'team', extraDimension: 'useCase' } };
    const f = synth(resolveMatrix(m).stacks[0]).resource('aws_cloudwatch_log_metric_filter', 'tenant_model_input_tokens');
    expect(at(f, 'metric_transformation', 'dimensions')).toEqual({
      Tenant: '$.requestMetadata.team',
      ModelId: '$.modelId',
      useCase: '$.requestMetadata.useCase',
    });
    expect(f.pattern).toContain('($.requestMetadata.useCase = "*")');
    expect(problems({ ...EXAMPLE_MATRIX, analytics: { extraDimension: 'userId' } })).toEqual([
      { path: 'analytics.extraDimension', value: 'userId', allowed: expect.stringContaining('1,000-values-per-hour limit') },
    ]);
  });

  test('Logs Insights saved queries cover the same questions on the log group', () => {
    const q = prodUse1.resources('aws_cloudwatch_query_definition');
    expect(Object.keys(q).sort()).toEqual([
      'cache_token_use',
      'errors_and_throttles_per_tenant',
      'tokens_per_tenant_model_day',
      'top_users_per_tenant',
      'untagged_invocations',
    ]);
    for (const x of Object.values<TerraformBody>(q))
      expect(x.log_group_names).toEqual(['${aws_cloudwatch_log_group.invocation_logs.name}']);
    expect(q.tokens_per_tenant_model_day.query_string).toContain('by bin(1d) as day, requestMetadata.tenantId as tenant, modelId');
  });

  test('a data protection policy audits and masks the configured data identifiers', () => {
    const p = prodUse1.resource('aws_cloudwatch_log_data_protection_policy', 'invocation_logs');
    expect(p.log_group_name).toBe('${aws_cloudwatch_log_group.invocation_logs.name}');
    const ids = ['arn:aws:dataprotection::aws:data-identifier/EmailAddress', 'arn:aws:dataprotection::aws:data-identifier/IpAddress'];
    expect(JSON.parse(p.policy_document as string)).toEqual({
      Name: 'bedrock-invocation-logs-data-protection',
      Description: expect.any(String),
      Version: '2021-06-01',
      Statement: [
        { Sid: 'audit', DataIdentifier: ids, Operation: { Audit: { FindingsDestination: {} } } },
        { Sid: 'redact', DataIdentifier: ids, Operation: { Deidentify: { MaskConfig: {} } } },
      ],
    });
  });

  test('the dashboard shows Bedrock health and use per model, log delivery, and tokens per tenant', () => {
    const body = JSON.parse(prodUse1.resource('aws_cloudwatch_dashboard', 'usage').dashboard_body as string);
    const titles = body.widgets.map((w: Widget) => w.properties.title).filter(Boolean);
    expect(titles).toEqual([
      'Invocations',
      'Invocation latency p99 (ms)',
      'Time to first token p99 (ms)',
      'Input tokens',
      'Output tokens',
      'Throttles',
      'Client errors',
      'Server errors',
      'Log delivery failures (lost logs lose attribution)',
      'Input tokens per tenant (hourly)',
      'Output tokens per tenant (hourly)',
    ]);
    const exprs = JSON.stringify(body);
    for (const m of [
      'Invocations',
      'InvocationLatency',
      'TimeToFirstToken',
      'InputTokenCount',
      'OutputTokenCount',
      'InvocationThrottles',
      'InvocationClientErrors',
      'InvocationServerErrors',
    ])
      expect(exprs).toContain(`SEARCH('{AWS/Bedrock,ModelId} MetricName=\\"${m}\\"'`);
    expect(exprs).toContain('ModelInvocationLogsS3DeliveryFailure');
    expect(exprs).toContain('ModelInvocationLogsCloudWatchDeliveryFailure');
  });
});

describe('alarms', () => {
  const alarms = prodUse1.resources('aws_cloudwatch_metric_alarm');

  test('go to an SNS topic encrypted with its own key, with the matrix e-mail subscribed', () => {
    expect(prodUse1.resource('aws_sns_topic', 'alarms')).toMatchObject({
      name: 'bedrock-alarms',
      kms_master_key_id: '${aws_kms_key.alarms.arn}',
    });
    expect(prodUse1.resource('aws_kms_key', 'alarms')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(prodUse1.resource('aws_sns_topic_subscription', 'alarms_email_0')).toMatchObject({
      protocol: 'email',
      endpoint: 'genai-oncall@example.com',
    });
    for (const a of Object.values<TerraformBody>(alarms))
      expect([a.alarm_actions, a.ok_actions]).toEqual([['${aws_sns_topic.alarms.arn}'], ['${aws_sns_topic.alarms.arn}']]);
  });

  test("server errors, throttles and p99 latency over the stack's models; delivery failures; a tenant's daily tokens", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'latency_p99',
      'log_delivery_cloudwatch',
      'log_delivery_large_data',
      'log_delivery_s3',
      'server_errors',
      'tenant_tokens_acme',
      'throttles',
      // The example has no loggedInferenceOnly SCP: bedrock-mantle is open, so its unlogged traffic is watched (stacks/safety/unlogged-traffic.ts).
      'unlogged_mantle_inferences',
    ]);
    const models = [
      'amazon.titan-embed-text-v2:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
    ];
    const overModels = (a: TerraformBody, metric: string, stat: string) => {
      expect(metricQueries(a)[0]).toMatchObject({ id: 'e1', return_data: true });
      expect(
        metricQueries(a)
          .slice(1)
          .map((q) => [q.metric.metric_name, q.metric.stat, q.metric.dimensions.ModelId]),
      ).toEqual(models.map((m) => [metric, stat, m]));
    };
    expect(alarms.server_errors).toMatchObject({
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
    });
    overModels(alarms.server_errors, 'InvocationServerErrors', 'Sum');
    expect(metricQueries(alarms.server_errors)[0].expression).toBe('SUM(METRICS())');
    expect(alarms.throttles.threshold).toBe(10);
    overModels(alarms.throttles, 'InvocationThrottles', 'Sum');
    expect(alarms.latency_p99).toMatchObject({ threshold: 15000, evaluation_periods: 3, datapoints_to_alarm: 3 });
    expect(metricQueries(alarms.latency_p99)[0].expression).toBe('MAX(METRICS())');
    overModels(alarms.latency_p99, 'InvocationLatency', 'p99');
    expect(alarms.log_delivery_s3).toMatchObject({
      namespace: 'AWS/Bedrock',
      metric_name: 'ModelInvocationLogsS3DeliveryFailure',
      statistic: 'Sum',
      threshold: 0,
    });
    expect(alarms.log_delivery_s3.dimensions).toBeUndefined();
    expect(alarms.log_delivery_cloudwatch.metric_name).toBe('ModelInvocationLogsCloudWatchDeliveryFailure');
    expect(alarms.tenant_tokens_acme).toMatchObject({ threshold: 5_000_000, alarm_name: 'bedrock-tenant-tokens-acme-us-east-1' });
    expect(alarms.tenant_tokens_acme.metric_query).toEqual([
      expect.objectContaining({ id: 'e1', expression: 'm1 + m2' }),
      expect.objectContaining({
        id: 'm1',
        metric: expect.objectContaining({
          namespace: 'Bedrock/TenantUsage',
          metric_name: 'InputTokens',
          dimensions: { Tenant: 'acme' },
          period: 86400,
        }),
      }),
      expect.objectContaining({
        id: 'm2',
        metric: expect.objectContaining({ metric_name: 'OutputTokens', dimensions: { Tenant: 'acme' } }),
      }),
    ]);
  });

  test.each([
    [['s3'], ['ModelInvocationLogsS3DeliveryFailure']],
    [['cloudwatch'], ['ModelInvocationLogsCloudWatchDeliveryFailure', 'ModelInvocationLargeDataS3DeliveryFailure']],
    [
      ['s3', 'cloudwatch'],
      ['ModelInvocationLogsS3DeliveryFailure', 'ModelInvocationLogsCloudWatchDeliveryFailure', 'ModelInvocationLargeDataS3DeliveryFailure'],
    ],
  ] as [('s3' | 'cloudwatch')[], string[]][])(
    'destinations %j: a delivery-failure alarm and dashboard series for exactly %j',
    (destinations, metrics) => {
      const m: Matrix = {
        logging: { destinations },
        accounts: [{ id: PROD, regions: ['us-east-1'] }],
        models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
        tenants: [{ id: 'acme', models: ['haiku'] }],
      };
      const s = synth(resolveMatrix(m).stacks[0]);
      const delivery = Object.values(s.resources('aws_cloudwatch_metric_alarm')).filter((a) =>
        String(a.alarm_name).startsWith('bedrock-log-delivery-'),
      );
      expect(delivery.map((a) => a.metric_name).sort()).toEqual([...metrics].sort());
      for (const a of delivery) {
        expect(a).toMatchObject({
          namespace: 'AWS/Bedrock',
          statistic: 'Sum',
          period: 300,
          threshold: 0,
          comparison_operator: 'GreaterThanThreshold',
        });
        expect(a.dimensions).toBeUndefined(); // emitted "across all model IDs"
      }
      const body = JSON.parse(s.resource('aws_cloudwatch_dashboard', 'usage').dashboard_body as string);
      const widget = body.widgets.find((w: Widget) => w.properties.title?.startsWith('Log delivery failures'));
      expect(widget.properties.metrics).toEqual(metrics.map((x) => ['AWS/Bedrock', x]));
    },
  );

  test('the large-data alarm has its own stable address and name', () => {
    expect(alarms.log_delivery_large_data).toMatchObject({
      alarm_name: 'bedrock-log-delivery-large-data-us-east-1',
      metric_name: 'ModelInvocationLargeDataS3DeliveryFailure',
    });
  });

  test('more models than one alarm can watch are split over several alarms', () => {
    const models = Array.from({ length: MAX_ALARM_METRICS + 2 }, (_, i) => ({ alias: `m${i}`, source: `meta.llama3-${i}b-instruct-v1:0` }));
    const m: Matrix = {
      accounts: [{ id: PROD, regions: ['us-east-1'] }],
      models,
      tenants: [{ id: 'acme', models: models.map((x) => x.alias) }],
    };
    const a = synth(resolveMatrix(m).stacks[0]).resources('aws_cloudwatch_metric_alarm');
    expect(
      Object.keys(a)
        .filter((k) => k.startsWith('throttles'))
        .sort(),
    ).toEqual(['throttles_1', 'throttles_2']);
    expect(metricQueries(a.throttles_1).length - 1).toBe(MAX_ALARM_METRICS);
    expect(metricQueries(a.throttles_2).length - 1).toBe(2);
  });

  test('a tenant threshold for an unknown tenant is a clear error', () => {
    expect(problems({ ...EXAMPLE_MATRIX, analytics: { alarms: { tenantDailyTokens: { acmee: 10 } } } })).toEqual([
      { path: 'analytics.alarms.tenantDailyTokens.acmee', value: 'acmee', allowed: 'a tenant ID of the matrix: acme, globex, initech' },
    ]);
  });
});

describe('switches and destinations', () => {
  const types = (m: Matrix, i = 0) => Object.keys(synth(resolveMatrix(m).stacks[i]).tf.resource ?? {}).sort();
  const ANALYTICS_TYPES = [
    'aws_athena_named_query',
    'aws_athena_workgroup',
    'aws_cloudwatch_dashboard',
    'aws_cloudwatch_log_data_protection_policy',
    'aws_cloudwatch_log_metric_filter',
    'aws_cloudwatch_metric_alarm',
    'aws_cloudwatch_query_definition',
    'aws_glue_catalog_database',
    'aws_glue_catalog_table',
    'aws_s3_object',
    'aws_sns_topic',
    'aws_sns_topic_policy',
  ];

  test('every part is on by default and each can be switched off', () => {
    const base: Matrix = { accounts: [{ id: PROD, regions: ['us-east-1'] }] };
    expect(types(base)).toEqual(expect.arrayContaining(ANALYTICS_TYPES));
    const allOff: Matrix = {
      ...base,
      analytics: { athena: false, metricFilters: false, savedQueries: false, dashboard: false, alarms: false, piiMasking: false },
    };
    const off = types(allOff);
    // What stays is the unlogged-traffic dashboard and alarm (bedrock-mantle is open without loggedInferenceOnly): a safety
    // part no analytics switch turns off (stacks/safety/unlogged-traffic.ts).
    expect(off.filter((t) => ANALYTICS_TYPES.includes(t))).toEqual(['aws_cloudwatch_dashboard', 'aws_cloudwatch_metric_alarm']);
    const rest = synth(resolveMatrix(allOff).stacks[0]).tf.resource ?? {};
    expect([Object.keys(rest.aws_cloudwatch_dashboard), Object.keys(rest.aws_cloudwatch_metric_alarm)]).toEqual([
      ['unlogged_traffic'],
      ['unlogged_mantle_inferences'],
    ]);
    expect(types({ ...base, analytics: { alarms: false } })).not.toContain('aws_sns_topic');
  });

  test('Athena needs the S3 destination; filters, saved queries and masking need CloudWatch', () => {
    const s3Only = types({ accounts: [{ id: PROD, regions: ['us-east-1'], logging: { destinations: ['s3'] } }] });
    expect(s3Only).toEqual(expect.arrayContaining(['aws_athena_workgroup', 'aws_glue_catalog_table', 'aws_cloudwatch_dashboard']));
    expect(s3Only).not.toEqual(expect.arrayContaining(['aws_cloudwatch_log_metric_filter']));
    const cwOnly = types({ accounts: [{ id: PROD, regions: ['us-east-1'], logging: { destinations: ['cloudwatch'] } }] });
    expect(cwOnly).toEqual(
      expect.arrayContaining([
        'aws_cloudwatch_log_metric_filter',
        'aws_cloudwatch_query_definition',
        'aws_cloudwatch_log_data_protection_policy',
      ]),
    );
    expect(cwOnly).not.toContain('aws_athena_workgroup');
  });

  test('QuickSight, where the matrix names a principal: an Athena data source and a direct-query dataset shared with it', () => {
    const principal = `arn:aws:quicksight:us-east-1:${PROD}:group/default/finops`;
    const s = synth(
      resolveMatrix({ accounts: [{ id: PROD, regions: ['us-east-1'] }], analytics: { quicksight: { principalArn: principal } } }).stacks[0],
    );
    expect(s.resource('aws_quicksight_data_source', 'usage')).toMatchObject({
      type: 'ATHENA',
      parameters: { athena: { work_group: '${aws_athena_workgroup.usage.name}' } },
      permission: [{ principal }],
    });
    const ds = s.resource('aws_quicksight_data_set', 'usage_daily');
    expect(ds).toMatchObject({ import_mode: 'DIRECT_QUERY', permissions: [{ principal }] });
    expect(at(ds, 'physical_table_map', 0, 'custom_sql', 'sql_query')).toContain('FROM "bedrock_invocation_logs"."invocations"');
    expect(Object.keys(synth(example.stacks[0]).tf.resource ?? {})).not.toContain('aws_quicksight_data_source');
  });

  test('the rate card names models of the matrix, with one price per model and day', () => {
    const rate = { inputPerMillionUsd: 1, outputPerMillionUsd: 2, validFrom: '2025-01-01' };
    expect(problems({ ...EXAMPLE_MATRIX, rateCard: [{ model: 'hiaku', ...rate }] })).toEqual([
      { path: 'rateCard[0].model', value: 'hiaku', allowed: 'a model alias defined in models: haiku, titan-embed, sonnet' },
    ]);
    expect(
      problems({
        ...EXAMPLE_MATRIX,
        rateCard: [
          { model: 'haiku', ...rate },
          { model: 'haiku', ...rate, validFrom: '2025-06-01' },
        ],
      }),
    ).toEqual([
      { path: 'rateCard[1]', value: 'haiku 2025-06-01..', allowed: 'a period that does not overlap rateCard[0] for the same model' },
    ]);
    expect(problems({ ...EXAMPLE_MATRIX, rateCard: [{ model: 'haiku', ...rate, validTo: '2024-01-01' }] })).toEqual([
      { path: 'rateCard[0].validTo', value: '2024-01-01', allowed: 'a validTo after validFrom' },
    ]);
  });
});

function execFind(dir: string): string {
  const found: string[] = [];
  const walk = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json.gz') && found.push(path.join(d, e.name))));
  walk(dir);
  return found[0];
}
