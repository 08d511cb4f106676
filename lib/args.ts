/**
 * The one command-line kit of this project: every command (main.ts, review/cli.ts,
 * tools/*) describes itself as a `Command`, reads its command line with
 * `cliOptions`, renders its `--help` with `helpText`, reports a wrong command line
 * with `usageError` (or by throwing `UsageError`) and exits with the codes of `EXIT`.
 */

/**
 * The exit codes of every command of this project (docs/commands.md lists them, written by npm run docs):
 * 0 ok, 1 failed (bad input, a failed run), 2 usage error (a wrong command line),
 * 3 a dangerous change that is not acknowledged (the plan review).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, dangerous: 3 } as const;
export type ExitName = keyof typeof EXIT;

/** What each exit code means, for every command; a command may say more in `Command.exits`. */
export const EXIT_MEANING: Record<ExitName, string> = {
  ok: 'ok',
  failed: 'failed (bad input such as an invalid matrix, or a failed run)',
  usage: 'usage error (a wrong command line: one line on stderr, nothing done)',
  dangerous: 'a dangerous change that is not acknowledged (npm run review only)',
};

/** One option: `value` names its argument (`--out <dir>`); without it, a switch. */
export interface OptionSpec {
  name: `--${string}`;
  /** The argument's placeholder, e.g. "<dir>"; absent for a switch. */
  value?: string;
  /** The option may repeat; every value is kept, in order (`CliOptions.lists`). */
  repeats?: boolean;
  /** What it does; lines after the first are indented under it. */
  help: string;
}

/** A command of this project, as its --help and its parser see it (write one with `defineCommand`, so its options are typed). */
export interface Command {
  /** How a user runs it, e.g. "npm run verify" (help and errors name it). */
  command: string;
  /** What follows the command in the usage line(s), e.g. "[-- options]". */
  usage: string | readonly string[];
  /** What it does: a paragraph or more. */
  summary: string;
  /** Positional arguments, in order; required ones are usage errors when missing. */
  positionals?: readonly { name: string; help: string; required?: boolean }[];
  options: readonly OptionSpec[];
  /** Arguments after a lone `--` are passed on untouched (`CliOptions.rest`), with this help. */
  rest?: string;
  /** Environment variables the command reads: name -> what for. */
  env?: Record<string, string>;
  /** What the exit codes mean for this command, where it says more than EXIT_MEANING; `dangerous` only where it can happen. */
  exits?: Partial<Record<ExitName, string>>;
  /** Text after the rest, e.g. examples. */
  footer?: string;
}

/** The options a command declares (of a spec written with `defineCommand`; of a plain `Command`, any `--name`). */
type DeclaredOption<C extends Command> = C['options'][number];
/** Every option name a command declares. */
export type OptionName<C extends Command> = DeclaredOption<C>['name'];
/** Of a plain `Command` (names not literal), any `--name`; else the names of one kind. */
type Named<C extends Command, N> = `--${string}` extends OptionName<C> ? `--${string}` : N;
/** The names of a command's options that take one value, the last one winning (`--out <dir>`). */
export type ValueName<C extends Command> = Named<C, Exclude<Extract<DeclaredOption<C>, { value: string }>, { repeats: true }>['name']>;
/** The names of a command's options that may repeat (`repeats: true`), every value kept. */
export type ListName<C extends Command> = Named<C, Extract<DeclaredOption<C>, { value: string; repeats: true }>['name']>;
/** The names of a command's switches (options without a value). */
export type SwitchName<C extends Command> = Named<C, Exclude<DeclaredOption<C>, { value: string }>['name']>;

/**
 * What a command line holds: the `--name value` options given, the `--name`
 * switches, positionals, and what follows `--`. Typed by the command's spec: a
 * name the spec does not declare (or declares as another kind) does not compile.
 */
export interface CliOptions<C extends Command = Command> {
  values: Partial<Record<ValueName<C>, string>>;
  switches: ReadonlySet<SwitchName<C>>;
  /** Every value of the options that may repeat, in order. */
  lists: Partial<Record<ListName<C>, string[]>>;
  positionals: string[];
  /** What follows a lone `--` (only for a command with `rest`). */
  rest: string[];
}

/**
 * A command's spec, with its option names kept as literal types, so that
 * `cliOptions(COMMAND)` is typed by them: `opts.values['--nope']` is a compile error.
 */
export function defineCommand<const C extends Command>(cmd: C): C {
  return cmd;
}

/** A wrong command line found after cliOptions(): thrown, then reported with usageError() (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Set by the one CLI (cli.ts) for the command it runs, e.g. "bedrock-governance synth":
 * the help and the usage errors then name the command as the user typed it,
 * without the `--` that npm run needs.
 */
export const COMMAND_NAME_ENV = 'BEDROCK_GOVERNANCE_COMMAND';

/**
 * A text that names this project's npm scripts (`npm run synth`), as the user runs them: under the one CLI
 * its commands (`bedrock-governance synth`; deploy:wave is deploy-wave there), else unchanged.
 */
export function namedAsRun(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const cli = env[COMMAND_NAME_ENV]?.split(' ')[0];
  if (!cli) return text;
  return text.replace(/npm run ([\w:-]+)(?: --(?= ))?/g, (_, script: string) => `${cli} ${script.replace(':', '-')}`);
}

/** The command as it is run: its own spec, or under the one CLI its name there and its usage without npm's `--`. */
export function asRun(cmd: Command, env: NodeJS.ProcessEnv = process.env): Command {
  const name = env[COMMAND_NAME_ENV];
  if (!name || name === cmd.command) return cmd;
  const usage = (u: string) =>
    u
      .replace(/\s+\(or: [^)]*\)$/, '')
      .replace(/^\[-- /, '[')
      .replace(/^-- /, '')
      .replace(/ \[-- more /, ' [-- more ');
  const t = (text: string) => namedAsRun(text, env);
  const map = <T extends object>(o: T | undefined) =>
    o ? (Object.fromEntries(Object.entries(o).map(([k, v]) => [k, t(v as string)])) as T) : undefined;
  return {
    ...cmd,
    command: name,
    usage: typeof cmd.usage === 'string' ? usage(cmd.usage) : cmd.usage.map(usage),
    summary: t(cmd.summary),
    options: cmd.options.map((o) => ({ ...o, help: t(o.help) })),
    ...(cmd.positionals ? { positionals: cmd.positionals.map((p) => ({ ...p, help: t(p.help) })) } : {}),
    ...(cmd.rest ? { rest: t(cmd.rest) } : {}),
    ...(cmd.env ? { env: map(cmd.env) } : {}),
    ...(cmd.exits ? { exits: map(cmd.exits) } : {}),
    ...(cmd.footer ? { footer: t(cmd.footer) } : {}),
  };
}

/** How to ask a command for its help: "npm run x -- --help", "node dist/x.js --help". */
export function helpCommand(cmd: Command): string {
  return cmd.command.startsWith('npm run ') ? `${cmd.command} -- --help` : `${cmd.command} --help`;
}

/** Reports a wrong command line on stderr in one line, pointing to --help, and sets exit code 2 (EXIT.usage). */
export function usageError(cmd: Command, message: string): void {
  cmd = asRun(cmd);
  process.stderr.write(`Error: ${message} (${helpCommand(cmd)} lists the options)\n`);
  process.exitCode = EXIT.usage;
}

const HELP_OPTION: OptionSpec = { name: '--help', help: 'show this help' };

/** Two columns: the names padded to one width, each help line after the first indented under the first. */
function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  return rows.map(([n, h]) => `  ${n.padEnd(width)}${h.split('\n').join(`\n  ${' '.repeat(width)}`)}`).join('\n');
}

/** The --help text of a command: usage, summary, arguments, options, environment, exit codes (one format for every command). */
export function helpText(cmd: Command): string {
  const usage = (typeof cmd.usage === 'string' ? [cmd.usage] : cmd.usage).map(
    (u, i) => `${i ? '       ' : 'Usage: '}${cmd.command}${u ? ` ${u}` : ''}`,
  );
  const parts = [usage.join('\n'), cmd.summary.trim()];
  if (cmd.positionals?.length || cmd.rest) {
    const rows: [string, string][] = (cmd.positionals ?? []).map((p) => [p.name, p.help]);
    if (cmd.rest) rows.push(['-- <args>', cmd.rest]);
    parts.push(`Arguments:\n${columns(rows)}`);
  }
  const options = [...cmd.options, HELP_OPTION].map((o): [string, string] => [
    `${o === HELP_OPTION ? '-h, ' : ''}${o.name}${o.value ? ` ${o.value}` : ''}`,
    `${o.help}${o.repeats ? '\n(may repeat)' : ''}`,
  ]);
  parts.push(`Options:\n${columns(options)}`);
  if (cmd.env && Object.keys(cmd.env).length) parts.push(`Environment:\n${columns(Object.entries(cmd.env))}`);
  const exits = (Object.keys(EXIT) as ExitName[]).filter((k) => k !== 'dangerous' || cmd.exits?.dangerous);
  parts.push(`Exit codes:\n${columns(exits.map((k) => [String(EXIT[k]), cmd.exits?.[k] ?? EXIT_MEANING[k]]))}`);
  if (cmd.footer) parts.push(cmd.footer.trim());
  return parts.join('\n\n') + '\n';
}

/** Every option name a command accepts, --help included. */
export function optionNames(cmd: Command): string[] {
  return [...cmd.options.map((o) => o.name), '--help'];
}

/**
 * Reads a command line against a command's options: `--name value` (or
 * `--name=value`) options, the last one winning (`values`) or every one kept where
 * they repeat (`lists`), `--name` switches, positionals, and with `rest` whatever
 * follows a lone `--`. `-h`/`--help` prints the help on stdout; an unknown option,
 * one without its value or a stray argument is reported in one line on stderr with
 * exit code 2. Either way it returns undefined, and the command stops.
 */
export function cliOptions<C extends Command>(cmd: C, argv: string[] = process.argv.slice(2)): CliOptions<C> | undefined {
  // The parser works on the names it meets; the spec guarantees they are the declared ones of each kind.
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const switches = new Set<string>();
  const out = { values, switches, lists, positionals: [] as string[], rest: [] as string[] } as unknown as CliOptions<C>;
  const dash = cmd.rest ? argv.indexOf('--') : -1;
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  if (dash >= 0) out.rest = argv.slice(dash + 1);
  if (own.includes('-h') || own.includes('--help')) {
    process.stdout.write(helpText(asRun(cmd)));
    return undefined;
  }
  const fail = (message: string) => {
    usageError(cmd, message);
    return undefined;
  };
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (!arg.startsWith('-') || arg === '-') {
      if (out.positionals.length >= (cmd.positionals?.length ?? 0)) return fail(`unexpected argument "${arg}"`);
      out.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    const spec = cmd.options.find((o) => o.name === name);
    if (!spec) return fail(`unknown option ${name}`);
    if (!spec.value) {
      if (inline !== undefined) return fail(`${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = inline ?? own[i + 1];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      return fail(`${name} needs a value (${name} ${spec.value})`);
    if (inline === undefined) i++;
    if (spec.repeats) (lists[name] ??= []).push(value);
    else values[name] = value;
  }
  const missing = (cmd.positionals ?? []).find((p, i) => p.required && out.positionals[i] === undefined);
  if (missing) return fail(`${missing.name} is missing: ${missing.help.split('\n')[0]}`);
  return out;
}

/**
 * Progress of a long run, on stderr (stdout stays the command's output): `step`
 * prints a line with the time since the start, `done` the final summary with the
 * elapsed time. Quiet (`--quiet`) prints nothing.
 */
export function progress(quiet = false): { step: (message: string) => void; done: (summary: string) => void; seconds: () => number } {
  const start = Date.now();
  const seconds = () => (Date.now() - start) / 1000;
  const write = (s: string) => {
    if (!quiet) process.stderr.write(s);
  };
  return {
    step: (message) => write(`[${seconds().toFixed(1)} s] ${message}\n`),
    done: (summary) => write(`${summary} (${seconds().toFixed(1)} s)\n`),
    seconds,
  };
}
