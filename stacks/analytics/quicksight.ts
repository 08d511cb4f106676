import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import { Construct } from 'constructs';
import type { UsageAthena } from './athena';
import { USAGE_DATABASE, USAGE_NAME_PREFIX } from '../../config/naming';
import { recentPartitions, tenantSql } from './queries';

/** What the QuickSight principal may do with the data source and dataset: use and manage them. */
export const DATA_SOURCE_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:UpdateDataSourcePermissions',
  'quicksight:DeleteDataSource',
];
export const DATA_SET_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
  'quicksight:UpdateDataSet',
  'quicksight:UpdateDataSetPermissions',
  'quicksight:DeleteDataSet',
  'quicksight:CreateIngestion',
  'quicksight:CancelIngestion',
];

/** How many days back the QuickSight dataset reads: a quarter, for the dashboards' date filters. */
export const QUICKSIGHT_DAYS = 92;

/**
 * Daily tokens per tenant and model, flat, for QuickSight (which cannot read struct
 * columns), over the last QUICKSIGHT_DAYS days of partitions: a direct-query dataset
 * runs this on every visual refresh, and without the `dt` bound each run would
 * scan the whole log history.
 */
export function quicksightSql(tenantKey: string, days = QUICKSIGHT_DAYS): string {
  return `SELECT date(from_iso8601_timestamp("timestamp")) AS day,
  ${tenantSql(tenantKey)} AS tenant, modelid AS model,
  count(*) AS invocations, sum(input.inputtokencount) AS input_tokens, sum(output.outputtokencount) AS output_tokens,
  count(errorcode) AS errors
FROM "${USAGE_DATABASE}"."invocations"
WHERE schematype = 'ModelInvocationLog' AND ${recentPartitions(days)}
GROUP BY 1, 2, 3`;
}

/** An Athena data source (the usage workgroup) and a direct-query dataset of daily usage, shared with one principal. */
export interface UsageQuickSightProps {
  readonly region: string;
  /** analytics.quicksight.principalArn: who the data source and dataset are shared with. */
  readonly principalArn: string;
  /** analytics.tenantKey: the dataset groups by it. */
  readonly tenantKey: string;
  /** The usage Athena workgroup the data source queries through. */
  readonly athena: UsageAthena;
}

export class UsageQuickSight extends Construct {
  constructor(scope: Construct, id: string, props: UsageQuickSightProps) {
    super(scope, id);
    const principal = props.principalArn;
    const workgroup = props.athena.workgroup.name;
    const region = props.region;
    const source = new QuicksightDataSource(this, 'data-source', {
      dataSourceId: `${USAGE_NAME_PREFIX}${region}`,
      name: `Bedrock usage ${region}`,
      type: 'ATHENA',
      parameters: { athena: { workGroup: workgroup } },
      permission: [{ principal, actions: DATA_SOURCE_ACTIONS }],
    });
    source.overrideLogicalId('usage');
    new QuicksightDataSet(this, 'data-set', {
      dataSetId: `${USAGE_NAME_PREFIX}daily-${region}`,
      name: `Bedrock usage per tenant per day ${region}`,
      importMode: 'DIRECT_QUERY',
      physicalTableMap: [
        {
          physicalTableMapId: 'daily',
          customSql: {
            dataSourceArn: source.arn,
            name: 'daily usage',
            sqlQuery: quicksightSql(props.tenantKey),
            columns: [
              { name: 'day', type: 'DATETIME' },
              { name: 'tenant', type: 'STRING' },
              { name: 'model', type: 'STRING' },
              { name: 'invocations', type: 'INTEGER' },
              { name: 'input_tokens', type: 'INTEGER' },
              { name: 'output_tokens', type: 'INTEGER' },
              { name: 'errors', type: 'INTEGER' },
            ],
          },
        },
      ],
      permissions: [{ principal, actions: DATA_SET_ACTIONS }],
    }).overrideLogicalId('usage_daily');
  }
}
