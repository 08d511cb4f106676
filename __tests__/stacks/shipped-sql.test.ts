/**
 * Every Athena named query and QuickSight dataset the stacks ship restricts the
 * partition key of each partitioned Glue table it reads, so a query reads only the
 * partitions it needs instead of the whole history (and never runs into the
 * workgroup's bytes-scanned cutoff as the logs grow).
 */
import { Testing } from 'cdktf';
import type { Matrix } from '../../config/schema';
import { ManagementStack } from '../../stacks/management-stack';
import { LoggingStack } from '../../stacks/logging-stack';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { PROD, resolveMatrix } from '../helpers';

interface ShippedSql {
  stack: string;
  resource: string;
  sql: string;
}

/** The synthesized JSON of every stack of a matrix. */
/** The parts of a synthesized stack this test reads. */
interface SqlStack {
  resource?: {
    aws_glue_catalog_database?: Record<string, { name: string }>;
    aws_glue_catalog_table?: Record<string, { database_name: string; name: string; partition_keys?: { name: string }[] }>;
    aws_athena_named_query?: Record<string, { query: string }>;
    aws_quicksight_data_set?: Record<string, { physical_table_map?: { custom_sql?: { sql_query: string } }[] }>;
  };
}

function synthAll(m: Matrix): { name: string; tf: SqlStack }[] {
  const config = resolveMatrix(m);
  const app = Testing.app();
  const stacks = [
    ...config.stacks.map((s) => new LoggingStack(app, s)),
    ...(config.management ? [new ManagementStack(app, config.management)] : []),
  ];
  return stacks.map((s) => ({ name: s.node.id, tf: JSON.parse(Testing.synth(s)) }));
}

/** Partitioned Glue tables of a stack: `"db"."table"` -> partition keys. */
function partitionedTables(tf: SqlStack): Map<string, string[]> {
  const dbs = tf.resource?.aws_glue_catalog_database ?? {};
  const dbName = (ref: string) => {
    const m = /^\$\{aws_glue_catalog_database\.([\w-]+)\.name\}$/.exec(ref);
    return m ? dbs[m[1]].name : ref;
  };
  return new Map(
    Object.values(tf.resource?.aws_glue_catalog_table ?? {})
      .filter((t) => t.partition_keys?.length)
      .map((t) => [`"${dbName(t.database_name)}"."${t.name}"`, t.partition_keys!.map((k) => k.name)]),
  );
}

function shippedSql(tf: SqlStack, stack: string): ShippedSql[] {
  return [
    ...Object.entries(tf.resource?.aws_athena_named_query ?? {}).map(([name, q]) => ({
      stack,
      resource: `aws_athena_named_query.${name}`,
      sql: q.query,
    })),
    ...Object.entries(tf.resource?.aws_quicksight_data_set ?? {}).flatMap(([name, d]) =>
      (d.physical_table_map ?? []).flatMap((p) =>
        p.custom_sql ? [{ stack, resource: `aws_quicksight_data_set.${name}`, sql: p.custom_sql.sql_query }] : [],
      ),
    ),
  ];
}

/**
 * The reads of partitioned tables in `sql` that do not bound a partition key: for
 * each reference to the table, the rest of its SELECT (up to GROUP BY, ORDER BY,
 * a closing parenthesis or the end) must have a WHERE with `<key> >=`, `<key> BETWEEN`,
 * `<key> =` or `<key> IN` (optionally qualified by an alias).
 */
function unboundedReads(sql: string, tables: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [table, keys] of tables) {
    let at = sql.indexOf(table);
    while (at >= 0) {
      const rest = sql.slice(at + table.length);
      const scope = rest.split(/\bGROUP BY\b|\bORDER BY\b|\)|\bUNION\b/i)[0];
      const where = /\bWHERE\b([\s\S]*)$/i.exec(scope)?.[1] ?? '';
      const bound = keys.some((k) => new RegExp(`(^|[\\s(.])"?${k}"?\\s*(>=|>|=|\\bBETWEEN\\b|\\bIN\\b)`, 'i').test(where));
      if (!bound) out.push(`${table} without a bound on ${keys.join(' or ')}`);
      at = sql.indexOf(table, at + table.length);
    }
  }
  return out;
}

const everything: Matrix = {
  ...EXAMPLE_MATRIX,
  analytics: { ...EXAMPLE_MATRIX.analytics, quicksight: { principalArn: `arn:aws:quicksight:us-east-1:${PROD}:group/default/finops` } },
  costExport: {},
};

describe('every shipped query bounds the partitions it reads', () => {
  const stacks = synthAll(everything);
  const all = stacks.flatMap((s) =>
    shippedSql(s.tf, s.name).map((q) => ({ ...q, tables: new Map([...stacks.flatMap((x) => [...partitionedTables(x.tf)])]) })),
  );

  test('the suite sees the queries: named queries, the QuickSight dataset, over a partitioned table', () => {
    expect(all.filter((q) => q.resource.startsWith('aws_quicksight_data_set.')).length).toBeGreaterThan(0);
    expect(all.filter((q) => q.resource.startsWith('aws_athena_named_query.')).length).toBeGreaterThanOrEqual(5);
    expect([...partitionedTables(stacks[0].tf)]).toEqual([['"bedrock_invocation_logs"."invocations"', ['dt']]]);
    // The management stack's CUR table, partitioned by billing period, and its three queries.
    expect([...partitionedTables(stacks.find((s) => s.name.startsWith('bedrock-management-'))!.tf)]).toEqual([
      ['"bedrock_cost"."cur"', ['billing_period']],
    ]);
    expect(all.filter((q) => q.stack.startsWith('bedrock-management-')).length).toBe(3);
    // Every query reads a partitioned table (the rate card alone is never queried).
    for (const q of all) expect([...q.tables.keys()].some((t) => q.sql.includes(t))).toBe(true);
  });

  test.each(stacks.flatMap((s) => shippedSql(s.tf, s.name).map((q) => [`${q.stack} ${q.resource}`, q] as const)))('%s', (_, q) => {
    const tables = new Map(stacks.flatMap((x) => [...partitionedTables(x.tf)]));
    expect(unboundedReads(q.sql, tables)).toEqual([]);
  });
});

test('the check finds a read without a partition bound, also behind a WHERE on another column', () => {
  const t = new Map([['"db"."logs"', ['dt']]]);
  expect(unboundedReads(`SELECT * FROM "db"."logs" WHERE schematype = 'x' GROUP BY 1`, t)).toEqual(['"db"."logs" without a bound on dt']);
  expect(unboundedReads(`SELECT * FROM "db"."logs" GROUP BY 1`, t)).toHaveLength(1);
  expect(unboundedReads(`WITH a AS (SELECT 1 FROM "db"."logs" WHERE dt >= '2026/01/01/00') SELECT * FROM "db"."logs"`, t)).toHaveLength(1);
  expect(unboundedReads(`SELECT * FROM "db"."logs" l WHERE l.dt >= '2026/01/01/00' AND x = 1`, t)).toEqual([]);
  expect(
    unboundedReads(`SELECT * FROM "db"."logs" WHERE billing_period IN ('2026-11')`, new Map([['"db"."logs"', ['billing_period']]])),
  ).toEqual([]);
});
