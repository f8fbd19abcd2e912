import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { parseImage } from '../lib/images.js';
import type { Index } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** The version a Thanos image is tagged with, e.g. "v0.42.4"; undefined for untagged or digest-only. */
function thanosVersion(image: string): string | undefined {
  const { tag } = parseImage(image);
  const match = tag ? /^v?(\d+\.\d+\.\d+)/.exec(tag) : null;
  return match ? `v${match[1]}` : tag;
}

const versionsCache = new WeakMap<Index, Map<string, Map<string, string[]>>>();

/**
 * Per namespace, Thanos image version -> workloads using it; computed once per set. Each namespace
 * is its own stack: two stacks on two versions do not mix versions.
 */
function thanosVersions(index: Index, namespace: string | undefined): Map<string, string[]> {
  let byNamespace = versionsCache.get(index);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const { workload, container } of index.thanos()) {
      const version = thanosVersion(container.image);
      if (!version) continue;
      const ns = workload.namespace ?? '';
      const map = byNamespace.get(ns) ?? new Map<string, string[]>();
      byNamespace.set(ns, map);
      const who = `${workload.kind} ${workload.name}`;
      const list = map.get(version) ?? [];
      if (!list.includes(who)) list.push(who);
      map.set(version, list);
    }
    versionsCache.set(index, byNamespace);
  }
  return byNamespace.get(namespace ?? '') ?? new Map();
}

export const imagePinned: Policy = {
  id: 'image-pinned',
  severity: 'error',
  description:
    'Every container image names a fixed tag or digest: no `latest`, no untagged image. All Thanos containers of one namespace (one stack) run the same Thanos version.',
  remediation: 'Pin the image to a release tag (or a digest) and use the same Thanos version for every component.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const container of workload.containers) {
      if (!container.image) {
        out.push({ message: `container ${container.name} has no image` });
        continue;
      }
      const { tag, digest } = parseImage(container.image);
      if (digest) continue;
      if (!tag) out.push({ message: `container ${container.name} image ${container.image} has no tag: it pulls whatever latest is` });
      else if (tag === 'latest') out.push({ message: `container ${container.name} image ${container.image} uses the tag latest` });
    }
    const versions = thanosVersions(index, workload.namespace);
    if (versions.size > 1) {
      const mine = new Set(
        workload.containers
          .filter((c) => c.thanos)
          .map((c) => thanosVersion(c.image))
          .filter(Boolean),
      );
      if (mine.size > 0) {
        const list = [...versions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([v, who]) => `${v} (${who.join(', ')})`);
        out.push({
          message: `${workload.namespace ? `namespace ${workload.namespace}` : 'the rendered set'} mixes Thanos versions: ${list.join('; ')}`,
        });
      }
    }
    return out;
  },
};
