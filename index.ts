/**
 * The library API of the bedrock-governance package (its `exports` "."): the
 * matrix schema and its types, the loader that validates a matrix into stack
 * configurations, the stacks, and `synthesize`, which writes them as cdktf does.
 *
 *   import { loadMatrixFile, synthesize } from 'bedrock-governance';
 *   synthesize(loadMatrixFile('landing-zone.yaml'), 'cdktf.out');
 *
 * The command line is `bedrock-governance <command>` (cli.ts); docs/package.md
 * says what a landing-zone repository holds.
 */
export { Matrix, Account, Model, Tenant, CostAllocationTagKeys } from './config/schema';
export type * from './config/model';
export { MatrixError } from './config/errors';
export type { MatrixIssue } from './config/errors';
export { DEFAULT_MATRIX_FILE, loadMatrix, loadMatrixFile, matrixFile, parseMatrixText, validateMatrix } from './config/load';
export { EXAMPLE_MATRIX } from './config/example-matrix';
export { FILTER_ENV, rolloutWaves, selectStacks } from './config/select';
export type { StackFilter } from './config/select';
export { addStacks, routingTable, synthApp, synthesize } from './stacks/app';
export { stackNames, ROUTING_TABLE } from './stacks/outdir';
export { BootstrapStack } from './stacks/bootstrap-stack';
export { LoggingStack } from './stacks/logging-stack';
export { ManagementStack } from './stacks/management-stack';
export { IacRuleError } from './iac-rules/error';
export { toolPackage } from './config/package-info';
