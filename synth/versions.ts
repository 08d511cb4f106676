/**
 * What the synth/ seam was written for, and the switch back to stock cdktf.
 *
 * Everything in synth/ rewrites or reaches into cdktf internals for speed (see
 * stack.ts, resolve.ts, trace.ts, profile-resource.ts, manifest.ts). Those
 * internals change between cdktf releases without notice, so the seam states the
 * versions it was checked against and refuses to run on others: a different
 * cdktf could synthesize different JSON without any error. SYNTH_PLAIN=1 turns
 * every rewrite off and synthesizes with stock cdktf (slower, same bytes; a test
 * compares the two), which also skips this check. Loads no cdktf.
 */
import * as fs from 'fs';

/** The versions synth/ was written and checked for. */
export const SYNTH_WRITTEN_FOR = {
  /** npm `cdktf`: stack.ts copies TerraformStack.toTerraform of this release. */
  cdktf: '0.21.0',
  /** npm `@cdktf/provider-aws`: profile-resource.ts copies its BedrockInferenceProfile class. */
  providerAws: '20.1.0',
  /** The Terraform AWS provider that @cdktf/provider-aws 20.1.0 wraps (its package.json `cdktf.provider.version`). */
  terraformAws: '5.100.0',
  /** The provider version constraint the generated classes write into their metadata. */
  terraformAwsConstraint: '~> 5.0',
} as const;

/** The environment variable that turns the rewrites off. */
export const SYNTH_PLAIN_ENV = 'SYNTH_PLAIN';

/** True when SYNTH_PLAIN=1: synthesize with stock cdktf, no rewrite of its internals. */
export function synthPlain(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SYNTH_PLAIN_ENV] === '1';
}

/** The installed versions synth/ depends on. */
export function installedVersions(): { cdktf: string; providerAws: string; terraformAws: string } {
  const read = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'));
  const cdktf = read('cdktf') as { version: string };
  const aws = read('@cdktf/provider-aws') as { version: string; cdktf?: { provider?: { version?: string } } };
  return { cdktf: cdktf.version, providerAws: aws.version, terraformAws: aws.cdktf?.provider?.version ?? 'unknown' };
}

/** The installed versions are not the ones synth/ was written for. */
export class SynthVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthVersionError';
  }
}

/**
 * Fails with a SynthVersionError that names each mismatch when the installed
 * packages are not the ones synth/ was written for (unless SYNTH_PLAIN=1).
 */
export function checkSynthVersions(installed = installedVersions(), env: NodeJS.ProcessEnv = process.env): void {
  if (synthPlain(env)) return;
  const wrong = (['cdktf', 'providerAws', 'terraformAws'] as const)
    .filter((k) => installed[k] !== SYNTH_WRITTEN_FOR[k])
    .map((k) => `  - ${PACKAGE[k]}: installed ${installed[k]}, synth/ was written for ${SYNTH_WRITTEN_FOR[k]}`);
  if (wrong.length === 0) return;
  throw new SynthVersionError(
    [
      'The synth speed-ups in synth/ rewrite cdktf internals and were checked only against other versions:',
      ...wrong,
      `Install the versions above (npm ci), or set ${SYNTH_PLAIN_ENV}=1 to synthesize with stock cdktf, or port synth/ to the new versions (see docs/cdktn.md).`,
    ].join('\n'),
  );
}

const PACKAGE = {
  cdktf: 'cdktf',
  providerAws: '@cdktf/provider-aws',
  terraformAws: 'Terraform AWS provider wrapped by @cdktf/provider-aws',
};

let checked = false;

/** checkSynthVersions() once per process. */
export function checkSynthVersionsOnce(): void {
  if (checked) return;
  checkSynthVersions();
  checked = true;
}
