/**
 * Generates a landing-zone matrix of a given size, for benchmarks and scale tests:
 * accounts x regions stacks, tenants x models profiles in every stack.
 * Usage: node dist/tools/generate-matrix.js <stacks> [tenants] [models] > matrix.json
 */
import type { Matrix } from '../config/schema';

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
  const [stacks = '400', tenants = '25', models = '2'] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(generateMatrix(Number(stacks), Number(tenants), Number(models))) + '\n');
}
