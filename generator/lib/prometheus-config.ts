/**
 * The parts of Prometheus' configuration file this stack writes, typed to the fields it uses
 * (names as in the file, so the objects serialise as they are). See
 * https://prometheus.io/docs/prometheus/latest/configuration/configuration/
 */

export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?:
    | 'replace'
    | 'keep'
    | 'drop'
    | 'labelmap'
    | 'labeldrop'
    | 'labelkeep'
    | 'hashmod'
    | 'keepequal'
    | 'dropequal'
    | 'lowercase'
    | 'uppercase';
}

export interface KubernetesSdConfig {
  readonly role: 'node' | 'service' | 'pod' | 'endpoints' | 'endpointslice' | 'ingress';
  readonly namespaces?: { readonly own_namespace?: boolean; readonly names?: readonly string[] };
  readonly selectors?: ReadonlyArray<{ readonly role: string; readonly label?: string; readonly field?: string }>;
}

export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface TlsConfig {
  readonly ca_file?: string;
  readonly server_name?: string;
  readonly insecure_skip_verify?: boolean;
}

export interface ScrapeConfig {
  readonly job_name: string;
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
  readonly metrics_path?: string;
  readonly scheme?: 'http' | 'https';
  readonly honor_labels?: boolean;
  readonly tls_config?: TlsConfig;
  readonly authorization?: { readonly type?: string; readonly credentials_file?: string };
  readonly static_configs?: readonly StaticConfig[];
  readonly kubernetes_sd_configs?: readonly KubernetesSdConfig[];
  readonly relabel_configs?: readonly RelabelConfig[];
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

export interface AlertmanagerConfig {
  readonly scheme?: 'http' | 'https';
  readonly path_prefix?: string;
  readonly api_version?: 'v2';
  readonly timeout?: string;
  readonly static_configs?: readonly StaticConfig[];
  readonly kubernetes_sd_configs?: readonly KubernetesSdConfig[];
  readonly relabel_configs?: readonly RelabelConfig[];
}

export interface AlertingConfig {
  readonly alert_relabel_configs?: readonly RelabelConfig[];
  readonly alertmanagers: readonly AlertmanagerConfig[];
}

/** The label Prometheus' Kubernetes discovery gives a pod label, e.g. app.kubernetes.io/name. */
export function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** Anchored regex matching exactly one literal value. */
export function exactly(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What monitoring/ writes into the Prometheus component: its scrape jobs, where it sends alerts,
 * and its rule files. build-stack.ts computes it and passes it in, so components never import monitoring/.
 */
export interface PrometheusMonitoring {
  readonly scrapeConfigs: readonly ScrapeConfig[];
  readonly alerting: AlertingConfig;
  /** Rule files as YAML text, by file name (`<name>.yaml`). */
  readonly ruleFiles: Readonly<Record<string, string>>;
}

/** What monitoring/ writes into the Ruler: its rule files and where it sends alerts. */
export interface RulerMonitoring {
  /** Rule files as YAML text, by file name (`<name>.yaml`). */
  readonly ruleFiles: Readonly<Record<string, string>>;
  /** The value of --alertmanagers.config. */
  readonly alertmanagersConfig: Readonly<Record<string, unknown>>;
}
