import { parse } from 'yaml';
import type { KubeObject } from '../build-stack.js';
import { COMPACT_NAME, PROMETHEUS_NAME, RECEIVE_NAME, RULER_NAME, STORE_NAME } from '../../core/names.js';
import { PROMETHEUS_CONFIG_TEMPLATE_KEY } from '../components/prometheus.js';
import { stringify } from '../../core/yaml.js';
import type { STORAGE_VOLUMES, OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { customizationError as fail, type UserRuleFile } from '../model/customizations.js';

/**
 * The customization fields of an entry (checked, and its rule files read, in
 * generator/model/customizations.ts) applied to the overlay's objects; the SOPS recipients are
 * applied in secrets.ts.
 */

const STATEFULSET_VOLUME: Readonly<Record<string, (typeof STORAGE_VOLUMES)[number]>> = {
  [PROMETHEUS_NAME]: 'prometheus',
  [STORE_NAME]: 'store',
  [COMPACT_NAME]: 'compact',
  [RECEIVE_NAME]: 'receive',
  [RULER_NAME]: 'ruler',
};

/** The StorageClass for a volume: its own entry, else `all`, else none (the cluster's default). */
export function storageClassFor(overlay: OverlayDefinition, volume: (typeof STORAGE_VOLUMES)[number]): string | undefined {
  return overlay.storageClassName?.[volume] ?? overlay.storageClassName?.all;
}

/**
 * The overlay's objects with the customization fields applied (checked before): StorageClass on
 * each claim template, scrape jobs appended to the Prometheus config, rule files (as read) in its rules ConfigMap.
 */
export function applyCustomizations(overlay: OverlayDefinition, ruleFiles: readonly UserRuleFile[], objects: KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
    const o = object as KubeObject & Record<string, any>;
    // Shards (thanos-store-0, thanos-receive-ingestor-default) share their component's governing Service.
    const volume = o.kind === 'StatefulSet' ? STATEFULSET_VOLUME[o.spec.serviceName ?? o.metadata.name] : undefined;
    const storageClass = volume ? storageClassFor(overlay, volume) : undefined;
    if (storageClass) {
      for (const claim of o.spec.volumeClaimTemplates ?? []) claim.spec.storageClassName = storageClass;
    }
    if (o.kind === 'ConfigMap' && o.metadata.name === `${PROMETHEUS_NAME}-config` && overlay.scrapeJobs?.length) {
      const config = parse(o.data[PROMETHEUS_CONFIG_TEMPLATE_KEY]) as { scrape_configs?: Array<{ job_name: string }> };
      const generated = new Set((config.scrape_configs ?? []).map((job) => job.job_name));
      overlay.scrapeJobs.forEach((job, index) => {
        if (generated.has(job.job_name))
          fail(
            overlay,
            `scrapeJobs[${index}].job_name`,
            `'${job.job_name}' is a job the generator already writes; give yours another name`,
            'settings/overlays.ts',
          );
      });
      // Appended after the generated jobs: the generated part of the file reads as before.
      config.scrape_configs = [...(config.scrape_configs ?? []), ...overlay.scrapeJobs];
      o.data = { ...o.data, [PROMETHEUS_CONFIG_TEMPLATE_KEY]: stringify(config) };
    }
    if (o.kind === 'ConfigMap' && o.metadata.name === `${PROMETHEUS_NAME}-rules` && ruleFiles.length > 0) {
      o.data = { ...o.data, ...Object.fromEntries(ruleFiles.map(({ key, text }) => [key, text])) };
    }
    return o;
  });
}
