import { synthPlain } from './versions';

/**
 * Runs `fn` (building and synthesizing an app) without the stack traces cdktf
 * records for every token and attribute object it creates, tens of thousands at
 * landing-zone scale: capturing them was a quarter of synth time, and cdktf shows
 * them only in errors about a misused token, a programming error in this app
 * rather than in a matrix. cdktf captures them onto plain objects, which get none
 * while `fn` runs; Error objects keep their stack traces. The only global this
 * app patches, and only while `fn` runs; not at all with SYNTH_PLAIN=1.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  if (synthPlain()) return fn();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructor?: Parameters<typeof capture>[1]) => {
    if (target instanceof Error) capture(target, constructor);
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}
