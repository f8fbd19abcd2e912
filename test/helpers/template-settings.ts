import { MONITORING } from '../../settings/monitoring.js';

/** Where the template's settings (the placeholder repoURL, branch main) put the runbooks. */
export const TEMPLATE_RUNBOOK_BASE = 'https://git.example.com/CHANGE-ME/thanos-ha-gitops/blob/main/docs/runbooks';

/**
 * Rendered YAML as the template's settings would render it: golden files are recorded that way,
 * so a fork that sets repoURL and branch (which the runbook links of its alerts follow) keeps them.
 */
export function asTemplate(text: string): string {
  return text.replaceAll(MONITORING.runbookBaseUrl, TEMPLATE_RUNBOOK_BASE);
}
