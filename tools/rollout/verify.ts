/**
 * Real Terraform verification of a whole synth output, fast enough for hundreds
 * of stacks:
 * - every stack is validated, in batches: a generated root module calls each
 *   stack directory as a module, so one `terraform validate` (and one provider
 *   process) covers a batch instead of one run per stack;
 * - one stack per distinct shape (stacks equal up to account ID, region and
 *   names plan the same way) goes through init and an offline plan (which validates)
 *   with its own provider block and backend replaced as in TerraformSession.
 * Usage: npm run verify -- --help
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { StackPlan, TerraformSession, offlineOverride, requireTerraform } from '../../lib/terraform';
import { EXIT, cliOptions, defineCommand, namedAsRun, progress, usageError } from '../../lib/args';

export interface VerifyResult {
  stacks: number;
  batches: number;
  shapes: number;
  plans: StackPlan[];
  timings: { validate: number; plan: number };
}

/** A stack's configuration with its identity (account, region, names) abstracted away. */
/** The parts of a synthesized stack (cdk.tf.json) a shape reads: the AWS provider blocks and the terraform block; the rest as it is. */
export interface ShapeInput {
  provider?: {
    aws?: { region?: string; allowed_account_ids?: string[]; default_tags?: { tags?: Record<string, string> }[]; [arg: string]: unknown }[];
  };
  terraform?: Record<string, unknown>;
  [block: string]: unknown;
}

export function stackShape(name: string, tf: ShapeInput): string {
  const region: string = tf.provider?.aws?.[0]?.region ?? '';
  const accounts: string[] = tf.provider?.aws?.[0]?.allowed_account_ids ?? [];
  const { '//': _meta, ...rest } = tf;
  const terraform = { ...rest.terraform };
  delete terraform.backend;
  delete terraform.cloud;
  // Tag values per stack (stack, environment) only change tags_all.
  const provider = (rest.provider?.aws ?? []).map((p) => ({
    ...p,
    default_tags: p.default_tags?.map((d) => ({ tags: Object.keys(d.tags ?? {}) })),
  }));
  let text = JSON.stringify({ ...rest, terraform, provider: { aws: provider } }, (k, v) => (k === '//' ? undefined : v));
  for (const id of [name, ...accounts, region].filter(Boolean)) text = text.split(id).join('<id>');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Writes a root module that calls each stack as a module, all with one provider
 * configuration. Validation never configures a provider, so the region of the
 * stacks does not matter to it, and one provider process per batch (rather than one
 * per region, each holding the whole AWS schema in memory) took the peak memory
 * of npm run verify of 401 stacks from 6.3 GB to 3.2 GB (with GOGC=150).
 */
export function writeBatchRoot(outdir: string, names: string[], dir: string): void {
  fs.mkdirSync(path.join(dir, 'm'), { recursive: true });
  let region: string | undefined;
  const modules: Record<string, object> = {};
  for (const name of names) {
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    region ??= tf.provider.aws[0].region;
    // A module takes its provider from the root, and backends belong to root modules only.
    delete tf.provider;
    delete tf.terraform.backend;
    delete tf.terraform.cloud;
    fs.mkdirSync(path.join(dir, 'm', name));
    fs.writeFileSync(path.join(dir, 'm', name, 'cdk.tf.json'), JSON.stringify(tf));
    modules[name] = { source: `./m/${name}` };
  }
  // offlineOverride() is typed `object`: its provider override is { aws: [ { ...arguments } ] }.
  const offline = (offlineOverride() as { provider: { aws: Record<string, unknown>[] } }).provider.aws[0];
  fs.writeFileSync(
    path.join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      provider: { aws: [{ ...offline, region, assume_role: undefined }] },
      module: modules,
    }),
  );
}

export async function verifyTree(
  outdir: string,
  session: TerraformSession,
  options: { batch?: number; plan?: boolean; log?: (s: string) => void } = {},
): Promise<VerifyResult> {
  const log = options.log ?? (() => undefined);
  const names = fs.readdirSync(path.join(outdir, 'stacks')).sort();
  // Enough batches to keep both cores busy, each small enough to fail with a readable error.
  const batchSize = options.batch ?? Math.max(25, Math.ceil(names.length / 4));
  const batches = Array.from({ length: Math.ceil(names.length / batchSize) }, (_, i) => names.slice(i * batchSize, (i + 1) * batchSize));

  let t = Date.now();
  // The first batch fills the plugin cache (concurrent installs into it are not safe), then two run at a time.
  let next = 0;
  const validateNext = async (): Promise<void> => {
    const i = next++;
    if (i >= batches.length) return;
    const dir = session.workdir(`batch-${i}`);
    writeBatchRoot(outdir, batches[i], dir);
    await session.init(dir, ['-backend=false']);
    await session.run(dir, ['validate', '-no-color']);
    log(`validated batch ${i + 1}/${batches.length}: ${batches[i].length} stacks`);
    return validateNext();
  };
  await session.warm();
  await Promise.all([validateNext(), validateNext()]);
  const validate = (Date.now() - t) / 1000;

  const shapes = new Map<string, string>();
  for (const name of names) {
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    const shape = stackShape(name, tf);
    if (!shapes.has(shape)) shapes.set(shape, name);
  }
  t = Date.now();
  const representatives = options.plan === false ? [] : [...shapes.values()];
  if (representatives.length) log(`${representatives.length} distinct stack shape(s): planning ${representatives.join(', ')}`);
  const plans = await session.planDirs(representatives.map((n) => path.join(outdir, 'stacks', n)));
  return {
    stacks: names.length,
    batches: batches.length,
    shapes: shapes.size,
    plans,
    timings: { validate, plan: (Date.now() - t) / 1000 },
  };
}

export const COMMAND = defineCommand({
  command: 'npm run verify',
  usage: '[-- --outdir <dir>] [--batch <n>] [--no-plan] [--quiet]',
  summary: `Checks a whole synth output with real Terraform, offline (the local provider
mirror, dummy credentials): every stack validated, in batches of stacks called as
modules of one root; one stack per distinct shape planned. Progress (each batch,
the shapes planned) goes to stderr; the plans and the summary to stdout.`,
  options: [
    { name: '--outdir', value: '<dir>', help: 'the synth output to check (default CDKTF_OUTDIR, or cdktf.out)' },
    { name: '--batch', value: '<n>', help: 'stacks per terraform validate run (default: a quarter of them, at least 25)' },
    { name: '--no-plan', help: 'validate only' },
    { name: '--quiet', help: 'no progress on stderr' },
  ],
  env: {
    CDKTF_OUTDIR: 'the synth output to check when --outdir is not given',
    TF_PLUGIN_MIRROR: 'the local provider mirror (default: a tf-plugins folder near /)',
    SKIP_TERRAFORM_TESTS: '1: refuse to run (no Terraform)',
    GOGC: "the Go garbage collector's target for terraform and the provider (default 200)",
  },
  exits: { failed: 'failed: terraform init, validate or plan failed, or no synth output' },
});

async function cli(outdir: string, batch: number | undefined, plan: boolean, quiet: boolean): Promise<void> {
  const terraform = requireTerraform();
  if (!terraform) throw new Error('SKIP_TERRAFORM_TESTS=1 is set: nothing to verify with');
  if (!fs.existsSync(path.join(outdir, 'manifest.json')))
    throw new Error(namedAsRun(`${outdir} has no manifest.json: run npm run synth first`));
  const session = new TerraformSession(terraform);
  const log = progress(quiet);
  try {
    const r = await verifyTree(outdir, session, { batch, plan, log: log.step });
    for (const p of r.plans) {
      const n = (a: string) => p.changes.filter((c) => c.actions.includes(a)).length;
      console.log(`  ${p.stack}: plan ${n('create')} to add, ${n('update')} to change, ${n('delete')} to destroy`);
    }
    console.log(
      `Verified ${r.stacks} stack${r.stacks === 1 ? '' : 's'} in ${log.seconds().toFixed(1)} s: validate ${r.timings.validate.toFixed(1)} s (${r.batches} batch${r.batches === 1 ? '' : 'es'}), ` +
        (r.plans.length
          ? `offline plan of ${r.shapes} shape representative${r.shapes === 1 ? '' : 's'} ${r.timings.plan.toFixed(1)} s`
          : `no plan (--no-plan; ${r.shapes} shape${r.shapes === 1 ? '' : 's'})`),
    );
  } finally {
    session.dispose();
  }
}

if (require.main === module) {
  const opts = cliOptions(COMMAND);
  const batch = opts?.values['--batch'];
  if (opts && batch !== undefined && !(Number.isInteger(Number(batch)) && Number(batch) > 0)) {
    usageError(COMMAND, `--batch takes a whole number of stacks above 0, not "${batch}"`);
  } else if (opts) {
    cli(
      opts.values['--outdir'] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out',
      batch ? Number(batch) : undefined,
      !opts.switches.has('--no-plan'),
      opts.switches.has('--quiet'),
    ).catch((e) => {
      console.error(`Error: ${e.message}`);
      process.exitCode = EXIT.failed;
    });
  }
}
