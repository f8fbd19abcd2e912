import { describe, expect, it } from 'vitest';
import { parseStream } from '../../policies/engine/parse.js';
import { checkObjects } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';

/** Error findings of every rule on `yaml` read as --file input, as "rule Kind/name: message". */
function errors(yaml: string): string[] {
  const { findings } = checkObjects(parseStream(yaml, { file: 'in.yaml' }).objects, policies);
  return findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.kind}/${f.name}: ${f.message}`);
}

const secret = `apiVersion: v1
kind: Secret
metadata: {name: thanos-objstore, namespace: monitoring}
type: Opaque
data: {objstore.yml: ${Buffer.from('type: GCS\nconfig: {bucket: metrics}\n').toString('base64')}}
`;
const prometheus = (extra = '', thanos = 'version: v0.42.4') => `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  replicas: 2
  version: v3.13.2
  externalLabels: {cluster: eu-1}
  storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 20Gi}}}}}
${extra}  thanos:
    ${thanos}
    objectStorageConfig: {name: thanos-objstore, key: objstore.yml}
`;
const ruler = `apiVersion: monitoring.coreos.com/v1
kind: ThanosRuler
metadata: {name: tr, namespace: monitoring}
spec:
  replicas: 2
  version: v0.42.4
  queryEndpoints: ["dnssrv+_http._tcp.thanos-query.monitoring.svc.cluster.local"]
  objectStorageConfig: {name: thanos-objstore, key: objstore.yml}
`;
const query = (replicaLabels: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: thanos-query, namespace: monitoring}
spec:
  selector: {matchLabels: {app: thanos-query}}
  template:
    metadata: {labels: {app: thanos-query}}
    spec:
      containers:
      - name: thanos-query
        image: quay.io/thanos/thanos:v0.42.4
        args: [query, ${replicaLabels.map((l) => `--query.replica-label=${l}`).join(', ')}, "--endpoint.sd-config={endpoints: [{address: 'dnssrv+_grpc._tcp.prometheus-operated.monitoring.svc.cluster.local'}, {address: 'dnssrv+_grpc._tcp.thanos-ruler-operated.monitoring.svc.cluster.local'}]}"]
        ports: [{name: http, containerPort: 10902}, {name: grpc, containerPort: 10901}]
---
apiVersion: v1
kind: Service
metadata: {name: thanos-query, namespace: monitoring}
spec:
  selector: {app: thanos-query}
  ports: [{name: http, port: 10902, targetPort: http}, {name: grpc, port: 10901, targetPort: grpc}]
`;
/** The Thanos rules only: the pod-level rules (resources, probes...) do not look at what the operator makes. */
const thanosErrors = (yaml: string) =>
  errors(yaml).filter((e) => !/^(resources|probes|pod-security|network-policy|anti-affinity|pdb) Deployment/.test(e));

describe('prometheus-operator resources take part in the Thanos rules', () => {
  it('passes: a correct operator-based stack (Prometheus with sidecar, ThanosRuler, Query deduplicating both)', () => {
    expect(thanosErrors([prometheus(), ruler, query(['prometheus_replica', 'thanos_ruler_replica']), secret].join('---\n'))).toEqual([]);
  });

  it('fails: Query without the operator replica labels, an emptied replica label, a flag the sidecar image lacks', () => {
    const got = thanosErrors(
      [
        prometheus(
          '  replicaExternalLabelName: ""\n',
          'version: v0.30.2\n    additionalArgs: [{name: grpc-server-tls-min-version, value: "1.3"}]',
        ),
        ruler,
        query(['replica']),
        secret,
      ].join('---\n'),
    );
    expect(got).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^replica-labels Deployment\/thanos-query: .*does not list thanos_ruler_replica, the per-replica label of thanos rule StatefulSet thanos-ruler-tr/,
        ),
        expect.stringMatching(
          /^external-labels Prometheus\/k8s: StatefulSet prometheus-k8s \(which the operator creates\): 2 replicas share the external labels/,
        ),
        expect.stringMatching(
          /^thanos-flags Prometheus\/k8s: .*--grpc-server-tls-min-version first appears in v0.37; v0.30 refuses to start/,
        ),
      ]),
    );
    expect(
      got.every((e) => !/StatefulSet\/prometheus-k8s|StatefulSet\/thanos-ruler-tr/.test(e.split(':')[0])),
      'findings name the resource, not what the operator makes',
    ).toBe(true);
  });

  it('an Alertmanager resource is the alertmanager-operated Service a ruler points at; a misspelt name next to it fails', () => {
    const alertmanager =
      'apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: monitoring}\nspec: {replicas: 3}\n';
    const withUrl = (url: string) => ruler.replace('  objectStorageConfig', `  alertmanagersUrl: ["${url}"]\n  objectStorageConfig`);
    const stack = (url: string) =>
      [prometheus(), withUrl(url), query(['prometheus_replica', 'thanos_ruler_replica']), secret, alertmanager].join('---\n');
    expect(thanosErrors(stack('dnssrv+http://_web._tcp.alertmanager-operated.monitoring.svc.cluster.local'))).toEqual([]);
    expect(thanosErrors(stack('http://alertmanager-operated.monitoring.svc:9093'))).toEqual([]);
    expect(thanosErrors(stack('http://alertmanager-operatd.monitoring.svc:9093'))).toEqual([
      expect.stringMatching(
        /^wiring ThanosRuler\/tr: .*names Service alertmanager-operatd in namespace monitoring, which is not in the input/,
      ),
    ]);
  });

  it("a Service selecting the pods by spec.podMetadata labels finds them and their ports (web, reloader-web), as kube-prometheus' prometheus-k8s does", () => {
    const service = `apiVersion: v1\nkind: Service\nmetadata: {name: prometheus-k8s, namespace: monitoring}\nspec:\n  selector: {app.kubernetes.io/part-of: kube-prometheus, app.kubernetes.io/name: prometheus}\n  ports: [{name: web, port: 9090, targetPort: web}, {name: reloader-web, port: 8080, targetPort: reloader-web}]\n`;
    const withPodLabels = prometheus('  podMetadata: {labels: {app.kubernetes.io/part-of: kube-prometheus}}\n');
    expect(errors([withPodLabels, secret, service].join('---\n')).filter((e) => e.startsWith('service-selector'))).toEqual([]);
    // Judged as our own render (a profile): the pods a Service serves must be in the input.
    const { findings } = checkObjects(parseStream([prometheus(), secret, service].join('---\n'), { file: 'in.yaml' }).objects, policies, {
      profile: 'prod',
    });
    expect(findings.filter((f) => f.rule === 'service-selector').map((f) => `${f.severity}: ${f.message}`)).toEqual([
      expect.stringMatching(/^error: .*matches no pod template/),
    ]);
  });

  it('says once that a PrometheusAgent is validated but not modelled by the Thanos rules', () => {
    const agents = [1, 2]
      .map(
        (i) =>
          `apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: {name: a${i}, namespace: x}\nspec: {replicas: 1}\n`,
      )
      .join('---\n');
    const { findings } = checkObjects(parseStream(agents, { file: 'in.yaml' }).objects, policies);
    expect(findings.filter((f) => f.rule === 'schema')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        name: 'a1',
        message: expect.stringMatching(/^PrometheusAgent: the Thanos rules do not model/),
      }),
    ]);
  });

  it('says once that a kind is not understood', () => {
    const widgets = [1, 2, 3].map((i) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w${i}, namespace: x}\n`).join('---\n');
    const { findings } = checkObjects(parseStream(widgets, { file: 'in.yaml' }).objects, policies);
    const notes = findings.filter((f) => f.rule === 'schema');
    expect(notes).toEqual([
      expect.objectContaining({
        severity: 'warning',
        name: 'w1',
        message: expect.stringMatching(/no schema known for example.com\/v1 Widget; the 3 objects of this kind were not validated/),
      }),
    ]);
  });
});
