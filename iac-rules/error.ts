/**
 * A synth stopped by IaC rule violations (see iac-rules/index.ts). Kept apart
 * from the rules so main.ts can recognize it without loading cdktf. main.ts prints
 * it without a stack trace.
 */
export class IacRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IacRuleError';
  }
}
