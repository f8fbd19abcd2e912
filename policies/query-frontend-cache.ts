import { parseBytes, parseQuantity } from '../generator/lib/quantity.js';
import { WORKLOAD_KINDS } from './engine/kinds.js';
import { asRecord } from './engine/model.js';
import { yamlIn } from './engine/thanos.js';
import type { Diagnostic, Policy } from './engine/types.js';

const CACHES = ['--query-range.response-cache-config', '--labels.response-cache-config'];

export const queryFrontendCache: Policy = {
  id: 'query-frontend-cache',
  severity: 'error',
  description:
    'A Query Frontend\'s in-memory response caches (range and labels, each up to its `max_size`) fit in its memory limit with room to spare: together at most half of it, or the pod is OOM-killed once the caches fill. An in-memory cache without `max_size` is unbounded.',
  remediation: 'Size each in-memory cache from the memory limit (this project gives each a quarter of it), or raise the limit, or use memcached or Redis for the response cache.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container } of index.thanosContainersOf(input, 'query-frontend')) {
      const limit = parseQuantity(asRecord(asRecord(container.raw.resources)?.limits)?.memory);
      const sizes: { flag: string; bytes?: number; text?: string }[] = [];
      for (const flag of CACHES) {
        const inline = container.flags.get(flag);
        const file = container.flags.get(`${flag}-file`);
        const text = inline ?? (file ? index.fileText(workload, container, file).text : undefined);
        if (text === undefined) continue;
        const doc = asRecord(yamlIn(index, text));
        if (String(doc?.type ?? '').toUpperCase() !== 'IN-MEMORY') continue;
        const config = asRecord(doc?.config) ?? {};
        const size = config.max_size;
        if (size === undefined || size === '' || parseBytes(size) === 0) {
          if (!config.max_size_items) out.push({ message: `container ${container.name}: ${flag} is an in-memory cache with no max_size: it grows until the pod is OOM-killed` });
          continue;
        }
        sizes.push({ flag, bytes: parseBytes(size), text: String(size) });
      }
      if (limit === undefined || sizes.length === 0) continue;
      const total = sizes.reduce((n, s) => n + (s.bytes ?? 0), 0);
      if (total > limit / 2) {
        const mib = (b: number) => `${Math.round(b / 2 ** 20)}MiB`;
        out.push({ message: `container ${container.name}: its in-memory caches (${sizes.map((s) => `${s.flag} max_size ${s.text}`).join(', ')}) can hold ${mib(total)}, more than half its memory limit ${mib(limit)}; when they fill, the pod is OOM-killed` });
      }
    }
    return out;
  },
};
