/**
 * A synth stopped by guardrail violations (see guardrails/index.ts). Kept apart
 * from the rules so main.ts can recognize it without loading cdktf. main.ts prints
 * it without a stack trace.
 */
export class GuardrailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailError';
  }
}
