import type { StackConfig } from './stack.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { validateStack } from './validate-stack.js';
import { validateRegistry } from './validate-overlay.js';
import { overlayStack } from './overlay-stack.js';
import { effectiveOverlay, withFleet } from './fleet.js';
import { checkCustomizations, type UserRuleFile } from './customizations.js';

/**
 * The registry as a run plans from it. Each entry is checked once (its own fields, the rules across
 * entries, its customizations, its whole stack) and what one overlay takes from others (its
 * observer's bucket, its fleet wiring, the cluster's node-exporter) is derived once; generate,
 * new-overlay and remove-overlay build one and pass it down, and nothing below checks again.
 */
export interface RegistryModel {
  readonly entries: readonly OverlayDefinition[];
  /**
   * One overlay of the registry as planned. Derived (and its customizations and stack checked) on
   * first use, then kept: new-overlay derives only the overlays it writes, generate every one.
   */
  overlay(name: string): OverlayModel;
}

/** One overlay, checked and derived from the registry. */
export interface OverlayModel {
  /** The entry as the registry has it. */
  readonly entry: OverlayDefinition;
  /** The entry as planned: a leaf or agent with its observer's bucket and object-store settings. */
  readonly overlay: OverlayDefinition & { readonly bucket: string };
  /** Its whole stack: defaults, profile, role, its own switches and overrides, its fleet wiring. Checked. */
  readonly stack: StackConfig;
  /** Its rule files (`ruleFiles`), read and checked. */
  readonly ruleFiles: readonly UserRuleFile[];
  /** The overlay that runs node-exporter on its cluster (one per cluster), if any does. */
  readonly nodeExporterHost: string | undefined;
}

export interface RegistryModelOptions {
  /** Where the entries come from, as messages name it. */
  readonly where?: string;
  /** Entries whose own fields the caller has checked (new-overlay's, against the options that made it): not checked again. */
  readonly checked?: readonly string[];
  /**
   * A model of an earlier registry of the same run (remove-overlay plans the tree with and without
   * an entry): entries it holds unchanged are not checked again, and their rule files not read again.
   */
  readonly earlier?: RegistryModel;
}

/**
 * Checks the entries (each once; the rules across them) and returns the model overlays are planned
 * from; `root` is where rule files are read. Throws a UserError naming the entry and the field.
 */
export function registryModel(entries: readonly OverlayDefinition[], root: string, options: RegistryModelOptions = {}): RegistryModel {
  const where = options.where ?? 'settings/overlays.ts';
  const earlier = options.earlier;
  const unchanged = (entry: OverlayDefinition) => earlier?.entries.includes(entry) === true;
  validateRegistry(entries, where, new Set([...(options.checked ?? []), ...entries.filter(unchanged).map((e) => e.name)]));
  const hosts = new Map<string, string | undefined>();
  const hostOf = (cluster: string) => {
    if (!hosts.has(cluster)) hosts.set(cluster, nodeExporterHost(entries, cluster));
    return hosts.get(cluster);
  };
  const derived = new Map<string, OverlayModel>();
  return {
    entries,
    overlay(name) {
      const known = derived.get(name);
      if (known) return known;
      const entry = entries.find((e) => e.name === name);
      if (!entry) throw new Error(`no overlay '${name}' in the registry model`);
      const ruleFiles = unchanged(entry) ? earlier!.overlay(name).ruleFiles : checkCustomizations(entry, root, where);
      // A leaf or agent plans with its observer's bucket and object-store settings; its stack is wired to the fleet.
      const overlay = effectiveOverlay(entry, entries);
      const stack = withFleet(overlayStack(overlay), overlay, entries);
      validateStack(stack);
      const model: OverlayModel = { entry, overlay, stack, ruleFiles, nodeExporterHost: hostOf(entry.cluster) };
      derived.set(name, model);
      return model;
    },
  };
}

/**
 * The overlay that runs node-exporter on `cluster`: the first in the registry, on that cluster,
 * whose stack turns it on (it binds its port on every node, so one per cluster; the others scrape
 * it). Derived, so removing that overlay hands node-exporter to the next one.
 */
export function nodeExporterHost(entries: readonly OverlayDefinition[], cluster: string): string | undefined {
  return entries.find((entry) => entry.cluster === cluster && overlayStack(entry).nodeExporter.enabled)?.name;
}
