import { withoutRetentionBlock } from '../../policies/lib/promtool.js';

/**
 * Debian's promtool (2.42) is built without Kubernetes service discovery and rejects the
 * `kubernetes_sd_configs` field itself. Before promtool reads a config, every such block, in scrape
 * jobs and in Alertmanager discovery alike, becomes a static target; everything else
 * (relabelling, alerting, external labels) stays as the generator wrote it and is checked for real.
 */
export function withStaticTargets(config: Record<string, any>): { config: Record<string, any>; swapped: number } {
  const out = structuredClone(config);
  let swapped = 0;
  const swap = (block: Record<string, any>, name: string) => {
    if (!block.kubernetes_sd_configs) return;
    delete block.kubernetes_sd_configs;
    block.static_configs = [...(block.static_configs ?? []), { targets: [`${name}.example.invalid:80`] }];
    swapped += 1;
  };
  for (const job of out.scrape_configs ?? []) swap(job, job.job_name);
  for (const [index, alertmanager] of (out.alerting?.alertmanagers ?? []).entries()) swap(alertmanager, `alertmanager-${index}`);
  return { config: out, swapped };
}

/**
 * What Debian's promtool 2.42 can read of a generated v3 config: Kubernetes SD swapped for static
 * targets, and the `storage.tsdb.retention` block (Prometheus v3.8+, which every server config of the
 * pinned v3.13 has) taken out, as the `promtool` rule does (policies/lib/promtool.ts).
 */
export function forDebianPromtool(config: Record<string, any>): { config: Record<string, any>; swapped: number } {
  return withStaticTargets(withoutRetentionBlock(config));
}
