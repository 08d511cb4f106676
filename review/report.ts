/** The review as JSON (for tools) and as a concise Markdown PR comment: summary table first, then details. */
import type { Action } from './diff';
import type { Review } from './review';

const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-' };
const MAX_ATTRIBUTES = 8;

export function toJson(review: Review): string {
  return JSON.stringify(review, null, 2) + '\n';
}

export function toMarkdown(review: Review): string {
  const touched = review.stacks.filter((s) => s.status !== 'unchanged');
  const unchanged = review.stacks.length - touched.length;
  const count = (s: Review['stacks'][number], a: Action) => s.changes.filter((c) => c.action === a).length;
  const lines: string[] = ['## Bedrock governance plan review', ''];
  lines.push(
    review.dangerous
      ? `**${review.dangerous} dangerous change${review.dangerous === 1 ? '' : 's'}** need${review.dangerous === 1 ? 's' : ''} attention.`
      : 'No dangerous change.',
    `${touched.length} of ${review.stacks.length} stacks change; ${unchanged} unchanged.${review.accepted ? ` ${review.accepted} dangerous change${review.accepted === 1 ? ' was' : 's were'} acknowledged.` : ''}`,
    '',
  );
  if (touched.length) {
    lines.push('| Stack | Status | create | update | replace | delete | dangerous |', '|---|---|---:|---:|---:|---:|---:|');
    for (const s of touched) {
      const d = s.changes.filter((c) => c.dangerous && !c.accepted).length;
      lines.push(`| \`${s.name}\` | ${s.status} | ${count(s, 'create')} | ${count(s, 'update')} | ${count(s, 'replace')} | ${count(s, 'delete')} | ${d ? `**${d}**` : 0} |`);
    }
    lines.push('');
  }
  const dangerous = touched.flatMap((s) => s.changes.filter((c) => c.dangerous).map((c) => ({ s, c })));
  if (dangerous.length) {
    lines.push('### Dangerous changes', '');
    for (const { s, c } of dangerous) lines.push(`- ${c.accepted ? '(acknowledged) ' : ''}\`${s.name}\`: **${c.action}** \`${c.address}\`: ${c.reason}`);
    lines.push('');
  }
  if (touched.length) {
    lines.push('### Details', '');
    for (const s of touched) {
      lines.push(`<details><summary><code>${s.name}</code>: ${s.status}, ${s.changes.length} change${s.changes.length === 1 ? '' : 's'}</summary>`, '');
      if (s.plan) lines.push(`Offline plan: ${s.plan}`, '');
      for (const c of s.changes) {
        const attrs = c.attributes?.length
          ? `: ${c.attributes.slice(0, MAX_ATTRIBUTES).map((a) => `\`${a}\``).join(', ')}${c.attributes.length > MAX_ATTRIBUTES ? `, and ${c.attributes.length - MAX_ATTRIBUTES} more` : ''}`
          : '';
        lines.push(`- \`${SYMBOL[c.action]}\` ${c.action} \`${c.address}\`${attrs}`);
      }
      lines.push('', '</details>', '');
    }
  }
  return lines.join('\n');
}
