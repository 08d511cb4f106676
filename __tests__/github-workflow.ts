/** A GitHub Actions workflow (parsed YAML), with the fields the workflow tests read; a field a test needs and the file lacks fails that test. */
export interface Step {
  id: string;
  name: string;
  uses: string;
  run: string;
  if: string;
  with: Record<string, string>;
  env: Record<string, string>;
}
export interface Job {
  /** Absent on a job that calls a reusable workflow. */
  steps: Step[];
  needs: string | string[];
  if: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  permissions: Record<string, string>;
  strategy: { matrix: Record<string, unknown> };
  uses: string;
  with: Record<string, unknown>;
  secrets: unknown;
  environment: unknown;
}
export interface Workflow {
  jobs: Record<string, Job>;
  env?: Record<string, string>;
  on?: Record<string, unknown>;
  concurrency?: unknown;
  permissions?: Record<string, string>;
}
