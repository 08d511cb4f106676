/**
 * Generates a landing-zone matrix of a given size, for benchmarks and scale tests:
 * accounts x regions stacks, tenants x models profiles in every stack.
 * Usage: node dist/tools/bench/generate-matrix.js --help
 */
import type { Matrix } from '../../config/schema';
import { cliOptions, defineCommand, usageError } from '../../lib/args';

export const COMMAND = defineCommand({
  command: 'node dist/tools/bench/generate-matrix.js',
  usage: '[<stacks> [<tenants> [<models>]]] > matrix.json',
  summary: `Prints a generated landing-zone matrix (JSON) for benchmarks and scale tests:
<stacks> logging stacks (accounts x up to 4 regions), every tenant on every model.`,
  positionals: [
    { name: '<stacks>', help: 'logging stacks (default 400)' },
    { name: '<tenants>', help: 'tenants, each with a profile per model in every stack (default 25)' },
    { name: '<models>', help: 'models (default 2)' },
  ],
  options: [],
});

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];

export function generateMatrix(stacks: number, tenants = 25, models = 2): Matrix {
  const perAccount = Math.min(REGIONS.length, stacks);
  const accounts = Math.ceil(stacks / perAccount);
  const environments = ['dev', 'staging', 'prod'];
  return {
    managementAccountId: '999999999999',
    tags: { 'cost-center': 'platform', owner: 'genai-platform-team' },
    accounts: Array.from({ length: accounts }, (_, a) => ({
      id: String(100000000000 + a),
      name: `account-${a}`,
      environment: environments[a % environments.length],
      regions: REGIONS.slice(0, Math.min(perAccount, stacks - a * perAccount)),
    })),
    models: Array.from({ length: models }, (_, m) => ({
      alias: `model-${m}`,
      source: m % 2 ? 'anthropic.claude-3-5-sonnet-20240620-v1:0' : 'anthropic.claude-3-haiku-20240307-v1:0',
      crossRegion: m % 2 === 1,
    })),
    tenants: Array.from({ length: tenants }, (_, t) => ({
      id: `tenant-${t}`,
      models: Array.from({ length: models }, (_, m) => `model-${m}`),
      monthlyBudgetUsd: 100 + t,
      costCenter: `cc-${1000 + t}`,
    })),
  };
}

if (require.main === module) {
  const opts = cliOptions(COMMAND);
  const [stacks = '400', tenants = '25', models = '2'] = opts?.positionals ?? [];
  if (opts && ![stacks, tenants, models].every((n) => /^[1-9]\d*$/.test(n)))
    usageError(COMMAND, `<stacks>, <tenants> and <models> are whole numbers above 0, not "${[stacks, tenants, models].join(' ')}"`);
  else if (opts) process.stdout.write(JSON.stringify(generateMatrix(Number(stacks), Number(tenants), Number(models))) + '\n');
}
