import { ENDPOINT_OUTPUT, endpointDnsName } from './network/private-endpoints';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import type { AppConfig } from '../config/model';
import { ROUTING_TABLE, stackNames, staging, swapIn } from './outdir';
import { BootstrapStack } from './bootstrap-stack';
import { LoggingStack } from './logging-stack';
import { ManagementStack } from './management-stack';
import { MonitoringStack } from './monitoring-stack';
import { TENANT_GUARDRAILS_OUTPUT } from '../config/naming';
import { routeKey } from './tenancy/inference-profiles';
import { withoutTokenStackTraces } from '../synth/trace';
import { toolLabel } from '../config/package-info';

/** Adds every stack of the resolved matrix to the app. */
export function addStacks(app: App, config: AppConfig): void {
  for (const b of config.bootstraps) new BootstrapStack(app, b);
  for (const m of config.monitoring) new MonitoringStack(app, m);
  for (const stack of config.stacks) new LoggingStack(app, stack);
  if (config.management) new ManagementStack(app, config.management);
}

/** Where a value of a stack output is: `terraform output -json <output>`, then [key][attribute]. */
const outputValue = (output: string, key: string, attribute: string) => ({ output, key, attribute });

/**
 * The routing table application teams read to find their profile: for each tenant
 * and model, where its profile lives and which Terraform output holds its ARN
 * (ARNs carry an ID that exists only after apply); for a tenant behind a Bedrock
 * guardrail, the guardrail and where its ARN and the version to send are (the
 * version number, too, exists only after apply). Tenants without one have null there.
 */
export function routingTable(config: AppConfig) {
  return {
    description:
      'Application inference profiles per tenant and model. The ARN is in the stack output inference_profile_arns[key]: cdktf output <stack>, or terraform output -json inference_profile_arns. ' +
      `A tenant behind a Bedrock guardrail must send its ARN and version with every request (guardrailIdentifier and guardrailVersion): guardrailArn and guardrailVersion say where they are, ${TENANT_GUARDRAILS_OUTPUT}[key].arn and .version; the version changes with each revision of the guardrail.`,
    profiles: config.stacks.flatMap((s) =>
      s.profiles.map((p) => {
        const guardrail = s.tenantPolicies.find((tp) => tp.tenant === p.tenant)?.guardrail ?? null;
        return {
          tenant: p.tenant,
          model: p.model,
          accountId: s.accountId,
          region: s.region,
          environment: s.environment,
          stack: s.stackName,
          profileName: p.name,
          modelSource: p.copyFrom,
          output: 'inference_profile_arns',
          key: routeKey(p.tenant, p.model),
          guardrail,
          guardrailArn: guardrail ? outputValue(TENANT_GUARDRAILS_OUTPUT, p.tenant, 'arn') : null,
          guardrailVersion: guardrail ? outputValue(TENANT_GUARDRAILS_OUTPUT, p.tenant, 'version') : null,
        };
      }),
    ),
    // network: the Bedrock interface endpoints per stack. With private DNS, clients in the VPC keep the service's
    // own name, which resolves to the endpoint; the endpoint-specific names are in the stack output.
    ...(config.stacks.some((s) => s.network)
      ? {
          endpoints: config.stacks.flatMap((s) =>
            s.network
              ? [
                  {
                    accountId: s.accountId,
                    region: s.region,
                    stack: s.stackName,
                    vpcId: s.network.vpcId,
                    services: s.network.services.map((service) => ({
                      service,
                      privateDnsName: endpointDnsName(service, s.region),
                      output: ENDPOINT_OUTPUT,
                      key: service,
                    })),
                  },
                ]
              : [],
          ),
        }
      : {}),
    // The tool version that wrote this output: the plan review names each side's (an upgrade shows A -> B).
    generatedBy: toolLabel(),
  };
}

/** Builds the app of `config` and synthesizes it into `outdir`. */
export function synthApp(config: AppConfig, outdir: string): void {
  withoutTokenStackTraces(() => {
    const app = new App({ outdir });
    addStacks(app, config);
    app.synth();
  });
}

/** Adds the routing table and swaps the finished staging directory in for `target`, keeping each stack's Terraform working files (swapIn). */
export function publish(config: AppConfig, dir: string, target: string): void {
  fs.writeFileSync(path.join(dir, ROUTING_TABLE), JSON.stringify(routingTable(config), null, 2) + '\n');
  swapIn(dir, target);
}

/**
 * Synthesizes into a staging directory next to `outdir` and swaps it in only when
 * the whole synth succeeded, so a failed run leaves the previous output as it was.
 * Terraform state is not in `outdir` (cdktf's local backend keeps it in the
 * working directory), so the swap never touches state.
 */
export function synthesize(config: AppConfig, outdir: string): string[] {
  const { target, dir } = staging(outdir);
  try {
    synthApp(config, dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  publish(config, dir, target);
  return stackNames(config);
}
