// Posts the plan review (review-out/review.md, written by `npm run review`) on the
// pull request as one sticky comment: the first run creates it, later runs of the
// same pull request update it in place. A review longer than GitHub allows in a
// comment (65,536 characters) is cut at a line and points to the uploaded artifact.
// Called from actions/github-script in .github/workflows/pull-request.yml; tested
// in __tests__/workflows/workflows.test.ts with a recording stand-in for the GitHub client.
const fs = require('fs');

const MARKER = '<!-- bedrock-governance:plan-review -->';
// GitHub refuses comment bodies over 65,536 characters; leave room for the header and the pointer.
const MAX_BODY = 60000;

function commentBody(review, { runUrl, artifact, maxBody = MAX_BODY }) {
  const header = `${MARKER}\n`;
  const footer = `\n\n---\nFull review: the \`${artifact}\` artifact of [this run](${runUrl}) (review.md, review.json).`;
  let text = review;
  if (header.length + text.length + footer.length > maxBody) {
    const room = maxBody - header.length - footer.length - 200;
    const cut = text.lastIndexOf('\n', room);
    text = `${text.slice(0, cut > 0 ? cut : room)}\n\n**Truncated:** this review has ${review.length.toLocaleString('en-US')} characters, more than a pull-request comment holds.`;
  }
  return header + text + footer;
}

async function postReview({ github, context, core }, options = {}) {
  const file = options.file ?? 'review-out/review.md';
  const review = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '**The plan review produced no report.** See the job log.';
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const body = commentBody(review, { runUrl, artifact: options.artifact ?? 'plan-review', maxBody: options.maxBody });
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

module.exports = { postReview, commentBody, MARKER, MAX_BODY };
