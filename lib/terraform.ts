/**
 * Runs real Terraform on synthesized stacks, offline: init from the local provider
 * mirror, validate, and plan with dummy credentials, then reads the plan JSON.
 * Each stack is copied to a scratch directory, so cdktf.out stays clean and the
 * real state files are never read or written.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { SchemaProxy, typesOf } from './provider-proxy';

const run = promisify(execFile);

/** The project root, whether this runs from source (ts-node, jest) or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const CARRIED_CLI_CONFIG = path.join(projectRoot(), 'tools', 'offline.tfrc');
const CARRIED_MIRROR = '/opt/tf-plugins';

/** The terraform binary on the PATH, if any. */
export function findTerraform(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'terraform');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The local provider mirror: TF_PLUGIN_MIRROR, or a `tf-plugins` folder at most two levels below /. */
export function findMirror(): string | undefined {
  if (process.env.TF_PLUGIN_MIRROR) return process.env.TF_PLUGIN_MIRROR;
  const candidates = [CARRIED_MIRROR, '/tf-plugins'];
  for (const top of safeList('/')) candidates.push(path.join('/', top, 'tf-plugins'));
  return candidates.find((c) => fs.existsSync(path.join(c, 'registry.terraform.io')));
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The CLI config to use: the project's tools/offline.tfrc when the mirror is where
 * it expects, a copy pointing at the mirror found elsewhere, or none (the
 * registry, as usual) when there is no mirror.
 */
export function cliConfigFor(mirror: string | undefined, scratch: string): string | undefined {
  if (!mirror) return undefined;
  const carried = fs.readFileSync(CARRIED_CLI_CONFIG, 'utf8');
  if (path.resolve(mirror) === CARRIED_MIRROR) return CARRIED_CLI_CONFIG;
  const file = path.join(scratch, 'offline.tfrc');
  fs.writeFileSync(file, carried.replace(`"${CARRIED_MIRROR}"`, JSON.stringify(path.resolve(mirror))));
  return file;
}

/**
 * Provider settings that let plan run with no credentials and no network, and a
 * scratch local state in place of the stack's backend.
 */
export function offlineOverride(statePath?: string): object {
  return {
    ...(statePath ? { terraform: { backend: { local: { path: statePath } } } } : {}),
    provider: {
      aws: [
        {
          access_key: 'offline',
          secret_key: 'offline',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          allowed_account_ids: null,
          // Cancels the deploy-role assumption (null for the whole block would not remove it, and plan would call STS).
          assume_role: [{ role_arn: null }],
        },
      ],
    },
  };
}

/**
 * An offline plan keeps state in a scratch file: a Terraform Cloud (cloud block)
 * or S3 backend would need the network, and an override file cannot remove a
 * cloud block, so the scratch copy of the stack drops them.
 */
export function localBackendOnly(file: string): void {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const tf = isRecord(parsed) ? parsed : {};
  const t = isRecord(tf.terraform) ? tf.terraform : {};
  const remote = offlineRemoteStates(tf, path.dirname(file));
  if (!t.cloud && !(isRecord(t.backend) && !t.backend.local) && !remote) return;
  delete t.cloud;
  delete t.backend;
  fs.writeFileSync(file, JSON.stringify(tf));
}

/** A placeholder for an output another stack's state holds: an ARN-shaped string where the name says ARN. */
const remoteOutputPlaceholder = (output: string) =>
  /arn$/i.test(output) ? 'arn:aws:oam:us-east-1:000000000000:sink/00000000-0000-0000-0000-000000000000' : 'placeholder';

/**
 * The same for another stack's state read through a terraform_remote_state data source (the OAM link reads the
 * monitoring stack's sink ARN, stacks/observability/link.ts): reading it would need that backend, so offline it
 * reads a local state file written beside the configuration, holding a placeholder for each output the stack
 * refers to. Returns whether the configuration had any.
 */
function offlineRemoteStates(tf: Record<string, unknown>, dir: string): boolean {
  const states = isRecord(tf.data) && isRecord(tf.data.terraform_remote_state) ? tf.data.terraform_remote_state : undefined;
  if (!states || !Object.keys(states).length) return false;
  const text = JSON.stringify(tf.resource ?? {}) + JSON.stringify(tf.output ?? {}) + JSON.stringify(tf.locals ?? {});
  for (const [name, body] of Object.entries(states)) {
    const outputs = [
      ...new Set(
        [...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${name}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]),
      ),
    ];
    const file = path.join(dir, `remote-state-${name}-offline.tfstate`);
    const values = Object.fromEntries(outputs.map((o) => [o, { value: remoteOutputPlaceholder(o), type: 'string' }]));
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: `offline-${name}`, outputs: values, resources: [] }),
    );
    const defaults = isRecord(body) ? body.defaults : undefined;
    states[name] = { backend: 'local', config: { path: file }, ...(defaults ? { defaults } : {}) };
  }
  return true;
}

/**
 * A resource's attribute values in a plan (a change's `after`, a planned resource's `values`), as
 * `terraform show -json` writes them. Small local shapes: lib/ sits below review/, whose
 * review/terraform-json.ts has the full ones (tests narrow these with its `at()` and types).
 */
export interface PlanValues {
  [key: string]: unknown;
}

/** The fields of `terraform show -json` of a saved plan that callers read; the rest as `unknown`. */
export interface ShownPlan {
  resource_changes?: {
    address: string;
    type: string;
    mode: string;
    name: string;
    change: { actions: string[]; before: PlanValues | null; after: PlanValues | null; [key: string]: unknown };
    [key: string]: unknown;
  }[];
  planned_values?: { root_module?: ShownModule; outputs?: PlanValues; [key: string]: unknown };
  [key: string]: unknown;
}

/** A module of `planned_values`: its resources and child modules. */
export interface ShownModule {
  address?: string;
  resources?: { address: string; type: string; name: string; mode: string; values: PlanValues; [key: string]: unknown }[];
  child_modules?: ShownModule[];
}

export interface PlannedChange {
  address: string;
  type: string;
  actions: string[];
  /** The planned attribute values; null when the resource is deleted. */
  after: PlanValues | null;
}

export interface StackPlan {
  stack: string;
  changes: PlannedChange[];
  /** The whole `terraform show -json` of the plan; undefined for a stack that was only validated. */
  plan: ShownPlan | undefined;
  /**
   * Addresses of the stack's Terraform import blocks (brownfield adoption), when there are any:
   * such a stack is validated, not planned. Planning an import reads the existing resource from
   * AWS, which an offline plan (dummy credentials, no network) cannot do; only a plan in the real
   * account (the PR plan in Terraform Cloud) shows what the import finds and what changes after it.
   */
  importsNotPlanned?: string[];
}

/** The binary of the AWS provider `version` in a filesystem mirror, if it holds it for this platform. */
export function mirroredAwsProvider(mirror: string | undefined, version: string): string | undefined {
  if (!mirror || !/^\d+\.\d+\.\d+$/.test(version)) return undefined;
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const dir = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', version, platform);
  const binary = safeList(dir).find((f) => f.startsWith('terraform-provider-aws'));
  return binary ? path.join(dir, binary) : undefined;
}

const AWS_SOURCES = ['aws', 'hashicorp/aws', 'registry.terraform.io/hashicorp/aws'];
const liveServers = new Set<ChildProcess>();
/** Scratch directories of the sessions not yet disposed. */
const liveScratch = new Set<string>();
let exitHook = false;

/** Stops every provider server and removes every session's scratch directory (at exit, or on a signal). */
function cleanUp(): void {
  liveServers.forEach((c) => c.kill('SIGKILL'));
  liveScratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
}

/**
 * A provider started in debug mode runs until it is stopped: never leave one behind. Node runs no 'exit'
 * handler when a signal ends it (a CI job cancelled or timed out sends SIGTERM to the review alone), so the
 * usual terminating signals clean up too, then end the process as the signal would (exit 128 + its number).
 */
function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      cleanUp();
      process.exit(128 + os.constants.signals[signal]);
    });
}

/**
 * One running AWS provider that terraform commands attach to (TF_REATTACH_PROVIDERS) instead of
 * starting the 700 MB binary themselves: a plan starts it three times (schema, validate, plan) and
 * `show -json` once more, about a second of CPU each; attached, they start none, and `init` has no
 * provider to install or hash. Terraform configures an attached provider at the start of every
 * command, so one server serves one command at a time (the pool in TerraformSession), and only a
 * configuration with a single `aws` provider block (two blocks would configure the one process twice).
 * AWS_CA_BUNDLE is left out of its environment: with it, the provider 5.100 fails a second configure
 * ("unable to add custom RootCAs HTTPClient"); offline plans make no AWS call that would need it.
 */
export class ProviderServer {
  private constructor(
    private readonly child: ChildProcess,
    /** TF_REATTACH_PROVIDERS for the commands that use this server: its schema proxy's, or its own. */
    readonly reattach: string,
    private readonly proxy?: SchemaProxy,
    /** Its own TF_REATTACH_PROVIDERS, past the proxy: for a command that needs the whole schema. */
    readonly direct = reattach,
  ) {}

  /**
   * Starts a server and, unless BEDROCK_TF_SCHEMA_PROXY=0, its SchemaProxy (lib/provider-proxy.ts), which
   * gives commands the schema of the types in `types` only (a set the caller fills before the commands run).
   */
  static async startProxied(
    binary: string,
    env: NodeJS.ProcessEnv,
    go: CommandEnv,
    dir: string,
    types: Set<string>,
  ): Promise<ProviderServer> {
    const server = await ProviderServer.start(binary, env, go);
    if (process.env.BEDROCK_TF_SCHEMA_PROXY === '0') return server;
    try {
      const proxy = await SchemaProxy.start(server.reattach, dir, types);
      return new ProviderServer(server.child, proxy.reattach, proxy, server.reattach);
    } catch {
      return server;
    }
  }

  /** `go`: the server's Go collection settings (GoSettings). */
  static start(binary: string, env: NodeJS.ProcessEnv, go: CommandEnv): Promise<ProviderServer> {
    const serverEnv = { ...env };
    delete serverEnv.AWS_CA_BUNDLE;
    delete serverEnv.TF_REATTACH_PROVIDERS;
    delete serverEnv.GOMEMLIMIT;
    Object.assign(serverEnv, go);
    const child = spawn(binary, ['-debug'], { env: serverEnv, stdio: ['ignore', 'pipe', 'ignore'] });
    liveServers.add(child);
    child.on('exit', () => liveServers.delete(child));
    hookExit();
    return new Promise((resolve, reject) => {
      let out = '';
      const fail = (why: string) => {
        child.kill('SIGKILL');
        reject(new Error(`the AWS provider ${binary} did not start in debug mode: ${why}`));
      };
      const timer = setTimeout(() => fail('no reattach line within 60 s'), 60_000);
      child.on('error', (e) => (clearTimeout(timer), fail(e.message)));
      child.on('exit', (code) => (clearTimeout(timer), fail(`it exited (${code})`)));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.on('exit', () => liveServers.delete(child));
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(new ProviderServer(child, m[1]));
      });
    });
  }

  private turn: Promise<unknown> = Promise.resolve();
  /** Commands running on (or waiting for) this server. */
  users = 0;

  /** Runs `fn` once every earlier exclusive call on this server has ended. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.turn.then(fn);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Resident memory of the server, in MB (0 when it cannot be read). */
  rssMb(): number {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): void {
    this.proxy?.close();
    this.child.kill('SIGKILL');
    liveServers.delete(this.child);
  }
}

/**
 * Whether a stack's configuration can plan against an attached provider: the AWS provider only,
 * pinned to one version (returned), and a single provider block.
 */
export function attachableVersion(tf: unknown): string | undefined {
  if (!isRecord(tf)) return undefined;
  const required = isRecord(tf.terraform) && isRecord(tf.terraform.required_providers) ? tf.terraform.required_providers : {};
  const names = Object.keys(required);
  const aws = required.aws;
  if (names.length !== 1 || !isRecord(aws) || typeof aws.version !== 'string') return undefined;
  if (typeof aws.source === 'string' && !AWS_SOURCES.includes(aws.source)) return undefined;
  const providers = isRecord(tf.provider) ? tf.provider : {};
  if (Object.keys(providers).some((p) => p !== 'aws')) return undefined;
  const blocks = providers.aws;
  if (blocks !== undefined && !(Array.isArray(blocks) && blocks.length <= 1) && !isRecord(blocks)) return undefined;
  return aws.version;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Extra environment of one terraform command: TF_REATTACH_PROVIDERS when it runs against a ProviderServer. */
export type CommandEnv = Record<string, string>;

/**
 * Terraform commands that never configure a provider: under TF_LOG=trace, `show -json` and `providers
 * schema -json` call GetProviderSchema only, and `init` against an attached provider calls nothing, where
 * `plan` calls ConfigureProvider (the provider keeps one configuration: region, default tags) before its
 * PlanResourceChange calls. So any number of these may share a server with the one command that has it
 * configured; every other command (plan, validate, ...) has the shared server to itself.
 */
const SCHEMA_ONLY = new Set(['show', 'init', 'providers', 'version']);

/** TF_REATTACH_PROVIDERS of a command on the shared server: `run` attaches it to the server running then. */
const SHARED = 'shared-provider-server:';
/** The same for a command that needs the whole provider schema (past the SchemaProxy). */
const SHARED_FULL = 'shared-provider-server-full:';

/**
 * Go settings of the provider servers and the commands attached to them, chosen by measuring plan and
 * `show -json` of a logging stack against one server (CPU per plan + show, and resident memory), before the
 * schema proxy (lib/provider-proxy.ts) took most of both away (the whole schema was most of what they decoded):
 * - commands: no proportional collection, a soft limit instead. Such a pair allocates 600-800 MB with about
 *   100 MB live; at GOGC=100 it took 2.86 s of CPU at 225 MB each, near a 200 MiB limit 2.48 s at 250 MB,
 *   near 400 MiB 1.9 s at 440 MB.
 * - servers: at GOGC=100 the provider took 1.4 s of CPU for the pair and held 370-500 MB; at 200, 1.17 s
 *   and 440-480 MB; near a 500 MiB limit, 1.01 s and 620-660 MB. A server grown past `maxServerMb` is
 *   stopped between commands (a start costs 0.2 s).
 * The shared server (review --plan) holds the peak memory (two commands and one server, 1.1 GB); the
 * per-stack servers (tests, verify) the CPU.
 */
interface GoSettings {
  command: CommandEnv;
  server: CommandEnv;
  maxServerMb: number;
}
const SHARED_GO: GoSettings = { command: { GOGC: 'off', GOMEMLIMIT: '200MiB' }, server: { GOGC: '100' }, maxServerMb: 500 };
const PER_STACK_GO: GoSettings = {
  command: { GOGC: 'off', GOMEMLIMIT: '400MiB' },
  server: { GOGC: 'off', GOMEMLIMIT: '500MiB' },
  maxServerMb: 750,
};

export class TerraformSession {
  readonly scratch: string;
  readonly env: NodeJS.ProcessEnv;
  /** The dependency lock file of the first init, reused so later inits only verify and link from the cache. */
  private lockFile?: string;
  private warming?: Promise<void>;
  private workdirs = 0;
  private readonly mirror = findMirror();
  /** Provider servers not running a command now, and all of them (stopped by dispose). */
  private readonly idle: ProviderServer[] = [];
  private readonly servers = new Set<ProviderServer>();
  /** Set after a provider server failed to start: every command then starts the provider itself. */
  private attachFailed = process.env.BEDROCK_TF_ATTACH === '0';

  /** With sharedProvider: the one server (or its start) that commands attach to now, and the one stopping. */
  private sharedServer?: Promise<ProviderServer | undefined>;
  private retiring?: Promise<void>;
  private readonly go: GoSettings;
  /** The resource and data source types of every configuration and state the session's servers serve (SchemaProxy). */
  private readonly types = new Set<string>();

  /**
   * With `sharedProvider`, every command attaches to one provider server (its memory once, not once per
   * stack at a time): commands that only read the schema (show, init) run beside the one that has it
   * configured (plan), and commands that configure it take turns. For --plan, whose peak memory matters
   * more than the seconds the turns cost; without it, each stack in flight has a server of its own.
   */
  constructor(
    readonly terraform: string,
    private readonly options: { sharedProvider?: boolean } = {},
  ) {
    this.go = options.sharedProvider ? SHARED_GO : PER_STACK_GO;
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-tf-'));
    liveScratch.add(this.scratch);
    hookExit();
    const cache = path.join(this.scratch, 'plugin-cache');
    fs.mkdirSync(cache);
    const cliConfig = cliConfigFor(this.mirror, this.scratch);
    this.env = {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      // One cache for every stack: init links the provider instead of copying 700 MB each time.
      TF_PLUGIN_CACHE_DIR: cache,
      // Terraform and the provider are Go programs: letting the heap grow 200% instead of 100% between
      // collections took npm run verify of 401 stacks from 119 s to 90 s, and its peak memory from 2.7 to 3.7 GB.
      GOGC: process.env.GOGC ?? '200',
      ...(cliConfig ? { TF_CLI_CONFIG_FILE: cliConfig } : {}),
    };
  }

  /** A fresh directory in the scratch space: one session may work on the same stack name more than once. */
  workdir(label: string): string {
    return path.join(this.scratch, `${++this.workdirs}-${label}`);
  }

  /** Runs terraform in `cwd` with the session's offline environment; throws with its output on failure. */
  async run(cwd: string, args: string[], extra: CommandEnv = {}): Promise<string> {
    const r = extra.TF_REATTACH_PROVIDERS;
    if (r?.startsWith(SHARED)) return this.runShared(r.slice(SHARED.length), cwd, args, extra, false);
    if (r?.startsWith(SHARED_FULL)) return this.runShared(r.slice(SHARED_FULL.length), cwd, args, extra, true);
    return this.exec(cwd, args, extra);
  }

  /** One command on the shared server of the provider `binary`, started when there is none. */
  private async runShared(binary: string, cwd: string, args: string[], extra: CommandEnv, fullSchema: boolean): Promise<string> {
    let server: ProviderServer | undefined;
    while (!server) {
      await this.retiring;
      const current = await (this.sharedServer ??= this.startShared(binary));
      // A restart that failed: terraform starts the provider itself.
      if (!current) return this.exec(cwd, args, {});
      if (!current.alive) this.sharedServer = undefined;
      else if (!this.retiring) server = current;
    }
    server.users++;
    const env = { ...extra, ...this.go.command, TF_REATTACH_PROVIDERS: fullSchema ? server.direct : server.reattach };
    try {
      return await (SCHEMA_ONLY.has(args[0]) ? this.exec(cwd, args, env) : server.exclusive(() => this.exec(cwd, args, env)));
    } finally {
      server.users--;
      // Grown past the limit: no new command starts on it; the last one running stops it, and the next starts a fresh one.
      if (!this.retiring && this.sharedServer && server.rssMb() > this.go.maxServerMb) {
        this.sharedServer = undefined;
        let stopped!: () => void;
        this.retiring = new Promise((resolve) => (stopped = resolve));
        const old = server;
        const check = () => {
          if (old.users > 0) return void setTimeout(check, 20);
          old.stop();
          this.servers.delete(old);
          this.retiring = undefined;
          stopped();
        };
        check();
      }
    }
  }

  private startShared(binary: string): Promise<ProviderServer | undefined> {
    return ProviderServer.startProxied(binary, this.env, this.go.server, this.scratch, this.types).then(
      (started) => (this.servers.add(started), started),
      () => ((this.attachFailed = true), undefined),
    );
  }

  private async exec(cwd: string, args: string[], extra: CommandEnv): Promise<string> {
    try {
      const { stdout } = await run(this.terraform, args, { cwd, env: { ...this.env, ...extra }, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    } catch (e: unknown) {
      const x = isRecord(e) ? e : {};
      const text = [x.stderr, x.stdout, x.message].find((t) => typeof t === 'string' && t) ?? String(e);
      throw new Error(`terraform ${args[0]} failed in ${cwd}:\n${text}`);
    }
  }

  /**
   * Runs `fn` with the environment of a provider server for the configuration `tf` (a parsed cdk.tf.json)
   * when one can serve it (see ProviderServer), or with none (terraform starts the provider itself).
   * The server is this call's alone until `fn` ends, or, with `sharedProvider`, the session's one.
   */
  async withProvider<T>(
    tf: unknown,
    fn: (env: CommandEnv) => Promise<T>,
    also: unknown[] = [],
    options: { fullSchema?: boolean } = {},
  ): Promise<T> {
    const version = this.attachFailed ? undefined : attachableVersion(tf);
    const binary = version ? mirroredAwsProvider(this.mirror, version) : undefined;
    if (!binary) return fn({});
    // The types the commands will need the schema of (SchemaProxy): this configuration's and those of `also`.
    for (const t of typesOf(tf, ...also)) this.types.add(t);
    if (this.options.sharedProvider) {
      if (!(await (this.sharedServer ??= this.startShared(binary)))) return fn({});
      return fn({ TF_REATTACH_PROVIDERS: (options.fullSchema ? SHARED_FULL : SHARED) + binary });
    }
    let server = this.idle.pop();
    while (server && !server.alive) {
      this.servers.delete(server);
      server = this.idle.pop();
    }
    if (!server) {
      try {
        server = await ProviderServer.startProxied(binary, this.env, this.go.server, this.scratch, this.types);
      } catch {
        this.attachFailed = true;
        return fn({});
      }
      this.servers.add(server);
    }
    try {
      return await fn({ TF_REATTACH_PROVIDERS: options.fullSchema ? server.direct : server.reattach, ...this.go.command });
    } finally {
      // The provider keeps some memory from each configuration it served: one grown past the limit is replaced.
      if (server.alive && server.rssMb() < this.go.maxServerMb) this.idle.push(server);
      else {
        server.stop();
        this.servers.delete(server);
      }
    }
  }

  /**
   * init and an offline plan (which validates first) of one synthesized stack
   * directory; with validateOnly, init and validate.
   * With `state`, the plan starts from that Terraform state (v4 JSON) without
   * refreshing it, which shows what a change to deployed resources would do.
   * With `saveTo`, the saved plan file (`plan -out`) is copied there.
   */
  async plan(
    stackDir: string,
    options: { state?: object; label?: string; validateOnly?: boolean; saveTo?: string } = {},
  ): Promise<StackPlan> {
    const stack = path.basename(stackDir);
    const tf: unknown = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const imports = (isRecord(tf) && Array.isArray(tf.import) ? tf.import : []).map((b: unknown) => String(isRecord(b) ? b.to : b));
    if (imports.length && !options.validateOnly && !options.state) {
      if (options.saveTo)
        throw new Error(
          `${stack} has import blocks: an offline plan cannot read the imported resources, so there is no saved plan to write`,
        );
      const validated = await this.plan(stackDir, { ...options, validateOnly: true });
      return { ...validated, importsNotPlanned: imports };
    }
    return this.withProvider(tf, (env) => this.planOnce(stackDir, stack, options, env), [options.state]);
  }

  private async planOnce(
    stackDir: string,
    stack: string,
    options: { state?: object; label?: string; validateOnly?: boolean; saveTo?: string },
    env: CommandEnv,
  ): Promise<StackPlan> {
    const work = this.workdir(options.label ?? stack);
    fs.cpSync(stackDir, work, { recursive: true });
    if (!options.validateOnly) localBackendOnly(path.join(work, 'cdk.tf.json'));
    const statePath = path.join(work, 'terraform.tfstate');
    // validateOnly is for Terraform Cloud and S3 backends, which need the network even to init: -backend=false.
    fs.writeFileSync(
      path.join(work, 'offline_override.tf.json'),
      JSON.stringify(offlineOverride(options.validateOnly ? undefined : statePath)),
    );
    await this.init(work, options.validateOnly ? ['-backend=false'] : [], env);
    if (options.validateOnly) {
      await this.run(work, ['validate', '-no-color'], env);
      return { stack, changes: [], plan: undefined };
    }
    // After init: the first backend initialization rewrites a state file it finds.
    if (options.state) fs.writeFileSync(statePath, JSON.stringify(options.state));
    // plan validates the configuration first, as terraform validate does: no separate validate run.
    await this.run(
      work,
      ['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin', ...(options.state ? ['-refresh=false'] : [])],
      env,
    );
    const plan: unknown = JSON.parse(await this.run(work, ['show', '-json', 'plan.bin'], env));
    if (options.saveTo) fs.copyFileSync(path.join(work, 'plan.bin'), options.saveTo);
    const rcs = isRecord(plan) && Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
    const changes: PlannedChange[] = rcs.filter(isRecord).map((r) => {
      const change = isRecord(r.change) ? r.change : {};
      return {
        address: String(r.address),
        type: String(r.type),
        actions: Array.isArray(change.actions) ? change.actions.map(String) : [],
        after: isRecord(change.after) ? change.after : null,
      };
    });
    // terraform show -json of a saved plan: the JSON output format (developer.hashicorp.com/terraform/internals/json-format).
    return { stack, changes, plan: plan as ShownPlan };
  }

  /**
   * terraform init. Against a provider server (`env` holds TF_REATTACH_PROVIDERS) there is no
   * provider to install: it only sets up the backend. Otherwise with the session's lock file, once
   * there is one: with it, init only verifies and links the cached provider, so inits may run
   * concurrently. The first such init (warm() does one) installs into the cache and records the lock file.
   */
  async init(dir: string, args: string[] = [], env: CommandEnv = {}): Promise<void> {
    if (env.TF_REATTACH_PROVIDERS) {
      await this.run(dir, ['init', '-input=false', '-no-color', ...args], env);
      return;
    }
    if (!this.lockFile) await this.warm();
    if (this.lockFile) fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), this.lockFile);
    await this.run(dir, ['init', '-input=false', '-no-color', ...args]);
    this.lockFile ??= fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
  }

  /** Fills the plugin cache and records the lock file, before concurrent inits (once per session). */
  warm(): Promise<void> {
    this.warming ??= (async () => {
      const dir = path.join(this.scratch, 'warm');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }),
      );
      await this.run(dir, ['init', '-input=false', '-no-color', '-backend=false']);
      this.lockFile = fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
    })();
    return this.warming;
  }

  /** Plans every stack of a cdktf.out tree, `parallelism` at a time. */
  async planAll(outdir: string, options: { validateOnly?: boolean; parallelism?: number } = {}): Promise<StackPlan[]> {
    const dirs = fs
      .readdirSync(path.join(outdir, 'stacks'))
      .sort()
      .map((d) => path.join(outdir, 'stacks', d));
    return this.planDirs(dirs, options);
  }

  /** Plans stack directories, `parallelism` at a time (default: one per core), results in input order. */
  async planDirs(dirs: string[], options: { validateOnly?: boolean; parallelism?: number } = {}): Promise<StackPlan[]> {
    const parallelism = options.parallelism ?? Math.max(1, os.cpus().length);
    const results: StackPlan[] = new Array(dirs.length);
    if (dirs.length === 0) return results;
    let next = 0;
    const worker = async () => {
      while (next < dirs.length) {
        const i = next++;
        results[i] = await this.plan(dirs[i], options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, dirs.length) }, worker));
    return results;
  }

  dispose(): void {
    for (const s of this.servers) s.stop();
    this.servers.clear();
    this.idle.length = 0;
    fs.rmSync(this.scratch, { recursive: true, force: true });
    liveScratch.delete(this.scratch);
  }
}

/** Terraform tier switch: SKIP_TERRAFORM_TESTS=1 opts out, a missing binary otherwise fails loudly. */
export function requireTerraform(): string | undefined {
  if (process.env.SKIP_TERRAFORM_TESTS === '1') return undefined;
  const tf = findTerraform();
  if (!tf)
    throw new Error(
      'terraform is not on the PATH: the real-Terraform test tier cannot run. Install Terraform >= 1.7, or set SKIP_TERRAFORM_TESTS=1 to skip this tier on purpose.',
    );
  return tf;
}
