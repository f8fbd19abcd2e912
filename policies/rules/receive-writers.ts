import { WRITERS_ANNOTATION } from '../../core/labels.js';
import { LONG_RUNNING_KINDS } from '../lib/kinds.js';
import type { Policy } from '../lib/types.js';

/**
 * The annotation is on the workload, one or more names. A Receive in prod holds three 100Gi volumes.
 */
export const receiveWriters: Policy = {
  id: 'receive-writers',
  severity: 'warning',
  description: `A Thanos Receive names who remote-writes into it (annotation \`${WRITERS_ANNOTATION}\`); one nobody writes to holds replicas and volumes for nothing.`,
  remediation: `Name the writers in the overlay's registry entry (\`writers: ['edge-eu-1 Prometheus agent']\`), which annotates the Receive with ${WRITERS_ANNOTATION}; or turn Receive off.`,
  kinds: LONG_RUNNING_KINDS,
  check({ input, index }) {
    const receivers = index.thanosContainersOf(input, 'receive');
    if (receivers.length === 0) return [];
    const declared = (input.object.metadata.annotations?.[WRITERS_ANNOTATION] ?? '').split(',').some((w) => w.trim() !== '');
    if (declared) return [];
    return [
      {
        message: `container ${receivers[0].container.name}: thanos receive with no declared writer (${WRITERS_ANNOTATION} is ${input.object.metadata.annotations?.[WRITERS_ANNOTATION] === undefined ? 'absent' : 'empty'}); nothing is known to remote-write into it`,
      },
    ];
  },
};
