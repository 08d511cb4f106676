/** The content hash of a synthesized stack: what changed-stacks and the plan review compare. */
import { createHash } from 'crypto';
import * as fs from 'fs';

/**
 * A content hash of a synthesized stack that ignores what does not reach AWS:
 * cdktf's "//" metadata and the local state path (absolute, so it differs
 * between checkouts).
 */
export function stackHash(file: string): string {
  let tf: unknown;
  try {
    tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not a synthesized stack: ${(e as Error).message}`);
  }
  return hashStack(tf);
}

/** stackHash of a stack already parsed. */
export function hashStack(tf: unknown): string {
  const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
  const field = (v: unknown, k: string): unknown => (isRecord(v) ? v[k] : undefined);
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== '//')
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const clean = strip(tf);
  const local = field(field(field(clean, 'terraform'), 'backend'), 'local');
  if (isRecord(local)) delete local.path;
  return createHash('sha256').update(JSON.stringify(clean)).digest('hex');
}
