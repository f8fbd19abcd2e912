// Types for pr-comment.mjs, which stays plain JavaScript so the commenting job needs no npm ci.
export declare const MARKER: string;
export declare const COMMENT_LIMIT: number;
export interface GithubClient {
  // biome-ignore lint/suspicious/noExplicitAny: GitHub API responses are untyped JSON
  get(path: string): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: GitHub API responses are untyped JSON
  post(path: string, body: unknown): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: GitHub API responses are untyped JSON
  patch(path: string, body: unknown): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: GitHub API responses are untyped JSON
  list(path: string): Promise<any[]>;
}
export declare function githubClient(options: { token?: string; baseUrl?: string; fetchImpl?: typeof fetch }): GithubClient;
export declare function findPullRequest(
  api: GithubClient,
  options: { repo: string; headSha: string; headRepo?: string; numbers?: number[] },
): Promise<number | undefined>;
export declare function commentBody(report: string, options?: { runUrl?: string }): string;
export declare function upsertComment(
  api: GithubClient,
  options: { repo: string; number: number; body: string },
): Promise<{ action: 'created' | 'updated'; id: number }>;
export declare function main(
  env?: Record<string, string | undefined>,
  options?: { fetchImpl?: typeof fetch; log?: (line: string) => void },
): Promise<{ number: number; action: 'created' | 'updated'; id: number } | undefined>;
