// Posts the plan review (review-out/review.md, written by `npm run review`) on the
// pull request as one sticky comment: the first run creates it, later runs of the
// same pull request update it in place. A review longer than GitHub allows in a
// comment (65,536 characters) is cut at a line and points to the uploaded artifact.
// Where the diff jobs had credentials, a second section follows: the plan of each
// changed stack against what is deployed (plan-summaries/<stack>.json, written by
// `plan-summary`), in the room the review leaves; the offline review always comes
// first and is never cut for it.
// Called from actions/github-script in .github/workflows/pull-request.yml; tested
// in __tests__/workflows/workflows.test.ts with a recording stand-in for the GitHub client.
const fs = require('fs');

const MARKER = '<!-- bedrock-governance:plan-review -->';
// GitHub refuses comment bodies over 65,536 characters; leave room for the header and the pointer.
const MAX_BODY = 60000;

const PLANS_TITLE = '## Plans against what is deployed';

/** The second section: one row per planned stack, then what each replaces or destroys; cut at a stack to fit `room`. */
function plansSection(plans, room) {
  if (!plans || !plans.length) return '';
  const sorted = [...plans].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  const head = [
    '',
    '',
    PLANS_TITLE,
    '',
    `terraform plan of the ${sorted.length} changed stack${sorted.length === 1 ? '' : 's'} with the deploy credentials (what applying this branch would do now; the review above is the change itself):`,
    '',
    '| stack | add | change | destroy | forget |',
    '|---|---:|---:|---:|---:|',
  ].join('\n');
  const row = (p) =>
    p.failed === undefined
      ? `\n| \`${p.stack}\` | ${p.adds} | ${p.changes} | ${p.destroys} | ${p.forgets ?? 0} |`
      : `\n| \`${p.stack}\` | not planned | | | |`;
  const notes = (p) =>
    [
      // A stack Terraform could not plan (plan-summary writes why): most often one this pull request adds, whose
      // workspace or account role exists only after the bootstrap wave of the merge.
      ...(p.failed !== undefined
        ? [
            `\n\n**${p.stack}** was not planned: ${p.failed}. Terraform's error is in the diff job's log; a stack new in this pull request has no workspace or deploy role before the merge's bootstrap wave.`,
          ]
        : []),
      ...(p.replaced?.length ? [`\n\n**${p.stack}** replaces (new IDs and ARNs): ${p.replaced.map((a) => `\`${a}\``).join(', ')}`] : []),
      ...(p.destroyed?.length ? [`\n\n**${p.stack}** destroys: ${p.destroyed.map((a) => `\`${a}\``).join(', ')}`] : []),
    ].join('');
  const cut = (n) =>
    `\n\n**Cut:** ${n} more stack${n === 1 ? '' : 's'} planned; every summary is in the plan-summaries artifacts of this run.`;
  let rows = '';
  let kept = 0;
  for (const p of sorted) {
    if (head.length + rows.length + row(p).length + cut(sorted.length).length > room) break;
    rows += row(p);
    kept++;
  }
  if (!kept) return room > cut(sorted.length).length + PLANS_TITLE.length + 4 ? `\n\n${PLANS_TITLE}${cut(sorted.length)}` : '';
  let text = head + rows;
  for (const p of sorted.slice(0, kept)) {
    const n = notes(p);
    if (text.length + n.length + cut(sorted.length - kept).length > room)
      return text + cut(sorted.length - kept) + ' Some replacements are not shown.';
    text += n;
  }
  return kept < sorted.length ? text + cut(sorted.length - kept) : text;
}

function commentBody(review, { runUrl, artifact, maxBody = MAX_BODY, plans }) {
  const header = `${MARKER}\n`;
  const footer = `\n\n---\nFull review: the \`${artifact}\` artifact of [this run](${runUrl}) (review.md, review.json).`;
  let text = review;
  if (header.length + text.length + footer.length > maxBody) {
    const room = maxBody - header.length - footer.length - 200;
    const cut = text.lastIndexOf('\n', room);
    text = `${text.slice(0, cut > 0 ? cut : room)}\n\n**Truncated:** this review has ${review.length.toLocaleString('en-US')} characters, more than a pull-request comment holds.`;
  }
  const second = plansSection(plans, maxBody - header.length - text.length - footer.length);
  return header + text + second + footer;
}

/** The plan summaries in `dir` (<stack>.json, as plan-summary writes them); none when there is no such folder. */
function readPlans(dir) {
  if (!dir || !fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')))
    .filter((p) => p && typeof p.stack === 'string' && (typeof p.adds === 'number' || typeof p.failed === 'string'));
}

async function postReview({ github, context, core }, options = {}) {
  const file = options.file ?? 'review-out/review.md';
  const review = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '**The plan review produced no report.** See the job log.';
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const plans = readPlans(options.plans);
  const body = commentBody(review, { runUrl, artifact: options.artifact ?? 'plan-review', maxBody: options.maxBody, plans });
  const issue_number = context.payload.pull_request.number;
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    core.info(`Updated the review comment ${mine.id}`);
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number, body });
    core.info('Posted the review comment');
  }
}

module.exports = { postReview, commentBody, readPlans, MARKER, MAX_BODY, PLANS_TITLE };
