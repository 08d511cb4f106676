/**
 * For `*.terraform.test.ts`: a version-4 Terraform state of managed AWS resources, as an earlier apply would have
 * left it, and the synth-then-plan setup several suites share.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AppConfig } from '../config/model';
import { StackPlan, TerraformSession } from '../lib/terraform';
import { synthesize } from '../stacks/app';

export const AWS_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

export interface StateResource {
  type: string;
  name: string;
  attributes: object;
  /** Write `sensitive_attributes: []` in the instance, as Terraform does for some resource types. */
  sensitiveAttributes?: boolean;
}

export function awsState(lineage: string, resources: StateResource[]) {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage,
    outputs: {},
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: AWS_PROVIDER,
      instances: [{ schema_version: 0, attributes: r.attributes, ...(r.sensitiveAttributes ? { sensitive_attributes: [] } : {}) }],
    })),
  };
}

/** What plannedMatrix() holds for the tests of its block, set before they run. */
export interface PlannedMatrix {
  session: TerraformSession;
  outdir: string;
  /** The offline plans of the stacks named, in their order. */
  plans: StackPlan[];
}

/**
 * For a describe block of the Terraform tier: before its tests, synthesizes `config` into a scratch directory
 * and plans `stacks` there offline in one session; after them, disposes of both. Read the fields in tests.
 */
export function plannedMatrix(terraform: string, config: AppConfig, stacks: string[], prefix: string): PlannedMatrix {
  const ctx = {} as PlannedMatrix;
  beforeAll(async () => {
    ctx.session = new TerraformSession(terraform);
    ctx.outdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    synthesize(config, ctx.outdir);
    ctx.plans = await ctx.session.planDirs(stacks.map((s) => path.join(ctx.outdir, 'stacks', s)));
  });
  afterAll(() => {
    ctx.session?.dispose();
    if (ctx.outdir) fs.rmSync(ctx.outdir, { recursive: true, force: true });
  });
  return ctx;
}

/** The processes whose parent is `pid` (Linux /proc), with their command lines. */
export function childProcesses(pid: number): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${e}/status`, 'utf8'))?.[1]) === pid)
        out.push({ pid: Number(e), cmd: fs.readFileSync(`/proc/${e}/cmdline`, 'utf8') });
    } catch {
      /* the process ended */
    }
  }
  return out;
}
