/** What a tool's command line holds: the `--name value` options given, and the `--name` switches. */
export interface CliOptions {
  values: Record<string, string>;
  switches: Set<string>;
  /** Every value of the options that may repeat (`spec.lists`), in order. */
  lists: Record<string, string[]>;
}

/**
 * The exit codes of every command of this project (the README lists them):
 * 0 ok, 1 failed (bad input, a failed run), 2 usage error (a wrong command line),
 * 3 a dangerous change that is not acknowledged (the plan review).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, dangerous: 3 } as const;

/** A wrong command line, found after cliOptions(): the tool reports it with usageError(). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Says what is wrong with the command line, then the usage, on stderr, and sets exit code 2 (EXIT.usage). */
export function usageError(usage: string, message: string): void {
  process.stderr.write(`Error: ${message}\n\n${usage}`);
  process.exitCode = EXIT.usage;
}

/**
 * Reads a tool's command line: `--name value` (or `--name=value`) options, the
 * last one winning (`values`) or every one kept where they may repeat (`lists`),
 * and `--name` switches. `-h`/`--help` prints `usage`; an unknown option or one
 * without its value prints the error and `usage` to stderr and sets exit code 2.
 * Either way it returns undefined, and the tool stops.
 */
export function cliOptions(usage: string, spec: { values?: string[]; switches?: string[]; lists?: string[] }, argv: string[] = process.argv.slice(2)): CliOptions | undefined {
  const out: CliOptions = { values: {}, switches: new Set(), lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = argv[i].startsWith('--') ? (argv[i].split(/=(.*)/s, 2) as [string, string | undefined]) : [argv[i], undefined];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(usage);
      return undefined;
    }
    if (spec.switches?.includes(arg) && inline === undefined) {
      out.switches.add(arg);
      continue;
    }
    const value = inline ?? argv[i + 1];
    const given = value !== undefined && value !== '' && (inline !== undefined || !value.startsWith('--'));
    if (spec.lists?.includes(arg) && given) {
      (out.lists[arg] ??= []).push(value);
      if (inline === undefined) i++;
      continue;
    }
    if (spec.values?.includes(arg) && given) {
      out.values[arg] = value;
      if (inline === undefined) i++;
      continue;
    }
    usageError(usage, spec.values?.includes(arg) || spec.lists?.includes(arg) ? `${arg} needs a value` : spec.switches?.includes(arg) ? `${arg} takes no value` : `unknown option ${argv[i]}`);
    return undefined;
  }
  return out;
}
