/** What a tool's command line holds: the `--name value` options given, and the `--name` switches. */
export interface CliOptions {
  values: Record<string, string>;
  switches: Set<string>;
  /** Every value of the options that may repeat (`spec.lists`), in order. */
  lists: Record<string, string[]>;
}

/** Says what is wrong with the command line, then the usage, on stderr, and sets exit code 2. */
export function usageError(usage: string, message: string): void {
  process.stderr.write(`Error: ${message}\n\n${usage}`);
  process.exitCode = 2;
}

/**
 * Reads a tool's command line: `--name value` options (`values`) and `--name`
 * switches. `-h`/`--help` prints `usage`; an unknown option or one without its
 * value prints the error and `usage` to stderr and sets exit code 2. Either way
 * it returns undefined, and the tool stops.
 */
export function cliOptions(usage: string, spec: { values?: string[]; switches?: string[]; lists?: string[] }, argv: string[] = process.argv.slice(2)): CliOptions | undefined {
  const out: CliOptions = { values: {}, switches: new Set(), lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(usage);
      return undefined;
    }
    if (spec.switches?.includes(arg)) {
      out.switches.add(arg);
      continue;
    }
    const value = argv[i + 1];
    if (spec.lists?.includes(arg) && value !== undefined && !value.startsWith('--')) {
      (out.lists[arg] ??= []).push(value);
      i++;
      continue;
    }
    if (spec.values?.includes(arg) && value !== undefined && !value.startsWith('--')) {
      out.values[arg] = value;
      i++;
      continue;
    }
    usageError(usage, spec.values?.includes(arg) || spec.lists?.includes(arg) ? `${arg} needs a value` : `unknown option ${arg}`);
    return undefined;
  }
  return out;
}
