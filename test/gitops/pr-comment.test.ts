import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, commentBody, main, MARKER } from '../../.github/scripts/pr-comment.mjs';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github-api');
const recorded = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

interface Call {
  method: string;
  path: string;
  body?: { body?: string };
  authorization?: string;
}

/**
 * A fake GitHub API on a loopback port that replays the recorded responses and records every
 * request, so the script's calls (method, path, body) can be checked without any network.
 */
function fakeGithub(routes: Record<string, { status?: number; body: string }>) {
  const calls: Call[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      const call: Call = {
        method: req.method!,
        path: req.url!,
        authorization: req.headers.authorization,
        ...(data ? { body: JSON.parse(data) } : {}),
      };
      calls.push(call);
      const route = routes[`${req.method} ${req.url}`];
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json' }).end(route.body);
    });
  });
  return { server, calls };
}

describe('the pull-request comment script against a recorded fake of the GitHub API', () => {
  const routes: Record<string, { status?: number; body: string }> = {};
  const fake = fakeGithub(routes);
  let api = '';
  let dir = '';
  const logs: string[] = [];
  beforeAll(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'pr-comment-'));
    writeFileSync(join(dir, 'comment.md'), '### Policy check\n\n**OK**: 0 errors\n');
  });
  afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));
  beforeEach(() => {
    fake.calls.length = 0;
    logs.length = 0;
    for (const key of Object.keys(routes)) delete routes[key];
  });
  const env = (extra: Record<string, string>) => ({
    GITHUB_TOKEN: 'ghs_fake',
    GITHUB_API_URL: api,
    GITHUB_REPOSITORY: 'acme/thanos-ha',
    REPORT_FILE: join(dir, 'comment.md'),
    RUN_URL: 'https://github.com/acme/thanos-ha/actions/runs/99',
    ...extra,
  });
  const run = (extra: Record<string, string>) => main(env(extra), { log: (line) => logs.push(line) });

  it("a branch's pull request: updates the bot's earlier comment found by its marker, not a person's quoting it", async () => {
    routes['GET /repos/acme/thanos-ha/issues/12/comments?per_page=100&page=1'] = { body: recorded('issue-comments.json') };
    routes['PATCH /repos/acme/thanos-ha/issues/comments/3002'] = { body: '{"id":3002}' };
    const result = await run({ PR_NUMBERS: '12', HEAD_SHA: '1111111111111111111111111111111111111111', HEAD_REPO: 'acme/thanos-ha' });
    expect(result).toEqual({ number: 12, action: 'updated', id: 3002 });
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /repos/acme/thanos-ha/issues/12/comments?per_page=100&page=1',
      'PATCH /repos/acme/thanos-ha/issues/comments/3002',
    ]);
    expect(fake.calls[1].body!.body).toBe(`${MARKER}\n### Policy check\n\n**OK**: 0 errors\n`);
    expect(fake.calls.every((c) => c.authorization === 'Bearer ghs_fake')).toBe(true);
  });

  it("a fork's pull request (no numbers in the event): found by head SHA and repository, and a new comment created", async () => {
    routes['GET /repos/acme/thanos-ha/pulls?state=open&sort=updated&direction=desc&per_page=100&page=1'] = {
      body: recorded('pulls-open.json'),
    };
    routes['GET /repos/acme/thanos-ha/issues/15/comments?per_page=100&page=1'] = { body: '[]' };
    routes['POST /repos/acme/thanos-ha/issues/15/comments'] = { status: 201, body: recorded('comment-created.json') };
    const result = await run({ PR_NUMBERS: '', HEAD_SHA: '2222222222222222222222222222222222222222', HEAD_REPO: 'bob/thanos-ha' });
    expect(result).toEqual({ number: 15, action: 'created', id: 3100 });
    expect(fake.calls.map((c) => c.method)).toEqual(['GET', 'GET', 'POST']);
    expect(fake.calls[2].body!.body!.startsWith(MARKER)).toBe(true);
    expect(logs).toContain('pr-comment: created comment 3100 on #15');
  });

  it('no open pull request with that head: nothing is written', async () => {
    routes['GET /repos/acme/thanos-ha/pulls?state=open&sort=updated&direction=desc&per_page=100&page=1'] = {
      body: recorded('pulls-open.json'),
    };
    // Same SHA, other repository: not the pull request of this run.
    const result = await run({ PR_NUMBERS: '', HEAD_SHA: '2222222222222222222222222222222222222222', HEAD_REPO: 'mallory/thanos-ha' });
    expect(result).toBeUndefined();
    expect(fake.calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('a run that wrote no report still gets a comment that says so', async () => {
    routes['GET /repos/acme/thanos-ha/issues/12/comments?per_page=100&page=1'] = { body: '[]' };
    routes['POST /repos/acme/thanos-ha/issues/12/comments'] = { status: 201, body: recorded('comment-created.json') };
    await run({ PR_NUMBERS: '12', HEAD_SHA: '1111111111111111111111111111111111111111', REPORT_FILE: join(dir, 'missing.md') });
    expect(fake.calls[1].body!.body).toContain(
      'The pull-request workflow wrote no report; see the `pr-report` artifact of [the workflow run](https://github.com/acme/thanos-ha/actions/runs/99).',
    );
  });

  it('an API error fails the job with the status and path', async () => {
    routes['GET /repos/acme/thanos-ha/issues/12/comments?per_page=100&page=1'] = {
      status: 403,
      body: '{"message":"Resource not accessible by integration"}',
    };
    await expect(run({ PR_NUMBERS: '12', HEAD_SHA: 'x' })).rejects.toThrow(
      /GET \/repos\/acme\/thanos-ha\/issues\/12\/comments.*HTTP 403: .*Resource not accessible by integration/,
    );
  });

  it("a report over GitHub's limit is cut to fit, with a note that points at the artifact", () => {
    const body = commentBody('x'.repeat(COMMENT_LIMIT * 2), { runUrl: 'https://example.test/run' });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toMatch(
      /Cut at GitHub's comment size limit; the whole report is in the `pr-report` artifact of \[the workflow run\]\(https:\/\/example.test\/run\)/,
    );
  });
});
