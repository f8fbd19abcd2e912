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

function parts(version: string): number[] {
  return (/^v?(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
}
function byVersion(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return a.localeCompare(b);
}

/**
 * Versions of one major and at most two adjacent minors (v0.41.x beside v0.42.y, or patches of one
 * minor): the mix a rolling upgrade passes through, oldest and newest. Undefined for a wider spread or
 * a tag that is not a release version.
 */
function rollingUpgrade(sorted: readonly string[]): { from: string; to: string } | undefined {
  const all = sorted.map(parts);
  if (all.some((p) => p.length !== 3)) return undefined;
  const [first, last] = [all[0], all[all.length - 1]];
  if (first[0] !== last[0] || last[1] - first[1] > 1) return undefined;
  return { from: sorted[0], to: sorted[sorted.length - 1] };
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
        const sorted = [...versions.keys()].sort(byVersion);
        const list = sorted.map((v) => `${v} (${versions.get(v)!.join(', ')})`);
        const where = workload.namespace ? `namespace ${workload.namespace}` : 'the rendered set';
        const upgrade = rollingUpgrade(sorted);
        out.push(
          upgrade
            ? {
                // Thanos components of adjacent minors talk to each other: the state a rolling upgrade passes through.
                message: `${where} runs Thanos ${upgrade.from} beside ${upgrade.to}: ${list.join('; ')}; this looks like an upgrade in progress from ${upgrade.from} to ${upgrade.to}, which works while it lasts; finish it by moving every component to ${upgrade.to}`,
                severity: 'warning',
              }
            : { message: `${where} mixes Thanos versions: ${list.join('; ')}` },
        );
      }
    }
    return out;
  },
};
