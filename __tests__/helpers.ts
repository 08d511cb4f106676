import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { validateMatrix } from '../config/load';
import type { AppConfig, StackConfig } from '../config/model';
import type { Matrix } from '../config/schema';
import { GovernanceStack } from '../stacks/base';
import { LoggingStack } from '../stacks/logging-stack';
import { resourcesOf, type PolicyDocument, type TerraformBody, type TerraformConfig } from '../review/terraform-json';

/** Every file below `dir`, by path relative to it, with its text: to compare two synth outputs. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .forEach((e) =>
        e.isDirectory()
          ? walk(path.join(d, e.name))
          : (out[path.relative(dir, path.join(d, e.name))] = fs.readFileSync(path.join(d, e.name), 'utf8')),
      );
  walk(dir);
  return out;
}

/** Fixed fake account IDs, as in the example matrix. */
export const PROD = '111111111111';
export const DEV = '222222222222';

/** The smallest valid matrix: one account in one region, everything else defaulted. */
export function minimalMatrix(over: Partial<Matrix> = {}): Matrix {
  return { accounts: [{ id: PROD, regions: ['us-east-1'] }], ...over };
}

export function resolveMatrix(m: unknown): AppConfig {
  return validateMatrix(m, 'test matrix');
}

/** The MatrixIssues a bad matrix produces, as "path: allowed" lines, or [] when it is valid. */
export function problems(m: unknown): { path: string; value?: unknown; allowed: string }[] {
  try {
    validateMatrix(m, 'test matrix');
    return [];
  } catch (e) {
    const issues = (e as { issues?: { path: string; value?: unknown; allowed: string }[] }).issues;
    if (!issues) throw e;
    return issues;
  }
}

/** A synthesized stack with small accessors; resource() fails naming what exists, so a typo never passes as `undefined`. */
export interface Synthesized {
  json: string;
  tf: TerraformConfig;
  resources(type: string): Record<string, TerraformBody>;
  resource(type: string, name: string): TerraformBody;
  policy(type: string, name: string, field?: string): PolicyDocument;
}

/**
 * Synthesizes any stack of this app (GovernanceStack: logging, management, bootstrap)
 * in memory, with no cast. `validate` runs cdktf's validations, the IaC rules among them.
 */
export function template(stack: GovernanceStack, { validate = false } = {}): Synthesized {
  const json = Testing.synth(stack, validate);
  // cdk.tf.json as Testing.synth writes it.
  const tf = JSON.parse(json) as TerraformConfig;
  const resources = (type: string) => resourcesOf(tf, type);
  return {
    json,
    tf,
    resources,
    resource: (type, name) => {
      const r = resources(type)[name];
      if (!r) throw new Error(`no ${type}.${name} in ${Object.keys(resources(type)).join(', ') || 'nothing'}`);
      return r;
    },
    policy(type, name, field = 'policy') {
      // A policy document field holds the document as a JSON string.
      return JSON.parse(String(this.resource(type, name)[field])) as PolicyDocument;
    },
  };
}

/** Every stack of an app (as addStacks() builds it), by stack name. */
export function templates(app: App, options?: { validate?: boolean }): Record<string, Synthesized> {
  const stacks = app.node.children.filter((c): c is GovernanceStack => c instanceof GovernanceStack);
  if (stacks.length !== app.node.children.length) throw new Error('templates(): the app holds a construct that is not a GovernanceStack');
  return Object.fromEntries(stacks.map((s) => [s.node.id, template(s, options)]));
}

/** Synthesizes one logging stack in memory and returns its JSON with small accessors. */
export function synth(stack: StackConfig): Synthesized {
  return template(new LoggingStack(Testing.app(), stack));
}

/** Synthesizes the first stack of a matrix. */
export function synthMatrix(m: Matrix): Synthesized {
  return synth(resolveMatrix(m).stacks[0]);
}
