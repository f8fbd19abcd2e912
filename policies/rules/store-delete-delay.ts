import { parseDuration } from '../../core/units/duration.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { bucketIdentity, describeRef, objstoreKey, objstoreOf, type ObjstoreRef } from '../lib/thanos.js';
import type { Index, Workload } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const STORE_DEFAULT = '24h';
const COMPACT_DEFAULT = '48h';

/**
 * Whether a store and a compactor work on one bucket: the same bucket when both configs are
 * visible (in any namespace), the same Secret/ConfigMap key otherwise; where either cannot be seen,
 * only within one namespace (one stack), never across stacks.
 */
function sameStorage(
  index: Index,
  store: Workload,
  storeRef: ObjstoreRef | undefined,
  compact: Workload,
  compactRef: ObjstoreRef | undefined,
): boolean {
  const sameStack = (store.namespace ?? '') === (compact.namespace ?? '');
  if (!storeRef || !compactRef) return sameStack;
  const a = bucketIdentity(index, storeRef, store.namespace);
  const b = bucketIdentity(index, compactRef, compact.namespace);
  if (a && b) return a === b;
  const ka = objstoreKey(store, storeRef);
  const kb = objstoreKey(compact, compactRef);
  if (ka.startsWith('unresolved') || kb.startsWith('unresolved')) return sameStack;
  return ka === kb;
}

/**
 * About half of the delete delay is the upstream advice.
 */
export const storeDeleteDelay: Policy = {
  id: 'store-delete-delay',
  severity: 'error',
  description:
    'A store gateway stops reading a block marked for deletion (`--ignore-deletion-marks-delay`, default 24h) before the compactor deletes it (`--delete-delay`, default 48h); otherwise queries fail on missing blocks.',
  remediation: 'Set store --ignore-deletion-marks-delay below compact --delete-delay, about half of it (24h and 48h).',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const store of workload.containers.filter((c) => c.thanos === 'store')) {
      const storeRef = objstoreOf(index, workload, store);
      const storeText = store.flags.get('--ignore-deletion-marks-delay') ?? STORE_DEFAULT;
      const storeMs = parseDuration(storeText);
      if (storeMs === undefined) {
        out.push({ message: `container ${store.name}: --ignore-deletion-marks-delay=${storeText} is not a duration` });
        continue;
      }
      for (const { workload: cw, container: compact } of index.thanos('compact')) {
        const compactRef = objstoreOf(index, cw, compact);
        if (!sameStorage(index, workload, storeRef, cw, compactRef)) continue;
        const compactText = compact.flags.get('--delete-delay') ?? COMPACT_DEFAULT;
        // An unparsable --delete-delay is not compared: no store delay is at or above Infinity.
        const compactMs = parseDuration(compactText) ?? Number.POSITIVE_INFINITY;
        if (storeMs >= compactMs) {
          const where = cw.namespace !== workload.namespace && cw.namespace ? `${cw.namespace}/` : '';
          out.push({
            message: `--ignore-deletion-marks-delay=${storeText} is not below ${cw.kind} ${where}${cw.name} --delete-delay=${compactText}${compactRef ? ` (${describeRef(compactRef)})` : ''}: the store can read blocks after they are deleted`,
          });
        }
      }
    }
    return out;
  },
};
