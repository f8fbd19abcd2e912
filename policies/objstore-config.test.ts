import { goodContainer, workload, yamlOf } from './engine/fixtures.js';
import { policyTable } from './engine/testing.js';
import { objstoreConfig } from './objstore-config.js';

const mount = [{ name: 'objstore', mountPath: '/etc/thanos/objstore', readOnly: true }];
const component = (name: string, sub: string, secret: string, key = 'objstore.yml', ns = 'monitoring') =>
  workload({
    kind: 'StatefulSet',
    name,
    namespace: ns,
    containers: [goodContainer({ args: [sub, '--objstore.config-file', `/etc/thanos/objstore/${key}`], volumeMounts: mount })],
    volumes: [{ name: 'objstore', secret: { secretName: secret } }],
  });
const externalSecret = (name: string, template?: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: `${name}-es`, namespace: 'monitoring' },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
    target: { name, ...(template ? { template: { data: { 'objstore.yml': template } } } : {}) },
    data: [{ secretKey: template ? 'access_key' : 'objstore.yml', remoteRef: { key: 'thanos' } }],
  },
});

policyTable(objstoreConfig, [
  {
    name: 'passes: store, compact and sidecar on one ExternalSecret with a templated S3 config',
    yaml: yamlOf(
      externalSecret('thanos-objstore', 'type: S3\nconfig:\n  bucket: metrics\n  endpoint: s3.eu-west-1.amazonaws.com\n  access_key: {{ .access_key | toJson }}\n'),
      component('store', 'store', 'thanos-objstore'),
      component('compact', 'compact', 'thanos-objstore'),
    ),
    expect: {},
  },
  {
    name: 'fails (warning): the Secret is made outside the input, which makes no Secrets at all',
    yaml: yamlOf(component('store', 'store', 'thanos-objstore')),
    expect: { 'StatefulSet/store': [/warning: container app: Secret thanos-objstore is not in the input .*must exist in the cluster/] },
  },
  {
    name: 'fails: kube-thanos style --objstore.config=$(OBJSTORE_CONFIG) from a secretKeyRef, config visible in the Secret',
    yaml: `apiVersion: v1
kind: Secret
metadata: {name: thanos-objectstorage, namespace: thanos}
stringData:
  thanos.yaml: |
    type: s3
    config: {bucket: thanos}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: thanos-store, namespace: thanos}
spec:
  serviceName: thanos-store
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec:
      containers:
      - name: thanos-store
        image: quay.io/thanos/thanos:v0.42.4
        args: [store, --objstore.config=$(OBJSTORE_CONFIG)]
        env:
        - name: OBJSTORE_CONFIG
          valueFrom: {secretKeyRef: {name: thanos-objectstorage, key: thanos.yaml}}
`,
    expect: { 'StatefulSet/thanos-store': [/container thanos-store: objstore S3 config lacks the required endpoint/] },
  },
  {
    name: 'passes: a SealedSecret with the key',
    yaml: yamlOf(
      { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'objstore', namespace: 'monitoring' }, spec: { encryptedData: { 'objstore.yml': 'AgB...' } } },
      component('store', 'store', 'objstore'),
    ),
    expect: {},
  },
  {
    name: 'fails: different Secrets, missing key, unknown provider, missing required keys, no config, Secret absent',
    yaml: yamlOf(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'monitoring' }, stringData: { 'objstore.yml': 'type: S3\nconfig:\n  bucket: x\n  color: blue\n' } },
      component('store', 'store', 'a'),
      component('compact', 'compact', 'a'),
      externalSecret('b'),
      component('rule', 'rule', 'b', 'bucket.yaml'),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', namespace: 'monitoring' }, stringData: { 'objstore.yml': 'type: DROPBOX\n' } },
      component('recv', 'receive', 'c'),
      workload({ kind: 'StatefulSet', name: 'bare', containers: [goodContainer({ command: ['thanos', 'store'] })] }),
      component('side', 'sidecar', 'gone', 'objstore.yml', 'other'),
    ),
    expect: {
      'StatefulSet/store': [/lacks the required endpoint/, /warning: .*keys Thanos does not read: color/],
      'StatefulSet/compact': [/lacks the required endpoint/, /warning: .*color/],
      'StatefulSet/rule': [/uses Secret b key bucket.yaml, but the other components use Secret a key objstore.yml/, /ExternalSecret b-es makes Secret b without the key bucket.yaml \(it has objstore.yml\)/],
      'StatefulSet/recv': [/uses Secret c key objstore.yml, but the other/, /objstore type DROPBOX is not one Thanos knows/],
      'StatefulSet/bare': [/thanos store needs object storage but has no --objstore.config-file/],
      'StatefulSet/side': [/uses Secret gone/, /error: container app: Secret gone is not in the input .*though the input makes other Secrets/],
    },
  },
]);
