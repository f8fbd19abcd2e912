import { externalLabels } from './external-labels.js';
import { policyTable } from './engine/testing.js';

/** A hand-written Prometheus with a sidecar: config from a ConfigMap mounted with subPath, env substituted by the sidecar. */
const prometheus = (name: string, config: string, replicas = 2) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config}
data:
  prometheus.yml: |
${config.split('\n').map((l) => `    ${l}`).join('\n')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: prometheus
        image: prom/prometheus:v2.53.0
        args: [--config.file, /etc/prometheus/prometheus.yml]
        volumeMounts: [{name: config, mountPath: /etc/prometheus/prometheus.yml, subPath: prometheus.yml}]
      - name: thanos
        image: thanosio/thanos:v0.42.4
        args: [sidecar, --tsdb.path=/prometheus]
        env: [{name: HOST, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
      volumes: [{name: config, configMap: {name: ${name}-config}}]
`;

policyTable(externalLabels, [
  {
    name: 'passes: a per-pod label through --config.file with subPath',
    yaml: prometheus('prom', 'global:\n  external_labels:\n    cluster: eu\n    replica: $(HOST)'),
    expect: {},
  },
  {
    name: 'fails: no external labels; the same labels on every replica',
    yaml: `${prometheus('none', 'global:\n  scrape_interval: 30s')}---${prometheus('same', 'global:\n  external_labels:\n    cluster: eu')}`,
    expect: {
      'StatefulSet/none': [/has no global.external_labels; the Thanos sidecar refuses to start/],
      'StatefulSet/same': [/2 replicas share the external labels cluster=eu/],
    },
  },
  {
    name: 'fails (warning): config ConfigMap missing from the input',
    yaml: prometheus('lost', 'global: {}').replace(/^apiVersion: v1\nkind: ConfigMap[\s\S]*?---/m, ''),
    expect: { 'StatefulSet/lost': [/warning: cannot see the Prometheus config to check external labels: ConfigMap lost-config/] },
  },
]);
