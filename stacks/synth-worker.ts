/**
 * A synth shard in a child process (see synthesizeSharded in app.ts): receives a
 * slice of the app config, synthesizes it into the directory it is given, and exits.
 */
import type { AppConfig } from '../config/resolve';
import { GuardrailError } from '../guardrails/error';
import { synthApp } from './app';

process.once('message', (msg: { config: AppConfig; outdir: string }) => {
  try {
    synthApp(msg.config, msg.outdir);
    process.send!({ ok: true }, () => process.exit(0));
  } catch (e) {
    process.send!({ ok: false, error: (e as Error).stack ?? String(e), guardrail: e instanceof GuardrailError ? e.message : undefined }, () => process.exit(1));
  }
});
