/**
 * The review as JSON (everything, for tools) and as a Markdown PR comment that
 * fits one GitHub comment: the verdict, the sides, the dangerous changes grouped
 * by cause (count and stacks), then collapsed per-stack details with every
 * changed attribute as old -> new. What does not fit stays in review.json, and
 * the comment says so.
 */
import type { Action, Change } from './diff';
import { costMarkdown } from './cost';
import { LEAVES_TEXT, Review, StackReview } from './review';

/** GitHub's limit for one comment body. */
export const MAX_MARKDOWN = 65_536;
const SYMBOL: Record<Action, string> = {
  create: '+',
  adopt: '<=',
  update: '~',
  replace: '-/+',
  delete: '-',
  forget: '.',
  unclassified: '?',
};
const ACTIONS: Action[] = ['create', 'adopt', 'update', 'replace', 'delete', 'forget', 'unclassified'];
const MAX_STACK_NAMES = 10;
const MAX_VALUES = 20;

export function toJson(review: Review): string {
  return JSON.stringify(review, null, 2) + '\n';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const names = (stacks: string[]) =>
  stacks.slice(0, MAX_STACK_NAMES).map(code).join(', ') +
  (stacks.length > MAX_STACK_NAMES ? ` and ${stacks.length - MAX_STACK_NAMES} more` : '');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same change (action, address, reason, values and notes) in any number of stacks is one intent. */
export interface Intent {
  change: Change;
  stacks: string[];
}

const intentKey = (c: Change) =>
  JSON.stringify([c.dangerous, Boolean(c.accepted), Boolean(c.warning), c.action, c.address, c.reason, c.values ?? [], c.notes ?? []]);

/** The changes of a review folded by intent, dangerous ones first, then by how many stacks they touch. */
export function intentsOf(review: Review, opts: { addedStacksSummarized?: boolean } = {}): Intent[] {
  const byKey = new Map<string, Intent>();
  for (const s of review.stacks)
    for (const c of s.changes) {
      // An added stack is one line of its own (addedLine); its adoptions, dangerous changes and notes stay intents.
      if (opts.addedStacksSummarized && s.added && c.action === 'create' && !c.dangerous && !c.notes?.length) continue;
      const k = intentKey(c);
      const i = byKey.get(k);
      if (i) {
        if (i.stacks[i.stacks.length - 1] !== s.name) i.stacks.push(s.name);
      } else byKey.set(k, { change: c, stacks: [s.name] });
    }
  const rank = (c: Change) => (c.dangerous && !c.accepted && !c.warning ? 0 : c.dangerous ? 1 : 2);
  return [...byKey.values()].sort(
    (a, b) => rank(a.change) - rank(b.change) || b.stacks.length - a.stacks.length || a.change.address.localeCompare(b.change.address),
  );
}

export function headline(review: Review): string {
  const acc = review.accepted ? `${plural(review.accepted, 'dangerous change')} acknowledged with --accept` : '';
  const intents = intentsOf(review).filter((i) => i.change.dangerous && !i.change.accepted && !i.change.warning).length;
  const folded = intents && intents !== review.dangerous ? ` (${plural(intents, 'intent')})` : '';
  const warn = review.warnings
    ? `${plural(review.warnings, 'dangerous change')} in warn-only environments (${(review.warnOnly ?? []).join(', ')}) shown as warnings`
    : '';
  const more = [acc, warn].filter(Boolean).join('; ');
  if (review.dangerous)
    return `**${plural(review.dangerous, 'dangerous change')}**${folded} need${review.dangerous === 1 ? 's' : ''} attention${more ? `; ${more}` : ''}.`;
  if (warn) return `**Warning: ${warn}**, none that fails the check${acc ? `; ${acc}` : ''}.`;
  return acc ? `**${acc}**, none unacknowledged.` : 'No dangerous change.';
}

function changeLines(c: Change): string[] {
  const reasons = (c.acceptedBy ?? []).map((a) => a.reason ?? `${a.source}, no reason given`);
  const mark = c.dangerous
    ? c.accepted
      ? ` (acknowledged: ${reasons.join('; ')})`
      : c.warning
        ? ' **warning** (warn-only environment)'
        : ' **dangerous**'
    : '';
  const lines = [
    `- ${code(SYMBOL[c.action])} ${c.action} ${code(c.address)}${mark}${c.dangerous ? `: ${c.reason}` : c.expected ? `: ${c.expected}` : ''}`,
  ];
  for (const n of c.notes ?? []) lines.push(`  - note: ${n}`);
  const values = c.values ?? [];
  for (const v of values.slice(0, MAX_VALUES))
    lines.push(
      `  - ${code(v.path)}: ${code(v.old)} -> ${code(v.new)}${v.effect ? ` (${v.effect === 'changes' ? 'changed: cannot tell whether it widens' : v.effect})` : ''}`,
    );
  if (values.length > MAX_VALUES) lines.push(`  - and ${values.length - MAX_VALUES} more in review.json`);
  return lines;
}

/** Dangerous changes of one cause, the same address and reason across stacks folded into one line. */
function causeDetails(review: Review, cause: string, title: string): string {
  const folded = new Map<string, string[]>();
  for (const s of review.stacks)
    for (const c of s.changes)
      if (c.dangerous && (c.causes ?? ['other']).includes(cause)) {
        const why = (c.acceptedBy ?? []).map((a) => a.reason ?? `${a.source}, no reason given`).join('; ');
        const key = `${c.accepted ? `(acknowledged: ${why}) ` : c.warning ? '(warning, warn-only environment) ' : ''}${c.action} ${code(c.address)}: ${c.reason}`;
        folded.set(key, [...(folded.get(key) ?? []), s.name]);
      }
  const lines = [`<details><summary>${html(title)}</summary>`, ''];
  for (const [key, stacks] of folded)
    lines.push(`- ${key}<br>in ${stacks.length === 1 ? code(stacks[0]) : `${stacks.length} stacks: ${names(stacks)}`}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** "4 of 12 stacks change, 1 leaves the matrix (nothing is changed on merge); 7 unchanged." */
export function stackCounts(review: Review): string {
  const n = (st: string) => review.stacks.filter((s) => s.status === st).length;
  const changing = n('changed') + n('added');
  const leaves = n('leaves');
  return `${changing} of ${plural(review.stacks.length, 'stack')} change${leaves ? `, ${leaves} ${leaves === 1 ? 'leaves' : 'leave'} the matrix (nothing is changed on merge)` : ''}; ${n('unchanged')} unchanged.`;
}

const MAX_ADDRESSES = 12;
const addresses = (list: string[]) =>
  list.length
    ? list.slice(0, MAX_ADDRESSES).map(code).join(', ') +
      (list.length > MAX_ADDRESSES ? ` and ${list.length - MAX_ADDRESSES} more (review.json)` : '')
    : 'nothing';

/** The stacks that leave the matrix, under their own heading: not deletes; what `npm run decommission` does later. */
function leavingSection(stacks: StackReview[]): string {
  const lines = [
    '### Stacks that leave the matrix',
    '',
    `The deploy workflow deploys only the stacks of the matrix, so these stacks keep running as they are (logging, profiles, alarms and their cost) until they are decommissioned. Not dangerous. Decommission each one: list it in \`decommission.txt\` in a pull request (the deploy pipeline decommissions it), or run the command after merge, then again without \`--dry-run\` (docs/rollout.md, "Leaving").`,
    '',
  ];
  for (const s of stacks) {
    const d = s.decommission!;
    lines.push(
      `- ${code(s.name)}: ${LEAVES_TEXT}.`,
      `  - decommission: ${code(d.command)}`,
      `  - keeps in AWS, out of Terraform state (${d.keeps.length}): ${addresses(d.keeps)}`,
      `  - destroys (${d.destroys.length}): ${addresses(d.destroys)}`,
    );
    if (d.narrowedBy?.length)
      lines.push(
        `  - **warning**: this change also narrows what the still-running stack needs: ${d.narrowedBy
          .map((n) => `${code(n.address)} in ${code(n.stack)} drops ${n.dropped.map(code).join(', ')}`)
          .join(
            '; ',
          )}. After merge its logging to CloudWatch is denied and its decommission is likely refused by the narrowed deploy role: list ${code(s.name)} in \`decommission.txt\` in this pull request so it is decommissioned before the narrowing applies (docs/rollout.md), or keep the region until it is decommissioned.`,
      );
  }
  return lines.join('\n') + '\n';
}

const MAX_TYPES = 6;

/** An added stack in one line: "<stack>: added, N resources (types: ...)", every address in a collapsed list. */
function addedLine(s: StackReview): string {
  const a = s.added!;
  const types = Object.entries(a.types);
  const short = types
    .slice(0, MAX_TYPES)
    .map(([t, n]) => `${t.replace(/^aws_/, '')} ${n}`)
    .join(', ');
  const more = types.length > MAX_TYPES ? ` and ${types.length - MAX_TYPES} more types` : '';
  const adopted = a.adopted ? `, ${a.adopted} of them adopted (listed below)` : '';
  const addresses = s.changes.filter((c) => c.action === 'create' || c.action === 'adopt').map((c) => `${SYMBOL[c.action]} ${c.address}`);
  return [
    `- \`+\` ${code(s.name)}: added, ${plural(a.resources, 'resource')}${adopted} (types: ${short}${more})`,
    `  <details><summary>resources</summary>${html(addresses.join(', '))}</details>`,
  ].join('\n');
}

/** The notes of every change (what callers must do), the same address and note across stacks folded into one line. */
function noteDetails(review: Review): string | undefined {
  const folded = new Map<string, string[]>();
  for (const s of review.stacks)
    for (const c of s.changes)
      for (const n of c.notes ?? []) {
        const key = `${code(c.address)}: ${n}`;
        folded.set(key, [...(folded.get(key) ?? []), s.name]);
      }
  if (!folded.size) return undefined;
  const lines = ['### Notes', '', 'Not dangerous, but someone must act:', ''];
  for (const [key, stacks] of folded)
    lines.push(`- ${key}<br>in ${stacks.length === 1 ? code(stacks[0]) : `${stacks.length} stacks: ${names(stacks)}`}`);
  return lines.join('\n') + '\n';
}

export function toMarkdown(review: Review, limit = MAX_MARKDOWN): string {
  const touched = review.stacks.filter((s) => s.status === 'changed' || s.status === 'added');
  const leaving = review.stacks.filter((s) => s.status === 'leaves');
  const head: string[] = ['## Bedrock governance plan review', '', headline(review)];
  const scope = review.scope
    ? ` Only stacks matching ${code(review.scope.glob)} (--stacks): ${plural(review.scope.outside, 'stack')} left out, not reviewed.`
    : '';
  head.push(`${stackCounts(review)}${scope}${review.mode ? ` ${review.mode}` : ''}`, '');
  if (review.sides) {
    for (const [label, side] of [
      ['Base', review.sides.base],
      ['Head', review.sides.head],
    ] as const)
      head.push(`- ${label}: matrix ${side.matrix}${side.commit ? ` at ${side.commit}` : ''}${side.note ? `. **${side.note}**` : ''}`);
    head.push('');
  }
  // The same version on both sides is in review.json only; a different one (an upgrade of the tool) is said up front.
  if (review.tools && review.tools.base !== review.tools.head)
    head.push(
      `**Tool version: ${code(review.tools.base)} -> ${code(review.tools.head)}**: every change below may come from the new version as well as from the matrix.`,
      '',
    );
  if (review.groups.length) {
    head.push('### Dangerous changes by cause', '', '| Cause | Changes | Stacks |', '|---|---:|---|');
    for (const g of review.groups)
      head.push(
        `| ${g.title} | ${g.count}${g.accepted ? ` (${g.accepted} acknowledged)` : ''} | ${g.stacks.length === 1 ? code(g.stacks[0]) : `${g.stacks.length}: ${names(g.stacks)}`} |`,
      );
    head.push('');
  }
  if (review.stale?.length) {
    head.push(
      `**${plural(review.stale.length, 'stale acknowledgement')}**: ${review.stale.length === 1 ? 'this pattern matches' : 'these patterns match'} no dangerous change; remove ${review.stale.length === 1 ? 'it' : 'them'} from the accept file.`,
      '',
    );
    for (const a of review.stale) head.push(`- ${code(a.pattern)}${a.reason ? ` (${html(a.reason)})` : ''}, ${a.source}`);
    head.push('');
  }
  // Optional parts in order of importance; each goes in whole or not at all.
  const parts: { text: string; what: string }[] = [];
  for (const g of review.groups) parts.push({ text: causeDetails(review, g.cause, g.title), what: `the ${g.title.toLowerCase()} list` });
  if (leaving.length) parts.push({ text: leavingSection(leaving), what: 'the stacks that leave the matrix' });
  const cost = costMarkdown(review);
  if (cost) parts.push({ text: cost, what: 'the cost estimate' });
  const notes = noteDetails(review);
  if (notes) parts.push({ text: notes, what: 'the notes' });
  if (touched.length) {
    const count = (s: StackReview, a: Action) => s.changes.filter((c) => c.action === a).length;
    const rows = [
      '### Stacks',
      '',
      `| Stack | Status | ${ACTIONS.join(' | ')} | dangerous |`,
      `|---|---|${ACTIONS.map(() => '---:').join('|')}|---:|`,
    ];
    for (const s of touched) {
      const d = s.changes.filter((c) => c.dangerous && !c.accepted && !c.warning).length;
      rows.push(`| ${code(s.name)} | ${s.status} | ${ACTIONS.map((a) => count(s, a)).join(' | ')} | ${d ? `**${d}**` : 0} |`);
    }
    parts.push({ text: rows.join('\n') + '\n', what: 'the stack table' });
    const plans = touched.filter((s) => s.plan);
    if (plans.length)
      parts.push({
        text: ['### Provider plans', '', ...plans.map((s) => `- ${code(s.name)}: ${s.plan}`)].join('\n') + '\n',
        what: 'the provider plan lines',
      });
    // One line per intent: the same change in many stacks once, with the stack count and a collapsed list.
    parts.push({ text: '### Changes, one line per intent\n', what: '' });
    for (const s of touched.filter((t) => t.added)) parts.push({ text: addedLine(s), what: `the added stack ${s.name}` });
    for (const i of intentsOf(review, { addedStacksSummarized: true })) {
      const [first, ...rest] = changeLines(i.change);
      const where = i.stacks.length === 1 ? `in ${code(i.stacks[0])}` : `in ${i.stacks.length} stacks: ${names(i.stacks)}`;
      parts.push({
        text: [`${first} — ${where}`, ...rest].join('\n'),
        what: `change ${i.change.address} (${plural(i.stacks.length, 'stack')})`,
      });
    }
  }
  let text = head.join('\n');
  const left: string[] = [];
  const reserve = 400;
  for (const p of parts) {
    if (text.length + p.text.length + 1 + reserve <= limit) text += '\n' + p.text;
    else if (p.what) left.push(p.what);
  }
  if (left.length) {
    const changes = left.filter((w) => w.startsWith('change ')).length;
    const other = left.filter((w) => !w.startsWith('change '));
    text += `\n> **This comment is shortened** to stay within ${limit.toLocaleString('en-US')} characters: ${[...other, ...(changes ? [`${plural(changes, 'more change')} (one line per intent)`] : [])].join(', ')} ${left.length === 1 ? 'is' : 'are'} only in review.json, which has every change.\n`;
  }
  return text;
}
