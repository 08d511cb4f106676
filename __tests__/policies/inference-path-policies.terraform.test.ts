/**
 * Real Terraform (provider 5.100 from the local mirror, offline): the management stack with
 * organizationPolicies.loggedInferenceOnly and organizationPolicies.apiKeys, and the logging stack of an account
 * allowed bedrock-mantle (with its unlogged-traffic dashboard and alarm), validate and plan.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { requireTerraform } from '../../lib/terraform';
import { plannedMatrix } from '../terraform-state';
import { DEV, PROD, resolveMatrix } from '../helpers';
import { at } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const MGMT = '999999999999';
const OU = 'ou-abcd-11111111';
const ALLOWED = `bedrock-logging-${PROD}-us-east-1`;
const DENIED = `bedrock-logging-${DEV}-us-east-1`;
const MANAGEMENT = `bedrock-management-${MGMT}`;
const matrix: Matrix = {
  managementAccountId: MGMT,
  organizationPolicies: {
    loggedInferenceOnly: {
      targetIds: [OU, 'r-ab12'],
      allowMantle: [{ accounts: ['genai-prod'], roleArns: ['arn:aws:iam::*:role/Chatbot'], models: ['gpt-oss'] }],
    },
    apiKeys: { targetIds: [OU], shortTerm: 'deny' },
  },
  accounts: [
    { id: PROD, name: 'genai-prod', regions: ['us-east-1'] },
    { id: DEV, name: 'genai-dev', regions: ['us-east-1'] },
  ],
  models: [{ alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: 'openai.gpt-oss-120b' }],
  analytics: { athena: false, alarms: { emails: ['ops@example.com'] } },
};

maybe('terraform validate and offline plan with the inference-path SCPs and the unlogged-traffic monitoring', () => {
  const setup = plannedMatrix(terraform!, resolveMatrix(matrix), [ALLOWED, DENIED, MANAGEMENT], 'bedrock-mantle-');
  const plan = (stack: string) => setup.plans.find((p) => p.stack === stack)!;
  const after = (stack: string, address: string) => plan(stack).changes.find((c) => c.address === address)?.after;

  test('the management stack plans both SCPs, as synthesized and within 5,120 characters, attached to their targets', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(setup.outdir, 'stacks', MANAGEMENT, 'cdk.tf.json'), 'utf8'));
    for (const name of ['logged_inference_only', 'bedrock_api_keys']) {
      const planned = after(MANAGEMENT, `aws_organizations_policy.${name}`);
      expect([name, at(planned, 'type')]).toEqual([name, 'SERVICE_CONTROL_POLICY']);
      expect(JSON.parse(at(planned, 'content') as string)).toEqual(JSON.parse(tf.resource.aws_organizations_policy[name].content));
      expect(String(at(planned, 'content')).length).toBeLessThanOrEqual(5120);
    }
    const attachments = plan(MANAGEMENT)
      .changes.filter((c) => c.type === 'aws_organizations_policy_attachment')
      .map((c) => c.address.split('.')[1])
      .sort();
    expect(attachments).toEqual([
      'bedrock_api_keys_ou_abcd_11111111',
      'logged_inference_only_ou_abcd_11111111',
      'logged_inference_only_r_ab12',
    ]);
  });

  test('the allowed account plans the unlogged-traffic dashboard and alarm; the denied one neither', () => {
    expect(after(ALLOWED, 'aws_cloudwatch_metric_alarm.unlogged_mantle_inferences')).toMatchObject({
      alarm_name: 'bedrock-unlogged-mantle-inferences-us-east-1',
      namespace: 'AWS/BedrockMantle',
      metric_name: 'Inferences',
      threshold: 0,
    });
    expect(after(ALLOWED, 'aws_cloudwatch_dashboard.unlogged_traffic')).toMatchObject({
      dashboard_name: 'bedrock-usage-unlogged-us-east-1',
    });
    expect(after(DENIED, 'aws_cloudwatch_metric_alarm.unlogged_mantle_inferences')).toBeUndefined();
    expect(after(DENIED, 'aws_cloudwatch_dashboard.unlogged_traffic')).toBeUndefined();
    for (const p of setup.plans)
      for (const c of p.changes) expect([p.stack, c.address, c.actions]).toEqual([p.stack, c.address, ['create']]);
  });
});
