import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { overlayNames } from './changes.js';
import { BUCKET_ANNOTATION, CLUSTER_NAME_LABEL } from './lib/labels.js';

/** Where an overlay deploys and writes, as its generated Namespace says. */
export interface OverlayPlacement {
  readonly name: string;
  readonly cluster?: string;
  readonly bucket?: string;
}

/**
 * Each overlay's cluster and bucket, read from overlays/<name>/namespace.yaml (the generator stamps
 * both there) rather than from the registry: reading the registry loads the TypeScript parser, which
 * would cost a one-overlay `check --changed-since` more than its whole check.
 */
export function overlayPlacements(root: string): OverlayPlacement[] {
  return overlayNames(root).map((name) => {
    const file = join(root, 'overlays', name, 'namespace.yaml');
    if (!existsSync(file)) return { name };
    try {
      const metadata = (loadYaml(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) as { metadata?: { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } } | undefined)?.metadata;
      const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
      return { name, cluster: text(metadata?.labels?.[CLUSTER_NAME_LABEL]), bucket: text(metadata?.annotations?.[BUCKET_ANNOTATION]) };
    } catch {
      return { name }; // A namespace.yaml that does not parse: the render reports it.
    }
  });
}

/**
 * The overlays a check of `selected` also needs: those on the same cluster (cluster-collision) or
 * writing to the same bucket (external-labels, compact-singleton), each with why. Rules across
 * overlays only see the overlays of one run, so a change to one overlay is still checked against them.
 */
export function peersOf(root: string, selected: readonly string[]): Array<{ name: string; reasons: string[] }> {
  const placements = overlayPlacements(root);
  const chosen = new Set(selected);
  const out: Array<{ name: string; reasons: string[] }> = [];
  for (const other of placements) {
    if (chosen.has(other.name)) continue;
    const reasons: string[] = [];
    for (const mine of placements.filter((p) => chosen.has(p.name))) {
      if (mine.cluster && mine.cluster === other.cluster) reasons.push(`shares cluster ${mine.cluster} with ${mine.name}`);
      if (mine.bucket && mine.bucket === other.bucket) reasons.push(`shares bucket ${mine.bucket} with ${mine.name}`);
    }
    if (reasons.length > 0) out.push({ name: other.name, reasons });
  }
  return out;
}
