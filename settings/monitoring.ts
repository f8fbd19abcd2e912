import { GITOPS } from './gitops.js';

/**
 * Monitoring settings a fork changes once. The runbook base defaults to docs/runbooks in the
 * fork's own repository (repoURL and branch from settings/gitops.ts, GitHub/Gitea/Forgejo
 * path style); set it outright for GitLab ("/-/blob/") or a wiki.
 */
export interface MonitoringSettings {
  /** Every alert's runbook_url is `<runbookBaseUrl>/<AlertName>.md`. */
  readonly runbookBaseUrl: string;
}

export const MONITORING: MonitoringSettings = {
  runbookBaseUrl: `${GITOPS.repoURL.replace(/\.git$/, '')}/blob/${GITOPS.branch}/docs/runbooks`,
};
