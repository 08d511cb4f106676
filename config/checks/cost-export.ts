/** costExport needs a management account: the export of the bill runs in the management (payer) account. */
import type { MatrixCheck } from './check';

export const costExportAccount: MatrixCheck = ({ matrix, config }) =>
  matrix.costExport && !config.management
    ? [
        {
          path: 'costExport',
          value: matrix.costExport,
          allowed: 'a matrix with managementAccountId: the export of the bill runs in the management (payer) account',
        },
      ]
    : [];
