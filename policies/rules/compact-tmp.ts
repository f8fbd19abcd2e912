import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

export const compactTmp: Policy = {
  id: 'compact-tmp',
  severity: 'error',
  description:
    "A Thanos compactor with a read-only root filesystem mounts a writable `/tmp` (an emptyDir): compaction and downsampling write scratch files through Go's temporary directory.",
  remediation: 'Mount an emptyDir volume at /tmp in the compact container (keep readOnlyRootFilesystem: true).',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { container } of index.thanosContainersOf(input, 'compact')) {
      if (asRecord(container.raw.securityContext)?.readOnlyRootFilesystem !== true) continue;
      const mounted = asArray(container.raw.volumeMounts).some((m) => String(asRecord(m)?.mountPath ?? '').replace(/\/+$/, '') === '/tmp');
      const tmpdir = container.env.get('TMPDIR')?.literal;
      if (!mounted && !tmpdir)
        out.push({ message: `container ${container.name} has a read-only root filesystem and nothing writable mounted at /tmp` });
    }
    return out;
  },
};
