/**
 * The cdktf app: reads the environment matrix (MATRIX_FILE, or the embedded
 * example) and synthesizes one logging stack per account x region, with the
 * tenants' inference profiles, plus the management-account stack.
 * Run it with `npm run synth` or `npx cdktf synth|diff|deploy`.
 */
import { MatrixError } from './config/errors';
import { loadMatrix } from './config/load';
import { ROUTING_TABLE, synthesize } from './stacks/app';

function main(): void {
  const config = loadMatrix();
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const names = synthesize(config, outdir);
  const profiles = config.stacks.reduce((n, s) => n + s.profiles.length, 0);
  console.log(`Synthesized ${names.length} stack${names.length === 1 ? '' : 's'} into ${outdir}/stacks:`);
  for (const n of names) console.log(`  ${n}`);
  console.log(`Routing table of ${profiles} inference profile${profiles === 1 ? '' : 's'}: ${outdir}/${ROUTING_TABLE}`);
}

try {
  main();
} catch (e) {
  if (!(e instanceof MatrixError)) throw e;
  console.error(e.message);
  console.error('Nothing was written; the previous output is unchanged.');
  process.exitCode = 1;
}
