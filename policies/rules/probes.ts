import { LONG_RUNNING_KINDS } from '../lib/kinds.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Kubernetes runs a container without probes (it counts as ready once started, and is never restarted
 * for hanging), so a missing probe is this project's practice, not something the cluster refuses.
 */
export const probes: Policy = {
  id: 'probes',
  severity: 'error',
  practice: true,
  description:
    'Every long-running container (not init containers, except native sidecars with restartPolicy Always) has a liveness and a readiness probe; Jobs and CronJobs are not checked.',
  remediation: 'Add livenessProbe and readinessProbe; for Thanos use httpGet /-/healthy and /-/ready on the http port.',
  kinds: LONG_RUNNING_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const container of workload.containers) {
      if (!container.longRunning) continue;
      const missing = ['livenessProbe', 'readinessProbe'].filter((p) => container.raw[p] === undefined);
      if (missing.length)
        out.push({
          message: `container ${container.name} has no ${missing.join(' and no ')}: Kubernetes sends it traffic once it starts and never restarts it when it hangs`,
        });
    }
    return out;
  },
};
