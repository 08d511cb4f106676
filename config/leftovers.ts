/**
 * What is left of stacks that are no longer in the matrix, and the decommission
 * file a pull request edits. The parts that need the cloud or git are kept apart:
 *
 * - existingCommand: the one command that lists what exists (Terraform Cloud
 *   workspaces through `tfc-workspaces --list`, or the state objects of the S3
 *   bucket through the AWS CLI), one name a line;
 * - orphans: from that list and the matrix, offline, the workspaces and state
 *   keys that the template of deployment.backend owns but no stack of the matrix
 *   has;
 * - parseDecommissionFile and addedEntries: the stacks a decommission file names,
 *   and those a change added, with line numbers for the messages.
 */
import type { Backend } from './deployment';
import { DEFAULT_STATE_KEY_TEMPLATE, DEFAULT_WORKSPACE_TEMPLATE } from './deployment';
import type { AppConfig, ResolvedBackend } from './model';

/** The file of the landing-zone repository that names the stacks to decommission, one a line. */
export const DECOMMISSION_FILE = 'decommission.txt';

/** The template that names a stack's workspace or state key, and what kind of name it makes. */
export function stateTemplate(backend: Backend | undefined): { kind: 'workspace' | 'state key'; template: string } | undefined {
  if (backend?.type === 'tfc') return { kind: 'workspace', template: backend.workspaceTemplate ?? DEFAULT_WORKSPACE_TEMPLATE };
  if (backend?.type === 's3') return { kind: 'state key', template: backend.keyTemplate ?? DEFAULT_STATE_KEY_TEMPLATE };
  return undefined;
}

/** The fixed text before the template's first placeholder: what every name the template makes starts with. */
export const templatePrefix = (template: string) => template.split('{')[0];

/**
 * A regular expression matching exactly the names the template makes, with the stack name captured when the
 * template has {stack}. Stack names are "bedrock-" and lower-case letters, digits and dashes (stacks/outdir.ts).
 */
export function templatePattern(template: string): RegExp {
  let re = '';
  for (const part of template.split(/(\{\w+\})/)) {
    if (part === '{stack}') re += '(?<stack>bedrock-[a-z0-9-]+)';
    else if (/^\{\w+\}$/.test(part)) re += '[^/]+?';
    else re += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The one command that lists, one name a line, the workspaces (Terraform Cloud) or state keys (S3) that may belong
 * to this tool: those starting with the fixed prefix of the template. Undefined for a local backend.
 */
export function existingCommand(backend: Backend | undefined, cli = 'npx bedrock-governance'): string | undefined {
  const t = stateTemplate(backend);
  if (!t || !backend) return undefined;
  if (backend.type === 'tfc') return `${cli} tfc-workspaces --list`;
  if (backend.type !== 's3') return undefined;
  // --output text prints the keys of a page separated by tabs, "None" when there are none; the CLI pages on its own.
  return `aws s3api list-objects-v2 --bucket ${quote(backend.bucket)} --region ${quote(backend.region)} --prefix ${quote(templatePrefix(t.template))} --query 'Contents[].Key' --output text | tr '\\t' '\\n'`;
}

/** The workspace or state key of every stack of the matrix. */
export function matrixStateNames(config: AppConfig): Set<string> {
  const backends: ResolvedBackend[] = [
    ...config.bootstraps.map((b) => b.backend),
    ...config.monitoring.map((m) => m.backend),
    ...config.stacks.map((s) => s.backend),
    ...(config.management ? [config.management.backend] : []),
  ];
  return new Set(backends.flatMap((b) => (b.type === 'tfc' ? [b.workspace] : b.type === 's3' ? [b.key] : [])));
}

export interface Orphan {
  /** The workspace name or state key. */
  name: string;
  /** The stack it belonged to, when the template has {stack}. */
  stack?: string;
}

/**
 * The names of `existing` (workspaces or state keys, as existingCommand lists them) that the backend's template
 * makes but no stack of the matrix has: stacks with state and no place in the matrix. Names the template does not
 * make (other tools' workspaces, other state in the bucket) are not ours and are left out.
 */
export function orphans(config: AppConfig, existing: readonly string[]): Orphan[] {
  const t = stateTemplate(config.deployment.backendSpec);
  if (!t) return [];
  const pattern = templatePattern(t.template);
  const now = matrixStateNames(config);
  const seen = new Set<string>();
  const out: Orphan[] = [];
  for (const raw of existing) {
    const name = raw.trim();
    if (!name || seen.has(name) || now.has(name)) continue;
    seen.add(name);
    const m = pattern.exec(name);
    if (m) out.push({ name, ...(m.groups?.stack ? { stack: m.groups.stack } : {}) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One entry of a decommission file. */
export interface DecommissionEntry {
  stack: string;
  line: number;
}

/**
 * The stacks a decommission file names: one stack name a line; blank lines and everything after a # are ignored.
 * Problems (a line with more than a name, a name that is no stack name, a stack twice) are returned with the line.
 */
export function parseDecommissionFile(text: string, file = DECOMMISSION_FILE): { entries: DecommissionEntry[]; problems: string[] } {
  const entries: DecommissionEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/#.*/, '').trim();
    const first = entries.find((e) => e.stack === body);
    if (!body) return;
    else if (/\s/.test(body))
      problems.push(`${file} line ${line}: "${body}": one stack name a line, e.g. bedrock-logging-111111111111-eu-west-1`);
    else if (!/^bedrock-[a-z0-9-]+$/.test(body))
      problems.push(
        `${file} line ${line}: "${body}" is no stack name (stack names start with bedrock-, e.g. bedrock-logging-111111111111-eu-west-1)`,
      );
    else if (first) problems.push(`${file} line ${line}: ${body} is named twice (first on line ${first.line})`);
    else entries.push({ stack: body, line });
  });
  return { entries, problems };
}

/** The entries of `now` that `before` (the file at an earlier commit, undefined when it had none) did not have. */
export function addedEntries(now: readonly DecommissionEntry[], before: string | undefined): DecommissionEntry[] {
  if (before === undefined) return [...now];
  const had = new Set(parseDecommissionFile(before).entries.map((e) => e.stack));
  return now.filter((e) => !had.has(e.stack));
}
