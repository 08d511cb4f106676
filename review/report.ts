/**
 * The review as JSON (everything, for tools) and as a Markdown PR comment that
 * fits one GitHub comment: the verdict, the sides, the dangerous changes grouped
 * by cause (count and stacks), then collapsed per-stack details with every
 * changed attribute as old -> new. What does not fit stays in review.json, and
 * the comment says so.
 */
import type { Action, Change } from './diff';
import type { Review, StackReview } from './review';

/** GitHub's limit for one comment body. */
export const MAX_MARKDOWN = 65_536;
const SYMBOL: Record<Action, string> = { create: '+', adopt: '<=', update: '~', replace: '-/+', delete: '-', forget: '.', unclassified: '?' };
const ACTIONS: Action[] = ['create', 'adopt', 'update', 'replace', 'delete', 'forget', 'unclassified'];
const MAX_STACK_NAMES = 10;
const MAX_VALUES = 20;

export function toJson(review: Review): string {
  return JSON.stringify(review, null, 2) + '\n';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const names = (stacks: string[]) => stacks.slice(0, MAX_STACK_NAMES).map(code).join(', ') + (stacks.length > MAX_STACK_NAMES ? ` and ${stacks.length - MAX_STACK_NAMES} more` : '');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function headline(review: Review): string {
  const acc = review.accepted ? `${plural(review.accepted, 'dangerous change')} acknowledged with --accept` : '';
  if (review.dangerous) return `**${plural(review.dangerous, 'dangerous change')}** need${review.dangerous === 1 ? 's' : ''} attention${acc ? `; ${acc}` : ''}.`;
  return acc ? `**${acc}**, none unacknowledged.` : 'No dangerous change.';
}

function changeLines(c: Change): string[] {
  const mark = c.dangerous ? (c.accepted ? ' (acknowledged)' : ' **dangerous**') : '';
  const lines = [`- ${code(SYMBOL[c.action])} ${c.action} ${code(c.address)}${mark}${c.dangerous ? `: ${c.reason}` : ''}`];
  for (const n of c.notes ?? []) lines.push(`  - note: ${n}`);
  const values = c.values ?? [];
  for (const v of values.slice(0, MAX_VALUES)) lines.push(`  - ${code(v.path)}: ${code(v.old)} -> ${code(v.new)}`);
  if (values.length > MAX_VALUES) lines.push(`  - and ${values.length - MAX_VALUES} more in review.json`);
  return lines;
}

function stackDetails(s: StackReview): string {
  const lines = [`<details><summary><code>${html(s.name)}</code>: ${s.status}, ${plural(s.changes.length, 'change')}</summary>`, ''];
  if (s.plan) lines.push(`Provider plan: ${s.plan}`, '');
  for (const c of s.changes) lines.push(...changeLines(c));
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** Dangerous changes of one cause, the same address and reason across stacks folded into one line. */
function causeDetails(review: Review, cause: string, title: string): string {
  const folded = new Map<string, string[]>();
  for (const s of review.stacks)
    for (const c of s.changes)
      if (c.dangerous && (c.causes ?? ['other']).includes(cause)) {
        const key = `${c.accepted ? '(acknowledged) ' : ''}${c.action} ${code(c.address)}: ${c.reason}`;
        folded.set(key, [...(folded.get(key) ?? []), s.name]);
      }
  const lines = [`<details><summary>${html(title)}</summary>`, ''];
  for (const [key, stacks] of folded) lines.push(`- ${key}<br>in ${stacks.length === 1 ? code(stacks[0]) : `${stacks.length} stacks: ${names(stacks)}`}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
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
  for (const [key, stacks] of folded) lines.push(`- ${key}<br>in ${stacks.length === 1 ? code(stacks[0]) : `${stacks.length} stacks: ${names(stacks)}`}`);
  return lines.join('\n') + '\n';
}

export function toMarkdown(review: Review, limit = MAX_MARKDOWN): string {
  const touched = review.stacks.filter((s) => s.status !== 'unchanged');
  const unchanged = review.stacks.length - touched.length;
  const head: string[] = ['## Bedrock governance plan review', '', headline(review)];
  head.push(`${touched.length} of ${plural(review.stacks.length, 'stack')} change; ${unchanged} unchanged.${review.mode ? ` ${review.mode}` : ''}`, '');
  if (review.sides) {
    for (const [label, side] of [
      ['Base', review.sides.base],
      ['Head', review.sides.head],
    ] as const)
      head.push(`- ${label}: matrix ${side.matrix}${side.commit ? ` at ${side.commit}` : ''}${side.note ? `. **${side.note}**` : ''}`);
    head.push('');
  }
  if (review.groups.length) {
    head.push('### Dangerous changes by cause', '', '| Cause | Changes | Stacks |', '|---|---:|---|');
    for (const g of review.groups)
      head.push(`| ${g.title} | ${g.count}${g.accepted ? ` (${g.accepted} acknowledged)` : ''} | ${g.stacks.length === 1 ? code(g.stacks[0]) : `${g.stacks.length}: ${names(g.stacks)}`} |`);
    head.push('');
  }
  // Optional parts in order of importance; each goes in whole or not at all.
  const parts: { text: string; what: string }[] = [];
  for (const g of review.groups) parts.push({ text: causeDetails(review, g.cause, g.title), what: `the ${g.title.toLowerCase()} list` });
  const notes = noteDetails(review);
  if (notes) parts.push({ text: notes, what: 'the notes' });
  if (touched.length) {
    const count = (s: StackReview, a: Action) => s.changes.filter((c) => c.action === a).length;
    const rows = ['### Stacks', '', `| Stack | Status | ${ACTIONS.join(' | ')} | dangerous |`, `|---|---|${ACTIONS.map(() => '---:').join('|')}|---:|`];
    for (const s of touched) {
      const d = s.changes.filter((c) => c.dangerous && !c.accepted).length;
      rows.push(`| ${code(s.name)} | ${s.status} | ${ACTIONS.map((a) => count(s, a)).join(' | ')} | ${d ? `**${d}**` : 0} |`);
    }
    parts.push({ text: rows.join('\n') + '\n', what: 'the stack table' });
    parts.push({ text: '### Details\n', what: '' });
    // Stacks with dangerous changes first.
    const ordered = [...touched].sort((a, b) => Number(b.changes.some((c) => c.dangerous)) - Number(a.changes.some((c) => c.dangerous)));
    for (const s of ordered) parts.push({ text: stackDetails(s), what: `details of ${s.name}` });
  }
  let text = head.join('\n');
  const left: string[] = [];
  const reserve = 400;
  for (const p of parts) {
    if (text.length + p.text.length + 1 + reserve <= limit) text += '\n' + p.text;
    else if (p.what) left.push(p.what);
  }
  if (left.length) {
    const stacks = left.filter((w) => w.startsWith('details of ')).length;
    const other = left.filter((w) => !w.startsWith('details of '));
    text += `\n> **This comment is shortened** to stay within ${limit.toLocaleString('en-US')} characters: ${[...other, ...(stacks ? [`the details of ${plural(stacks, 'stack')}`] : [])].join(', ')} ${left.length === 1 ? 'is' : 'are'} only in review.json, which has every change.\n`;
  }
  return text;
}
