// Posts the pull-request report as one comment, and updates that same comment on every push.
//
// Runs in the `workflow_run` job of .github/workflows/pull-request-comment.yaml, which has a write
// token and runs from the default branch. Everything it reads from the pull-request run (the
// report file, the head SHA and repository) comes from a fork's untrusted code: it is handled as
// data only (posted as a comment body, compared as strings); nothing from it is run. Plain Node
// (>= 20, global fetch), no dependencies, so the job needs no `npm ci`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Identifies the comment this script owns; only a comment by the token's bot user with it is updated. */
export const MARKER = '<!-- thanos-ha-gitops:pull-request-report -->';
/** GitHub refuses a comment body over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

/** A minimal GitHub REST client over fetch; `baseUrl` is $GITHUB_API_URL (a fake server in tests). */
export function githubClient({ token, baseUrl = 'https://api.github.com', fetchImpl = fetch }) {
  const call = async (method, path, body) => {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    /** Every page of a list endpoint (100 per page), stopping at a short page. */
    async list(path) {
      const items = [];
      for (let page = 1; page <= 50; page++) {
        const batch = await call('GET', `${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
        items.push(...batch);
        if (batch.length < 100) break;
      }
      return items;
    },
  };
}

/**
 * The pull request the run was for. `workflow_run.pull_requests` names it for a branch of this
 * repository, but is empty for a fork's pull request: then the open pull requests are searched
 * for the run's head SHA (and head repository, when known).
 */
export async function findPullRequest(api, { repo, headSha, headRepo, numbers = [] }) {
  const valid = numbers.filter((n) => Number.isInteger(n) && n > 0);
  if (valid.length > 0) return valid[0];
  const open = await api.list(`/repos/${repo}/pulls?state=open&sort=updated&direction=desc`);
  const match = open.find((pr) => pr.head?.sha === headSha && (!headRepo || pr.head?.repo?.full_name === headRepo));
  return match?.number;
}

/** The comment body: the marker, then the report, cut to GitHub's limit with a note that says where the rest is. */
export function commentBody(report, { runUrl } = {}) {
  const where = runUrl ? `the \`pr-report\` artifact of [the workflow run](${runUrl})` : 'the `pr-report` artifact of the workflow run';
  const text = report.trim() === '' ? `The pull-request workflow wrote no report; see ${where}.` : report.trimEnd();
  const head = `${MARKER}\n`;
  if (head.length + text.length + 1 <= COMMENT_LIMIT) return `${head}${text}\n`;
  const note = `\n\n_Cut at GitHub's comment size limit; the whole report is in ${where}._\n`;
  return `${head}${text.slice(0, COMMENT_LIMIT - head.length - note.length)}${note}`;
}

/**
 * Creates the report comment, or updates the one this workflow posted before (found by its marker
 * and its author being a bot, so a person quoting the marker cannot redirect the update).
 */
export async function upsertComment(api, { repo, number, body }) {
  const comments = await api.list(`/repos/${repo}/issues/${number}/comments`);
  const mine = comments.find((c) => c.user?.type === 'Bot' && typeof c.body === 'string' && c.body.startsWith(MARKER));
  if (mine) {
    await api.patch(`/repos/${repo}/issues/comments/${mine.id}`, { body });
    return { action: 'updated', id: mine.id };
  }
  const created = await api.post(`/repos/${repo}/issues/${number}/comments`, { body });
  return { action: 'created', id: created.id };
}

/** The job's entry point: environment in, one comment out. */
export async function main(env = process.env, { fetchImpl = fetch, log = console.log } = {}) {
  const reportPath = env.REPORT_FILE ?? 'pr-report/comment.md';
  let report = '';
  try {
    report = readFileSync(reportPath, 'utf8');
  } catch {
    log(`pr-comment: no report at ${reportPath} (the pull-request run failed before writing it)`);
  }
  const api = githubClient({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, fetchImpl });
  const numbers = (env.PR_NUMBERS ?? '').split(/\s+/).filter(Boolean).map(Number);
  const number = await findPullRequest(api, { repo: env.GITHUB_REPOSITORY, headSha: env.HEAD_SHA, headRepo: env.HEAD_REPO, numbers });
  if (number === undefined) {
    log(`pr-comment: no open pull request has head ${env.HEAD_SHA}; nothing to comment on`);
    return undefined;
  }
  const result = await upsertComment(api, { repo: env.GITHUB_REPOSITORY, number, body: commentBody(report, { runUrl: env.RUN_URL }) });
  log(`pr-comment: ${result.action} comment ${result.id} on #${number}`);
  return { number, ...result };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`pr-comment: ${error.message}`);
    process.exitCode = 1;
  });
}
