/**
 * Which region codes exist, from the AWS SDK's partition metadata
 * (`@aws-sdk/util-endpoints`, which AWS regenerates with every new region; pinned
 * in package.json, so a region AWS opens later needs a version bump of that
 * package). Opt-in regions (af-south-1, me-central-1, ...) are listed there like
 * any other and are valid here.
 *
 * The package exports no list, only `partition(code)`, which returns the region's
 * `description` exactly when the code is one of a partition's listed regions (and
 * the partition's defaults, without a description, for a code that only fits its
 * naming pattern, such as us-east-7). The list below is every code of the usual
 * <area>-<direction>-<n> shape that `partition()` describes (the aws-eusc partition's
 * codes have another shape and are left out; the project does not support it either).
 */
import { partition } from '@aws-sdk/util-endpoints';
import { closest } from './errors';

/** The partitions this project builds ARNs and service principals for (rules.partitionOf). */
export const SUPPORTED_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

const AREAS = ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx', 'cn', 'us-gov', 'us-iso', 'us-isob', 'us-isof', 'eu-isoe'];
const DIRECTIONS = ['north', 'south', 'east', 'west', 'central', 'northeast', 'northwest', 'southeast', 'southwest'];

interface RegionInfo {
  /** The partition (aws, aws-cn, aws-us-gov, aws-iso, ...). */
  partition: string;
  description: string;
}

/** The SDK's entry for a region code, or undefined when the SDK does not list the code as a region. */
export function regionInfo(code: string): RegionInfo | undefined {
  const p = partition(code) as { name: string; description?: string };
  return p.description === undefined ? undefined : { partition: p.name, description: p.description };
}

let known: string[] | undefined;
/** Every region code the SDK lists, in every partition, sorted. */
export function knownRegions(): string[] {
  known ??= AREAS.flatMap((a) => DIRECTIONS.flatMap((d) => Array.from({ length: 9 }, (_, i) => `${a}-${d}-${i + 1}`)))
    .filter((r) => regionInfo(r))
    .sort();
  return known;
}

/** Region codes of the partitions this project supports: what the matrix may name. */
export function supportedRegions(): string[] {
  return knownRegions().filter((r) => (SUPPORTED_PARTITIONS as readonly string[]).includes(regionInfo(r)!.partition));
}

/** Why a region code is refused (what is allowed, with a did-you-mean), or undefined when it is a region AWS has in a supported partition. */
export function regionProblem(code: string): string | undefined {
  const info = regionInfo(code);
  if (info && (SUPPORTED_PARTITIONS as readonly string[]).includes(info.partition)) return undefined;
  if (info)
    return `an AWS region code of partition ${SUPPORTED_PARTITIONS.join(', ')}: ${code} (${info.description}) is in partition ${info.partition}, which this project does not build ARNs for`;
  const allowed = supportedRegions();
  const hint = closest(code, allowed);
  return `an AWS region code that exists${hint ? ` (did you mean "${hint}"?)` : ''}, from the AWS SDK's partition metadata: ${allowed.join(', ')}`;
}
