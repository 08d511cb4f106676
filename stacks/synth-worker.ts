/**
 * A synth shard in a child process (see shards.ts): synthesizes the share of the
 * app config in the file it is given (argv[2]) into the directory it is given
 * (argv[3]), reports a WorkerResult and exits.
 */
import * as fs from 'fs';
import type { AppConfig } from '../config/model';
import { IacRuleError } from '../iac-rules/error';
import { synthApp } from './app';
import type { WorkerResult } from './shards';

const [configFile, outdir] = process.argv.slice(2);
let result: WorkerResult;
try {
  synthApp(JSON.parse(fs.readFileSync(configFile, 'utf8')) as AppConfig, outdir);
  result = { ok: true };
} catch (e) {
  result = { ok: false, error: (e as Error).stack ?? String(e), iacRuleError: e instanceof IacRuleError ? e.message : undefined };
}
process.send!(result, () => process.exit(result.ok ? 0 : 1));
