/**
 * Creates or updates the Terraform Cloud workspace of every stack of the matrix,
 * with the dynamic-credential variables its runs need, through the Terraform
 * Cloud API: GET first, then POST what is missing and PATCH what differs, so a
 * second run sends no change. --dry-run prints the requests instead.
 * Usage: npm run tfc-workspaces -- --help
 *
 * API (HCP Terraform / Terraform Enterprise v2, JSON:API, application/vnd.api+json):
 *   GET   /api/v2/organizations/:org/projects?filter[names]=:project   project ID
 *   GET   /api/v2/organizations/:org/workspaces/:name                  show by name (404: missing)
 *   POST  /api/v2/organizations/:org/workspaces                        create
 *   PATCH /api/v2/organizations/:org/workspaces/:name                  update by name
 *   GET   /api/v2/workspaces/:id/vars                                  list variables
 *   POST  /api/v2/workspaces/:id/vars                                  create a variable
 *   PATCH /api/v2/workspaces/:id/vars/:var_id                          update a variable
 *   GET   /api/v2/workspaces/:id/relationships/remote-state-consumers  who may read its state
 *   POST  /api/v2/workspaces/:id/relationships/remote-state-consumers  let more workspaces read it
 * (developer.hashicorp.com/terraform/cloud-docs/api-docs/workspaces, .../workspace-variables, .../projects)
 */
import * as fs from 'fs';
import { MatrixError } from '../../config/errors';
import { loadMatrix } from '../../config/load';
import type { AppConfig } from '../../config/model';
import { TFC_HOSTNAME } from '../../config/deployment';
import { bootstrapStackName } from '../../config/naming';
import { templatePrefix } from '../../config/leftovers';
import { EXIT, cliOptions, defineCommand, progress, usageError } from '../../lib/args';
import { deployWaveCommand } from './waves';

export const DEFAULT_TERRAFORM_VERSION = '1.11.4';

/** One workspace and its variables, as this tool wants them. */
export interface WorkspacePlan {
  stack: string;
  kind: 'logging' | 'management' | 'bootstrap' | 'monitoring';
  organization: string;
  hostname: string;
  workspace: string;
  project?: string;
  executionMode: 'remote' | 'local' | 'agent';
  agentPoolId?: string;
  workingDirectory: string;
  terraformVersion: string;
  vars: { key: string; value: string; description: string }[];
  roleArnSource?: string;
  /**
   * Workspaces that may read this workspace's state (Terraform Cloud remote state sharing): a monitoring
   * stack's state is read by the logging stacks that link to its sink (terraform_remote_state, docs/observability.md).
   */
  remoteStateConsumers?: string[];
}

export interface Options {
  terraformVersion?: string;
  executionMode?: 'remote' | 'agent';
  agentPoolId?: string;
  /** stack name -> { deploy_role_arn } (cdktf deploy --outputs-file of the bootstrap stacks). */
  bootstrapOutputs?: Record<string, Record<string, unknown>>;
}

export class TfcError extends Error {}

/**
 * The workspaces of the matrix. Logging and management stacks run remotely with
 * dynamic credentials: TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN, the
 * deploy role of the stack's account (the bootstrap stack's deploy_role_arn
 * output). Bootstrap stacks create that role, so they cannot use it: their
 * workspaces keep state only (execution mode local) and run on the operator's
 * machine with the operator's credentials (docs/rollout.md).
 */
export function workspacePlans(config: AppConfig, options: Options = {}): WorkspacePlan[] {
  const plans: WorkspacePlan[] = [];
  const roleName = config.deployment.roleName;
  const bootstrapOf = new Map(config.bootstraps.map((b) => [b.accountId, b]));
  const base = (stack: string, backend: AppConfig['stacks'][number]['backend']) => {
    if (backend.type !== 'tfc')
      throw new TfcError(`${stack} has a ${backend.type} backend: set deployment.backend.type to "tfc" to keep state in Terraform Cloud`);
    return {
      stack,
      organization: backend.organization,
      hostname: backend.hostname ?? TFC_HOSTNAME,
      workspace: backend.workspace,
      project: backend.project,
      // cdktf uploads the stack's folder (cdktf.out/stacks/<stack>) as the configuration root: no subdirectory.
      workingDirectory: '',
      terraformVersion: options.terraformVersion ?? DEFAULT_TERRAFORM_VERSION,
    };
  };
  const roleArn = (accountId: string, partition: string): { value: string; source: string } => {
    const fromMatrix = `arn:${partition}:iam::${accountId}:role/${roleName}`;
    const b = bootstrapOf.get(accountId);
    if (!options.bootstrapOutputs)
      return { value: fromMatrix, source: 'the deploy role of the matrix (pass --bootstrap-outputs to use the deployed output)' };
    const stack = b?.stackName ?? bootstrapStackName(accountId);
    const out = options.bootstrapOutputs[stack]?.deploy_role_arn ?? options.bootstrapOutputs[stack]?.deployRoleArn;
    if (typeof out !== 'string')
      throw new TfcError(
        `--bootstrap-outputs has no deploy_role_arn for ${stack}: deploy the bootstrap wave first (${deployWaveCommand('bootstrap', undefined)} -- --outputs-file <file>)`,
      );
    if (out !== fromMatrix)
      throw new TfcError(
        `${stack} output deploy_role_arn is ${out}, but the matrix names ${fromMatrix}: deploy the bootstrap wave again, or correct deployment.roleName`,
      );
    return { value: out, source: `${stack} output deploy_role_arn` };
  };
  const remote = (accountId: string, partition: string) => {
    const arn = roleArn(accountId, partition);
    return {
      executionMode: options.executionMode ?? ('remote' as const),
      ...(options.executionMode === 'agent' ? { agentPoolId: options.agentPoolId } : {}),
      roleArnSource: arn.source,
      vars: [
        {
          key: 'TFC_AWS_PROVIDER_AUTH',
          value: 'true',
          description: 'Dynamic AWS credentials for the runs of this workspace (bedrock-governance)',
        },
        {
          key: 'TFC_AWS_RUN_ROLE_ARN',
          value: arn.value,
          description: "The deploy role the runs assume: the bootstrap stack's deploy_role_arn output (bedrock-governance)",
        },
      ],
    };
  };
  for (const b of config.bootstraps) plans.push({ ...base(b.stackName, b.backend), kind: 'bootstrap', executionMode: 'local', vars: [] });
  for (const s of config.stacks) plans.push({ ...base(s.stackName, s.backend), kind: 'logging', ...remote(s.accountId, s.partition) });
  const m = config.management;
  if (m) plans.push({ ...base(m.stackName, m.backend), kind: 'management', ...remote(m.accountId, m.partition) });
  // After the logging workspaces, which they share their state with: those must exist to be named consumers.
  for (const mon of config.monitoring) {
    const consumers = config.stacks
      .filter((s) => s.observabilityLink?.monitoringStackName === mon.stackName && s.backend.type === 'tfc')
      .map((s) => (s.backend as { workspace: string }).workspace);
    plans.push({
      ...base(mon.stackName, mon.backend),
      kind: 'monitoring',
      ...remote(mon.accountId, mon.partition),
      remoteStateConsumers: consumers.sort(),
    });
  }
  return plans;
}

/** The JSON:API body of a workspace create or update. */
export function workspaceBody(p: WorkspacePlan, projectId: string | undefined) {
  return {
    data: {
      type: 'workspaces',
      attributes: {
        name: p.workspace,
        'execution-mode': p.executionMode,
        'working-directory': p.workingDirectory,
        'terraform-version': p.terraformVersion,
        description: `bedrock-governance stack ${p.stack} (managed by npm run tfc-workspaces)`,
        ...(p.agentPoolId ? { 'agent-pool-id': p.agentPoolId } : {}),
      },
      ...(projectId ? { relationships: { project: { data: { type: 'projects', id: projectId } } } } : {}),
    },
  };
}

/** The JSON:API body of a workspace variable: an environment variable, neither HCL nor sensitive (neither value is a secret). */
export function varBody(v: WorkspacePlan['vars'][number], id?: string) {
  return {
    data: {
      type: 'vars',
      ...(id ? { id } : {}),
      attributes: { key: v.key, value: v.value, description: v.description, category: 'env', hcl: false, sensitive: false },
    },
  };
}

/** The JSON:API body that adds remote-state consumers to a workspace, by workspace ID. */
export const consumersBody = (ids: string[]) => ({ data: ids.map((id) => ({ type: 'workspaces', id })) });

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
}

/** The requests a run sends when nothing exists yet (what --dry-run prints). */
export function dryRunRequests(p: WorkspacePlan): ApiRequest[] {
  const org = encodeURIComponent(p.organization);
  const ws = encodeURIComponent(p.workspace);
  return [
    { method: 'GET', path: `/api/v2/organizations/${org}/workspaces/${ws}` },
    {
      method: 'POST',
      path: `/api/v2/organizations/${org}/workspaces`,
      body: workspaceBody(p, p.project ? `<id of project ${p.project}>` : undefined),
    },
    ...p.vars.map((v) => ({ method: 'POST' as const, path: `/api/v2/workspaces/<id of ${p.workspace}>/vars`, body: varBody(v) })),
    ...(p.remoteStateConsumers?.length
      ? [
          {
            method: 'POST' as const,
            path: `/api/v2/workspaces/<id of ${p.workspace}>/relationships/remote-state-consumers`,
            body: consumersBody(p.remoteStateConsumers.map((w) => `<id of ${w}>`)),
          },
        ]
      : []),
  ];
}

/** A resource object of the API (JSON:API), with the fields read here. */
interface TfcResource {
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: { project?: { data?: { id?: string } } };
}

/** A response body (JSON:API): `data` is one resource (a GET of one, a POST) or a list (a GET of a collection). */
interface TfcDocument {
  data?: TfcResource | TfcResource[];
  errors?: unknown;
  /** A page of a collection: where the next one starts (null on the last). */
  meta?: { pagination?: { 'next-page'?: number | null } };
}

/** The resource of a response that holds one. */
const one = (doc: TfcDocument | undefined) => doc!.data as TfcResource;
/** The resources of a response that holds a list (none when it holds nothing). */
const list = (doc: TfcDocument | undefined) => (doc?.data ?? []) as TfcResource[];

type Send = (req: ApiRequest) => Promise<{ status: number; json: TfcDocument | undefined }>;

/** Sends API requests to `address` with the token, retrying on 429 as Terraform Cloud's Retry-After says. */
export function httpSender(address: string, token: string): Send {
  return async (req) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${address.replace(/\/$/, '')}${req.path}`, {
        method: req.method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
      if (res.status === 429 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        continue;
      }
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    }
  };
}

export interface ApplyResult {
  stack: string;
  workspace: string;
  workspaceAction: 'created' | 'updated' | 'unchanged';
  vars: Record<string, 'created' | 'updated' | 'unchanged'>;
  /** The remote-state consumers added (workspace names); absent when the plan names none. */
  consumersAdded?: string[];
}

const check = (r: { status: number; json: TfcDocument | undefined }, what: string) => {
  if (r.status >= 300) throw new TfcError(`${what}: HTTP ${r.status} ${JSON.stringify(r.json?.errors ?? r.json ?? '')}`);
  return r.json;
};

/**
 * The names of the workspaces of the organization (of the project, when given) whose name contains `prefix`
 * (search[name]), every page: GET /api/v2/organizations/:org/workspaces, JSON:API pagination (meta.pagination.next-page).
 */
export async function listWorkspaces(send: Send, organization: string, project: string | undefined, prefix: string): Promise<string[]> {
  const org = encodeURIComponent(organization);
  let projectFilter = '';
  if (project) {
    const ids = new Map<string, string>();
    await projectIdOf(send, organization, project, ids);
    projectFilter = `&filter%5Bproject%5D%5Bid%5D=${encodeURIComponent(ids.get(`${organization}/${project}`)!)}`;
  }
  const search = prefix ? `&search%5Bname%5D=${encodeURIComponent(prefix)}` : '';
  const names: string[] = [];
  for (let page: number | null = 1; page;) {
    const r = check(
      await send({
        method: 'GET',
        path: `/api/v2/organizations/${org}/workspaces?page%5Bsize%5D=100&page%5Bnumber%5D=${page}${search}${projectFilter}`,
      }),
      `workspaces of ${organization}`,
    );
    for (const d of list(r)) {
      const name = d.attributes?.name;
      if (typeof name === 'string' && name.startsWith(prefix)) names.push(name);
    }
    page = r?.meta?.pagination?.['next-page'] ?? null;
  }
  return names.sort();
}

/** Looks up a project's ID once (cached in `ids` by organization/project). */
async function projectIdOf(send: Send, organization: string, project: string, ids: Map<string, string>): Promise<string> {
  const key = `${organization}/${project}`;
  if (!ids.has(key)) {
    const found = check(
      await send({
        method: 'GET',
        path: `/api/v2/organizations/${encodeURIComponent(organization)}/projects?filter%5Bnames%5D=${encodeURIComponent(project)}`,
      }),
      `project ${project}`,
    );
    const p = list(found).find((d) => d.attributes?.name === project);
    if (!p)
      throw new TfcError(
        `project "${project}" does not exist in organization ${organization}: create it first (deployment.backend.project)`,
      );
    ids.set(key, p.id);
  }
  return ids.get(key)!;
}

/** Creates or updates one workspace and its variables; sends nothing that already matches. */
export async function applyPlan(p: WorkspacePlan, send: Send, projectIds: Map<string, string>): Promise<ApplyResult> {
  const org = encodeURIComponent(p.organization);
  const ws = encodeURIComponent(p.workspace);
  let projectId: string | undefined;
  if (p.project) projectId = await projectIdOf(send, p.organization, p.project, projectIds);
  const want = workspaceBody(p, projectId);
  const shown = await send({ method: 'GET', path: `/api/v2/organizations/${org}/workspaces/${ws}` });
  let workspaceId: string;
  let workspaceAction: ApplyResult['workspaceAction'];
  if (shown.status === 404) {
    workspaceId = one(
      check(await send({ method: 'POST', path: `/api/v2/organizations/${org}/workspaces`, body: want }), `create workspace ${p.workspace}`),
    ).id;
    workspaceAction = 'created';
  } else {
    const have = one(check(shown, `workspace ${p.workspace}`));
    workspaceId = have.id;
    const a = have.attributes ?? {};
    const same =
      Object.entries(want.data.attributes).every(([k, v]) => (k === 'description' ? true : (a[k] ?? '') === v)) &&
      (projectId === undefined || have.relationships?.project?.data?.id === projectId);
    if (same) workspaceAction = 'unchanged';
    else {
      check(
        await send({ method: 'PATCH', path: `/api/v2/organizations/${org}/workspaces/${ws}`, body: want }),
        `update workspace ${p.workspace}`,
      );
      workspaceAction = 'updated';
    }
  }
  const vars: ApplyResult['vars'] = {};
  if (p.vars.length) {
    const existing = list(
      check(await send({ method: 'GET', path: `/api/v2/workspaces/${workspaceId}/vars` }), `variables of ${p.workspace}`),
    );
    for (const v of p.vars) {
      const have = existing.find((e) => e.attributes?.key === v.key && e.attributes?.category === 'env');
      if (!have) {
        check(
          await send({ method: 'POST', path: `/api/v2/workspaces/${workspaceId}/vars`, body: varBody(v) }),
          `create ${v.key} in ${p.workspace}`,
        );
        vars[v.key] = 'created';
      } else if (have.attributes!.value !== v.value || have.attributes!.sensitive || have.attributes!.hcl) {
        check(
          await send({ method: 'PATCH', path: `/api/v2/workspaces/${workspaceId}/vars/${have.id}`, body: varBody(v, have.id) }),
          `update ${v.key} in ${p.workspace}`,
        );
        vars[v.key] = 'updated';
      } else vars[v.key] = 'unchanged';
    }
  }
  const result: ApplyResult = { stack: p.stack, workspace: p.workspace, workspaceAction, vars };
  if (p.remoteStateConsumers?.length) {
    const rel = `/api/v2/workspaces/${workspaceId}/relationships/remote-state-consumers`;
    const have = new Set<string>(
      list(check(await send({ method: 'GET', path: rel }), `remote-state consumers of ${p.workspace}`)).map((d) => d.id),
    );
    const wanted: { name: string; id: string }[] = [];
    for (const name of p.remoteStateConsumers) {
      const found = await send({ method: 'GET', path: `/api/v2/organizations/${org}/workspaces/${encodeURIComponent(name)}` });
      if (found.status === 404)
        throw new TfcError(
          `workspace ${name} does not exist yet: it must, to read the state of ${p.workspace} (its logging workspaces are set up first)`,
        );
      wanted.push({ name, id: one(check(found, `workspace ${name}`)).id });
    }
    const missing = wanted.filter((w) => !have.has(w.id));
    if (missing.length)
      check(await send({ method: 'POST', path: rel, body: consumersBody(missing.map((w) => w.id)) }), `share the state of ${p.workspace}`);
    result.consumersAdded = missing.map((w) => w.name);
  }
  return result;
}

export const COMMAND = defineCommand({
  command: 'npm run tfc-workspaces',
  usage: '-- [--dry-run] [options]',
  summary: `Creates or updates the Terraform Cloud workspace of every stack of the matrix
(--matrix or MATRIX_FILE; deployment.backend.type must be "tfc"), with the variables its
runs need, through the Terraform Cloud API. It GETs each workspace and its
variables first, then creates what is missing and updates what differs, so a
second run changes nothing. Progress (one line per workspace) goes to stderr,
the summary to stdout.

  logging and management stacks   execution mode remote (or --execution-mode agent),
                                  TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN=
                                  the deploy role of the stack's account
  bootstrap stacks                execution mode local: Terraform Cloud keeps their
                                  state; they run on your machine with your own
                                  credentials, since they create the deploy role
  monitoring stacks               as logging stacks, and their state is shared with
                                  the logging workspaces that link to their sink
                                  (remote-state consumers; docs/observability.md)`,
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the JSON or YAML matrix (default: $MATRIX_FILE; installed in a\nlanding-zone repository, landing-zone.yaml; in the tool's own\ncheckout, the embedded example)",
    },
    {
      name: '--dry-run',
      help: 'print the API requests for every stack (as when no\nworkspace exists yet) and send nothing; no token needed',
    },
    { name: '--json', help: 'with --dry-run: the same as JSON' },
    {
      name: '--bootstrap-outputs',
      value: '<file>',
      help: `the bootstrap stacks' outputs (cdktf deploy
--outputs-file): TFC_AWS_RUN_ROLE_ARN is then each
stack's deploy_role_arn output, checked against the matrix`,
    },
    {
      name: '--list',
      help: `print the names of the workspaces that exist in the organization
(in deployment.backend.project, when set) and start with the fixed
part of workspaceTemplate, one a line; changes nothing. Input of
decommission --orphans`,
    },
    { name: '--execution-mode', value: '<mode>', help: 'remote (default) or agent' },
    { name: '--agent-pool-id', value: '<id>', help: 'with --execution-mode agent' },
    { name: '--terraform-version', value: '<v>', help: `the workspaces' Terraform version (default ${DEFAULT_TERRAFORM_VERSION})` },
  ],
  env: {
    MATRIX_FILE: 'the matrix file when --matrix is not given',
    TF_API_TOKEN: 'a Terraform Cloud team or organization token that can manage\nworkspaces and variables (not needed with --dry-run)',
    TFC_ADDRESS: "the API's base URL (default https://<deployment.backend.hostname\nor app.terraform.io>)",
  },
  exits: { failed: 'failed: an invalid matrix, a matrix without the tfc backend, an API error' },
});

function printDryRun(plans: WorkspacePlan[], json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify(
        plans.map((p) => ({
          stack: p.stack,
          workspace: p.workspace,
          project: p.project,
          executionMode: p.executionMode,
          workingDirectory: p.workingDirectory,
          requests: dryRunRequests(p),
        })),
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `Dry run: the Terraform Cloud API requests for ${plans.length} workspace${plans.length === 1 ? '' : 's'}, as when none exists yet.`,
  );
  console.log('A real run GETs each workspace and its variables first and then sends PATCH for what differs, nothing for what matches.\n');
  for (const p of plans) {
    console.log(`${p.stack}`);
    console.log(
      `  workspace ${p.organization}/${p.workspace}, project ${p.project ?? '(default)'}, execution mode ${p.executionMode}, working directory "${p.workingDirectory}" (the stack folder cdktf uploads), Terraform ${p.terraformVersion}`,
    );
    for (const v of p.vars) console.log(`  env ${v.key}=${v.value}${v.key === 'TFC_AWS_RUN_ROLE_ARN' ? `   (${p.roleArnSource})` : ''}`);
    if (p.kind === 'bootstrap')
      console.log('  no variables: bootstrap stacks run locally with your own credentials (they create the deploy role)');
    for (const r of dryRunRequests(p)) console.log(`  ${r.method} ${r.path}${r.body ? ` ${JSON.stringify(r.body)}` : ''}`);
    console.log('');
  }
}

export async function main(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const mode = opts.values['--execution-mode'];
  if (mode !== undefined && mode !== 'remote' && mode !== 'agent')
    return usageError(COMMAND, `--execution-mode is remote or agent, not "${mode}"`);
  if (mode === 'agent' && !opts.values['--agent-pool-id']) return usageError(COMMAND, '--execution-mode agent needs --agent-pool-id');
  if (opts.switches.has('--json') && !opts.switches.has('--dry-run')) return usageError(COMMAND, '--json goes with --dry-run');
  const dryRun = opts.switches.has('--dry-run');
  const token = env.TF_API_TOKEN;
  if (!dryRun && !token) return usageError(COMMAND, 'TF_API_TOKEN is not set (use --dry-run to see the requests without sending them)');
  let bootstrapOutputs: Options['bootstrapOutputs'];
  const outputsFile = opts.values['--bootstrap-outputs'];
  if (outputsFile) {
    try {
      bootstrapOutputs = JSON.parse(fs.readFileSync(outputsFile, 'utf8'));
    } catch (e) {
      return usageError(COMMAND, `--bootstrap-outputs ${outputsFile}: ${(e as Error).message}`);
    }
  }
  const config = loadMatrix(env, opts.values['--matrix']);
  if (config.deployment.backend !== 'tfc')
    throw new TfcError(
      'the matrix keeps state outside Terraform Cloud (deployment.backend.type is not "tfc"): there are no workspaces to set up',
    );
  if (config.deployment.assumeRole)
    process.stderr.write(
      'Warning: deployment.assumeRole is not false. With dynamic credentials the runs already hold the deploy role; set deployment.assumeRole: false.\n',
    );
  if (opts.switches.has('--list')) {
    const b = config.deployment.backendSpec;
    if (b?.type !== 'tfc') throw new TfcError('no tfc backend');
    const address = env.TFC_ADDRESS ?? `https://${b.hostname ?? TFC_HOSTNAME}`;
    const names = await listWorkspaces(
      httpSender(address, token!),
      b.organization,
      b.project,
      templatePrefix(b.workspaceTemplate ?? '{stack}'),
    );
    for (const n of names) console.log(n);
    return;
  }
  const plans = workspacePlans(config, {
    terraformVersion: opts.values['--terraform-version'],
    executionMode: mode as Options['executionMode'],
    agentPoolId: opts.values['--agent-pool-id'],
    bootstrapOutputs,
  });
  if (dryRun) return printDryRun(plans, opts.switches.has('--json'));

  const address = env.TFC_ADDRESS ?? `https://${plans[0]?.hostname ?? TFC_HOSTNAME}`;
  const send = httpSender(address, token!);
  const projects = new Map<string, string>();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const log = progress();
  for (const [i, p] of plans.entries()) {
    const r = await applyPlan(p, send, projects);
    counts[r.workspaceAction]++;
    const vars = Object.entries(r.vars)
      .map(([k, a]) => `${k} ${a}`)
      .join(', ');
    log.step(`${i + 1}/${plans.length} ${r.workspace}: ${r.workspaceAction}${vars ? `; ${vars}` : ''}`);
  }
  console.log(
    `${plans.length} workspaces at ${address}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.`,
  );
  log.done(`${plans.length} workspaces checked`);
}

if (require.main === module) {
  main().catch((e) => {
    if (e instanceof MatrixError || e instanceof TfcError) console.error(e instanceof TfcError ? `Error: ${e.message}` : e.message);
    else console.error(e);
    process.exitCode = EXIT.failed;
  });
}
