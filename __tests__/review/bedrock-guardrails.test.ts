/**
 * The plan review on Bedrock guardrail changes (review/rules/bedrock-guardrails.ts),
 * from synthesized trees: the example matrix, where tenant initech uses guardrail
 * "standard" in eu-west-1, against variants. Weakening, removing and deleting are
 * dangerous and show old -> new; strengthening is not. A change of the version
 * callers must send says "callers must send version N": a note while the previous
 * version stays accepted (the overlap), dangerous when a version callers may still
 * send stops being accepted; a guardrail changed under an unchanged revision is
 * dangerous (Terraform refuses the plan).
 */
import type { Matrix } from '../../config/schema';
import { intentsOf, toMarkdown } from '../../review/report';
import { Review, reviewTrees } from '../../review/review';
import { guardrailWeakening } from '../../review/rules/bedrock-guardrails';
import { reviewTrees as synthTrees } from './trees';

const EU = 'bedrock-logging-111111111111-eu-west-1';
const { tree, clone } = synthTrees('bedrock-guardrail-review-');
const BASE = tree(clone());
/** A guardrail of the matrix. */
type Guardrail = NonNullable<Matrix['bedrockGuardrails']>[number];
const standard = (m: Matrix): Guardrail => m.bedrockGuardrails![0];
const initech = (m: Matrix) => m.tenants!.find((t) => t.id === 'initech')!;

function variant(change: (m: Matrix) => void, base = BASE): Review {
  const m = clone();
  change(m);
  return reviewTrees(base, tree(m));
}
/** A change of the guardrail published as its next revision, as the matrix asks. */
const revised = (change: (g: Guardrail) => void) => (m: Matrix) => {
  change(standard(m));
  standard(m).revision = (standard(m).revision ?? 1) + 1;
};
/** "<address>: <note>" of every note. */
const notes = (r: Review) => r.stacks.flatMap((s) => s.changes.flatMap((c) => (c.notes ?? []).map((n) => `${c.address}: ${n}`)));
const SEND_R2 =
  'tenant "initech": callers must send version N = revision 2 of guardrail "standard" (published by this apply; N is in output tenant_guardrails["initech"].version)';
/** "<action> <address>: <reason>" of every dangerous change. */
const dangerous = (r: Review) =>
  r.stacks.flatMap((s) => s.changes.filter((c) => c.dangerous).map((c) => `${c.action} ${c.address}: ${c.reason}`));
const changes = (r: Review) => r.stacks.find((s) => s.name === EU)!.changes;

describe('weakening a guardrail is dangerous, with old -> new', () => {
  test.each<[string, (g: Guardrail) => void, string[]]>([
    [
      'a filter strength lowered',
      (g) => (g.contentFilters!.violence = 'LOW'),
      ['content filter VIOLENCE input strength MEDIUM -> LOW', 'content filter VIOLENCE output strength MEDIUM -> LOW'],
    ],
    [
      'a filter switched off',
      (g) => (g.contentFilters!.promptAttack = 'NONE'),
      ['content filter PROMPT_ATTACK input strength HIGH -> removed (NONE)'],
    ],
    [
      'PII from BLOCK to ANONYMIZE',
      (g) => (g.pii!.US_SOCIAL_SECURITY_NUMBER = 'ANONYMIZE'),
      ['PII US_SOCIAL_SECURITY_NUMBER BLOCK -> ANONYMIZE'],
    ],
    ['PII removed', (g) => delete g.pii!.EMAIL, ['PII EMAIL ANONYMIZE -> removed']],
    ['a denied topic removed', (g) => delete g.deniedTopics, ['denied topic "investment-advice" -> removed']],
    ['grounding lowered', (g) => (g.grounding!.grounding = 0.5), ['contextual grounding GROUNDING threshold 0.75 -> 0.5']],
    ['relevance removed', (g) => delete g.grounding!.relevance, ['contextual grounding RELEVANCE threshold 0.75 -> removed']],
    ['the profanity list removed', (g) => (g.wordFilters!.managed = []), ['managed word list PROFANITY -> removed']],
  ])('%s', (_what, change, expected) => {
    const r = variant(revised(change));
    expect(dangerous(r)).toEqual([
      `update aws_bedrock_guardrail.guardrail_standard: guardrail "standard" weakened: ${expected.join('; ')}`,
    ]);
    // The new revision publishes a new version and keeps the previous one (the overlap): not itself dangerous.
    expect(changes(r)).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_guardrail_version.guardrail_standard_r2', action: 'create', dangerous: false }),
    );
    expect(changes(r).map((c) => c.address)).not.toContain('aws_bedrock_guardrail_version.guardrail_standard');
  });

  test('removing the guardrail from a tenant: its policy stops enforcing it, and the unused guardrail is deleted', () => {
    const r = variant((m) => delete initech(m).guardrail);
    expect(dangerous(r)).toEqual([
      'delete aws_bedrock_guardrail.guardrail_standard: guardrail "standard" deleted: its tenants\' requests are no longer filtered by it',
      'update aws_iam_policy.invoke_initech: tenant policy no longer enforces a guardrail: guardrail "standard" -> none (the tenant may invoke without one)',
    ]);
  });

  test('deleting a guardrail (its only tenant moved to another one) and switching a tenant to a weaker guardrail', () => {
    const r = variant((m) => {
      m.bedrockGuardrails!.push({ name: 'lenient', contentFilters: { hate: 'LOW' }, blockedMessage: 'No.' });
      initech(m).guardrail = 'lenient';
    });
    const found = dangerous(r);
    expect(found).toContain(
      'delete aws_bedrock_guardrail.guardrail_standard: guardrail "standard" deleted: its tenants\' requests are no longer filtered by it',
    );
    const policy = found.find((f) => f.startsWith('update aws_iam_policy.invoke_initech'))!;
    expect(policy).toContain('tenant policy switches to a weaker guardrail: "standard" -> "lenient"');
    expect(policy).toContain('content filter HATE input strength HIGH -> LOW');
    expect(policy).toContain('PII US_SOCIAL_SECURITY_NUMBER BLOCK -> removed');
  });
});

describe('version changes: "callers must send version N"', () => {
  const stronger = (g: Guardrail) => (g.contentFilters!.violence = 'HIGH');

  test('a changed guardrail under an unchanged revision is dangerous: Terraform refuses the plan, and the review says what to set', () => {
    const r = variant((m) => stronger(standard(m)));
    expect(dangerous(r)).toEqual([
      'update aws_bedrock_guardrail.guardrail_standard: guardrail "standard" changed under its revision 1: Terraform refuses the plan (the postcondition of aws_bedrock_guardrail_version.guardrail_standard), because revision 1 was published from the previous configuration; set its revision to 2 (bedrockGuardrails[].revision) to publish the change as a new version',
    ]);
    expect(r.groups.map((g) => g.cause)).toEqual(['guardrail-version']);
    // Terraform ignores the version's description (ignore_changes): no replacement, no deletion of what callers send.
    expect(changes(r).map((c) => c.address)).toEqual(['aws_bedrock_guardrail.guardrail_standard']);
  });

  test('a new revision: a note, callers must send version N of the new revision; the previous one stays accepted', () => {
    const r = variant(revised(stronger));
    expect(r.dangerous).toBe(0);
    expect(notes(r)).toEqual([
      `aws_iam_policy.invoke_initech: ${SEND_R2}; the version of revision 1 of guardrail "standard", which they send now, stays accepted until a later apply removes it`,
    ]);
    const md = toMarkdown(r);
    expect(md).toContain('### Notes');
    expect(md).toContain(`- \`aws_iam_policy.invoke_initech\`: ${SEND_R2}`);
    expect(md).toContain(`  - note: ${SEND_R2}`);
  });

  test('the next revision ends the overlap: the version of revision 1 is deleted and no longer accepted, which is dangerous', () => {
    const m2 = clone();
    revised(stronger)(m2);
    const r = variant((m) => {
      revised(stronger)(m);
      revised((g) => (g.contentFilters!.misconduct = 'HIGH'))(m);
    }, tree(m2));
    expect(dangerous(r)).toEqual([
      'update aws_iam_policy.invoke_initech: tenant "initech": callers must send version N = revision 3 of guardrail "standard" (published by this apply; N is in output tenant_guardrails["initech"].version): the version of revision 1 of guardrail "standard" is no longer accepted, and callers still sending it are denied from this apply on',
    ]);
    expect(changes(r)).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_guardrail_version.guardrail_standard', action: 'delete' }),
    );
    expect(changes(r)).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_guardrail_version.guardrail_standard_r3', action: 'create' }),
    );
    expect(changes(r).map((c) => c.address)).not.toContain('aws_bedrock_guardrail_version.guardrail_standard_r2');
  });

  test('without the overlap (overlap: false) a new revision is a hard cutover, which is dangerous', () => {
    const r = variant((m) => {
      revised(stronger)(m);
      standard(m).overlap = false;
    });
    expect(dangerous(r)).toEqual([
      `update aws_iam_policy.invoke_initech: ${SEND_R2}: the version of revision 1 of guardrail "standard" is no longer accepted, and callers still sending it are denied from this apply on`,
    ]);
  });

  test('ending the overlap early (overlap: false at the same revision): callers must send the version already published', () => {
    const m2 = clone();
    revised(stronger)(m2);
    const r = variant((m) => {
      revised(stronger)(m);
      standard(m).overlap = false;
    }, tree(m2));
    expect(dangerous(r)).toEqual([
      'update aws_iam_policy.invoke_initech: tenant "initech": callers must send version N = revision 2 of guardrail "standard" (already published; N is in output tenant_guardrails["initech"].version): the version of revision 1 of guardrail "standard" is no longer accepted, and callers still sending it are denied from this apply on',
    ]);
  });

  test('the same change with different notes in two stacks stays two lines: one line per intent keeps every note', () => {
    const r = variant(revised(stronger));
    const policy = r.stacks.flatMap((s) => s.changes).find((c) => c.address === 'aws_iam_policy.invoke_initech')!;
    const other = { ...policy, notes: [policy.notes![0].replace('revision 2', 'revision 7')] };
    const twice: Review = {
      ...r,
      stacks: [...r.stacks, { name: 'bedrock-logging-222222222222-eu-west-1', status: 'changed', changes: [other] }],
    };
    expect(intentsOf(twice).filter((i) => i.change.address === 'aws_iam_policy.invoke_initech')).toHaveLength(2);
    expect(toMarkdown(twice)).toContain('revision 7');
  });

  test('the same matrix, and a revision with a wider overlap, change nothing callers send', () => {
    expect(reviewTrees(BASE, tree(clone())).stacks.every((s) => s.status === 'unchanged')).toBe(true);
    const r = variant((m) => (standard(m).overlap = { previousVersions: 3 }));
    expect(r.stacks.every((s) => s.status === 'unchanged')).toBe(true);
  });
});

describe('strengthening is not dangerous', () => {
  test('higher strengths, ANONYMIZE -> BLOCK, more PII, a new topic, higher thresholds, more words', () => {
    const r = variant(
      revised((g) => {
        g.contentFilters!.violence = 'HIGH';
        g.pii!.EMAIL = 'BLOCK';
        g.pii!.PHONE = 'ANONYMIZE';
        g.deniedTopics!.push({ name: 'medical-advice', definition: 'Diagnoses or treatment recommendations for a person.' });
        g.grounding = { grounding: 0.85, relevance: 0.9 };
        g.wordFilters!.words = ['acme-internal'];
      }),
    );
    expect(r.dangerous).toBe(0);
    expect(changes(r)).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_guardrail.guardrail_standard', action: 'update', dangerous: false }),
    );
    expect(changes(r)).toContainEqual(
      expect.objectContaining({ address: 'aws_bedrock_guardrail_version.guardrail_standard_r2', action: 'create', dangerous: false }),
    );
  });

  test('a new guardrail on a tenant that had none is not dangerous; its callers must now send it', () => {
    const r = variant((m) => (m.tenants!.find((t) => t.id === 'acme')!.guardrail = 'standard'));
    expect(r.dangerous).toBe(0);
    expect(notes(r)).toContain(
      'aws_iam_policy.invoke_acme: tenant "acme": callers must send version N = revision 1 of guardrail "standard" (published by this apply; N is in output tenant_guardrails["acme"].version) from this apply on; requests without it are denied',
    );
  });

  test('a new tenant with a guardrail: its callers must send it from the first apply (a note, not dangerous)', () => {
    const r = variant((m) => m.tenants!.push({ id: 'hooli', models: initech(m).models, guardrail: 'standard' }));
    expect(r.dangerous).toBe(0);
    expect(notes(r)).toContain(
      'aws_iam_policy.invoke_hooli: tenant "hooli": callers must send version N = revision 1 of guardrail "standard" (published by this apply; N is in output tenant_guardrails["hooli"].version) from this apply on; requests without it are denied',
    );
  });

  test('the comparison itself: identical guardrails and stronger ones give nothing', () => {
    const body = {
      content_policy_config: [{ filters_config: [{ type: 'HATE', input_strength: 'LOW', output_strength: 'LOW' }] }],
      sensitive_information_policy_config: [{ pii_entities_config: [{ type: 'EMAIL', action: 'ANONYMIZE' }] }],
    };
    expect(guardrailWeakening(body, body)).toEqual([]);
    const stronger = {
      content_policy_config: [{ filters_config: [{ type: 'HATE', input_strength: 'HIGH', output_strength: 'MEDIUM' }] }],
      sensitive_information_policy_config: [{ pii_entities_config: [{ type: 'EMAIL', action: 'BLOCK' }] }],
    };
    expect(guardrailWeakening(body, stronger)).toEqual([]);
    expect(guardrailWeakening(stronger, body)).toEqual([
      'content filter HATE input strength HIGH -> LOW',
      'content filter HATE output strength MEDIUM -> LOW',
      'PII EMAIL BLOCK -> ANONYMIZE',
    ]);
  });
});

describe('one line per intent (issue 25, item 3)', () => {
  test('PII entities are compared as a set by type: removing one reads as that entity removed, not as the next one changing', () => {
    const r = variant((m) => delete standard(m).pii!.EMAIL);
    const guardrail = changes(r).find((c) => c.address === 'aws_bedrock_guardrail.guardrail_standard')!;
    const paths = guardrail.values!.map((v) => `${v.path}: ${v.old} -> ${v.new}`);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(/^sensitive_information_policy_config(\[0\])?\.pii_entities_config\[type=EMAIL\]: \{.*\} -> \(none\)$/);
    expect(paths.join('\n')).not.toContain('US_SOCIAL_SECURITY_NUMBER');
  });

  test('denied topics by name and blocked words by text, as sets', () => {
    const r = variant(
      revised((g) => (g.deniedTopics = [{ name: 'legal-advice', definition: 'Advice about legal matters.' }, ...g.deniedTopics!])),
    );
    const guardrail = changes(r).find((c) => c.address === 'aws_bedrock_guardrail.guardrail_standard')!;
    expect(guardrail.values!.map((v) => v.path)).toEqual([expect.stringMatching(/topics_config\[name=legal-advice\]$/)]);
    expect(guardrail.dangerous).toBe(false);
  });

  test('a weakened guardrail is one line with the changed settings as a short list, once in the report', () => {
    const r = variant(
      revised((g) => {
        g.contentFilters!.violence = 'LOW';
        g.grounding!.grounding = 0.5;
      }),
    );
    expect(dangerous(r)).toEqual([
      'update aws_bedrock_guardrail.guardrail_standard: guardrail "standard" weakened: content filter VIOLENCE input strength MEDIUM -> LOW; content filter VIOLENCE output strength MEDIUM -> LOW; contextual grounding GROUNDING threshold 0.75 -> 0.5',
    ]);
    const md = toMarkdown(r);
    expect(md.match(/guardrail "standard" weakened/g)).toHaveLength(2); // the cause list and the intent list, once each
  });
});
