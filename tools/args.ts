/** The value after `flag` on the command line (`--outdir out`), if the flag is there. */
export function flagValue(flag: string, argv: string[] = process.argv): string | undefined {
  const i = argv.indexOf(flag);
  return i > 0 ? argv[i + 1] : undefined;
}
