/**
 * The saved-plan handoff between a wave's plan job and its apply job
 * (deploy-wave --plan-out / --apply): what is applied is what was planned and
 * approved. Layout of a plan directory (the artifact between the two jobs):
 *   wave.json                 { wave, stacks }: the wave and its stacks at plan time
 *   summary.md                the per-stack summaries (also in the job summary)
 *   <stack>/plan.tfplan       the saved plan (`terraform plan -out`; for a Terraform
 *                             Cloud workspace a saved cloud plan, Terraform >= 1.6)
 *   <stack>/cdk.tf.json.sha256  stackHash of the synthesized configuration it was planned from
 *   <stack>/summary.json      adds, changes, destroys, forgets, replaced addresses
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stackHash } from '../../lib/stack-hash';
import { TerraformSession, findTerraform } from '../../lib/terraform';

export const PLAN_FILE = 'plan.tfplan';
export const HASH_FILE = 'cdk.tf.json.sha256';
export const SUMMARY_FILE = 'summary.json';
export const WAVE_FILE = 'wave.json';

export interface PlanSummary {
  stack: string;
  adds: number;
  changes: number;
  destroys: number;
  /** Resources that leave state and stay in AWS (`removed` blocks with destroy = false). */
  forgets: number;
  /** Addresses replaced (delete and create): their IDs and ARNs change. */
  replaced: string[];
  /** Addresses destroyed without a replacement. */
  destroyed: string[];
}

/**
 * Counts as Terraform's own "Plan: N to add, N to change, N to destroy" does (a
 * replacement counts as one add and one destroy), from `terraform show -json`.
 */
/** The part of `terraform show -json` of a saved plan that the summary reads. */
export interface ShowPlanJson {
  resource_changes?: { address: string; change?: { actions?: string[] } }[];
}

export function summarizePlan(stack: string, planJson: ShowPlanJson | undefined): PlanSummary {
  const s: PlanSummary = { stack, adds: 0, changes: 0, destroys: 0, forgets: 0, replaced: [], destroyed: [] };
  for (const r of planJson?.resource_changes ?? []) {
    const a: string[] = r.change?.actions ?? [];
    const creates = a.includes('create');
    const deletes = a.includes('delete');
    if (creates) s.adds++;
    if (deletes) s.destroys++;
    if (a.includes('update')) s.changes++;
    if (a.includes('forget')) s.forgets++;
    if (creates && deletes) s.replaced.push(r.address);
    else if (deletes) s.destroyed.push(r.address);
  }
  return s;
}

export const hasChanges = (s: PlanSummary) => s.adds + s.changes + s.destroys + s.forgets > 0;

/** One Markdown section per stack, for the job summary and the artifact. */
export function summaryMarkdown(wave: string, summaries: PlanSummary[]): string {
  const lines = [`### Saved plans of wave \`${wave}\``, '', '| stack | add | change | destroy | forget |', '|---|---:|---:|---:|---:|'];
  for (const s of summaries) lines.push(`| \`${s.stack}\` | ${s.adds} | ${s.changes} | ${s.destroys} | ${s.forgets} |`);
  for (const s of summaries) {
    if (s.replaced.length) lines.push('', `**${s.stack}** replaces (new IDs and ARNs): ${s.replaced.map((a) => `\`${a}\``).join(', ')}`);
    if (s.destroyed.length) lines.push('', `**${s.stack}** destroys: ${s.destroyed.map((a) => `\`${a}\``).join(', ')}`);
  }
  if (!summaries.length) lines.push('', 'No stacks in this wave.');
  return lines.join('\n') + '\n';
}

/** Writes what the plan job hands to the apply job, next to each saved plan. */
export function writeHandoff(
  dir: string,
  wave: string,
  stacks: string[],
  stackDir: (stack: string) => string,
  summaries: PlanSummary[],
): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const s of summaries) {
    fs.mkdirSync(path.join(dir, s.stack), { recursive: true });
    fs.writeFileSync(path.join(dir, s.stack, HASH_FILE), stackHash(path.join(stackDir(s.stack), 'cdk.tf.json')) + '\n');
    fs.writeFileSync(path.join(dir, s.stack, SUMMARY_FILE), JSON.stringify(s, null, 2) + '\n');
  }
  fs.writeFileSync(path.join(dir, WAVE_FILE), JSON.stringify({ wave, stacks }, null, 2) + '\n');
  const md = summaryMarkdown(wave, summaries);
  fs.writeFileSync(path.join(dir, 'summary.md'), md);
  return md;
}

export interface HandoffCheck {
  /** Stacks whose saved plan may be applied, with their summaries. */
  apply: PlanSummary[];
  /** One line per refused stack: the stack and why. */
  refused: string[];
}

/**
 * Checks a plan directory against the synthesized stacks of the wave now: every
 * stack of the wave has a saved plan, and its synthesized configuration is the one
 * it was planned from (same stackHash); the plan directory is of this wave, and
 * names no stack the wave no longer has.
 */
export function checkHandoff(dir: string, wave: string, stacks: string[], stackDir: (stack: string) => string): HandoffCheck {
  const refused: string[] = [];
  const waveFile = path.join(dir, WAVE_FILE);
  if (!fs.existsSync(waveFile))
    return { apply: [], refused: [`${dir}: not a plan directory (no ${WAVE_FILE}; deploy-wave --plan-out writes it)`] };
  const planned = JSON.parse(fs.readFileSync(waveFile, 'utf8')) as { wave: string; stacks: string[] };
  if (planned.wave !== wave) return { apply: [], refused: [`${dir} holds the plans of wave "${planned.wave}", not "${wave}"`] };
  for (const s of planned.stacks.filter((x) => !stacks.includes(x)))
    refused.push(`${s}: planned, but no longer in wave "${wave}" of the matrix`);
  const apply: PlanSummary[] = [];
  for (const stack of stacks) {
    const saved = path.join(dir, stack);
    if (!fs.existsSync(path.join(saved, PLAN_FILE)) || !fs.existsSync(path.join(saved, HASH_FILE))) {
      refused.push(`${stack}: no saved plan in ${dir} (the stack joined the wave after the plan job)`);
      continue;
    }
    const file = path.join(stackDir(stack), 'cdk.tf.json');
    if (!fs.existsSync(file)) {
      refused.push(`${stack}: not synthesized (${file} is missing): run synth before --apply`);
      continue;
    }
    const was = fs.readFileSync(path.join(saved, HASH_FILE), 'utf8').trim();
    const now = stackHash(file);
    if (was !== now) {
      refused.push(
        `${stack}: its synthesized configuration changed after its plan (planned from sha256 ${was.slice(0, 12)}, now ${now.slice(0, 12)}); plan the wave again and approve that plan`,
      );
      continue;
    }
    apply.push(JSON.parse(fs.readFileSync(path.join(saved, SUMMARY_FILE), 'utf8')));
  }
  return { apply, refused };
}

/** Appends to the GitHub job summary, when the step has one. */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, markdown + '\n');
}

/** Runs a program in a stack directory, its output on ours; throws naming it when it fails. */
function inherit(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed in ${cwd}`);
}

/**
 * Plans each synthesized stack into a saved plan at planFile(stack) (`terraform init`, `terraform plan -out`, whose
 * output goes to ours; offline: dummy credentials and a scratch local state) and summarizes it.
 */
export async function planStacks(
  stacks: string[],
  planFile: (stack: string) => string,
  stackDir: (s: string) => string,
  offline: boolean,
  env: NodeJS.ProcessEnv,
): Promise<PlanSummary[]> {
  for (const s of stacks)
    if (!fs.existsSync(path.join(stackDir(s), 'cdk.tf.json')))
      throw new Error(`${s} is not synthesized (${stackDir(s)}/cdk.tf.json is missing): run synth first`);
  const terraform = findTerraform();
  if (!terraform && stacks.length) throw new Error('terraform is not on the PATH: planning runs terraform plan -out');
  for (const s of stacks) fs.mkdirSync(path.dirname(planFile(s)), { recursive: true });
  const summaries: PlanSummary[] = [];
  if (offline && stacks.length) {
    const session = new TerraformSession(terraform!);
    try {
      await session.warm();
      for (const s of stacks) {
        const p = await session.plan(stackDir(s), { saveTo: planFile(s) });
        summaries.push(summarizePlan(s, p.plan));
      }
    } finally {
      session.dispose();
    }
  } else {
    for (const s of stacks) {
      const cwd = stackDir(s);
      const out = planFile(s);
      inherit(cwd, terraform!, ['init', '-input=false'], env);
      inherit(cwd, terraform!, ['plan', '-input=false', `-out=${out}`], env);
      const show = spawnSync(terraform!, ['show', '-json', out], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (show.status !== 0) throw new Error(`terraform show -json failed for ${s}:\n${show.stderr}`);
      summaries.push(summarizePlan(s, JSON.parse(show.stdout)));
    }
  }
  return summaries;
}
