import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asRecord } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

export const resources: Policy = {
  id: 'resources',
  severity: 'error',
  practice: true,
  description:
    'Every container (init containers included) requests CPU and memory and has a memory limit, so the scheduler can place it and a leak cannot take the node down.',
  remediation: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on the container.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const container of workload.containers) {
      const res = asRecord(container.raw.resources);
      const requests = asRecord(res?.requests);
      const limits = asRecord(res?.limits);
      const missing: string[] = [];
      if (requests?.cpu === undefined) missing.push('requests.cpu');
      if (requests?.memory === undefined) missing.push('requests.memory');
      if (limits?.memory === undefined) missing.push('limits.memory');
      if (missing.length)
        out.push({
          message: `${container.init ? 'init container' : 'container'} ${container.name} has no resources.${missing.join(', resources.')}`,
        });
    }
    return out;
  },
};
