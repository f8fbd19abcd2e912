/**
 * The name a pin of settings/versions.ts goes by on the command line, from its image constant:
 * THANOS_IMAGE -> thanos, KUBE_STATE_METRICS_IMAGE -> kube-state-metrics. Apart from the AST reader
 * (versions-file.ts), so the CLI names its options without loading ts-morph.
 */
export function pinName(imageConstant: string): string {
  return imageConstant
    .replace(/_IMAGE$/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}
