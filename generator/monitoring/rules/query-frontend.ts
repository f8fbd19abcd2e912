import { JOBS } from '../scrape.js';
import { http5xxShare, type RuleGroup } from './types.js';

const job = JOBS.queryFrontend;

export function queryFrontendRules(): RuleGroup {
  const handler = 'handler="query-frontend"';
  return {
    name: 'thanos-query-frontend',
    rules: [
      {
        alert: 'ThanosQueryFrontendHttpErrors',
        expr: http5xxShare(job, handler),
        for: '5m',
        severity: 'critical',
        summary: 'Thanos Query Frontend fails more than 5% of queries.',
        description:
          'More than 5% of the queries Grafana sends to the Query Frontend in {{ $labels.namespace }} end in a 5xx. Check the frontend log and Thanos Query behind it.',
        window: 'fires within 15m of errors starting',
        runbook: {
          meaning: 'The entry point for dashboards fails queries: users see errors.',
          confirm: [
            `sum by (code) (rate(http_requests_total{job="${job}", handler="query-frontend"}[5m]))`,
            'kubectl -n <namespace> logs -l app.kubernetes.io/name=thanos-query-frontend --tail=200',
          ],
          fix: [
            '502/503 from Query: see ThanosQueryHttpErrors and ThanosQueryAbsent.',
            '504: split interval too large or Query timeout too small for the dashboards in use.',
          ],
          escalate: 'Page the platform on-call if it lasts 15 minutes: dashboards are down.',
        },
      },
    ],
  };
}
