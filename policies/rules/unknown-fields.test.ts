import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable, type PolicyCase } from '../testing/rule-cases.js';
import { OPERATOR_FIELDS, PINNED_OPERATOR } from '../lib/operator-fields.js';
import { FIELDS_PATH, installedSources } from '../build/strict-fields.js';
import { unknownFieldsPolicy } from './unknown-fields.js';

policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: every field known; maps (labels, annotations, data, resources) are open',
    yaml: yamlOf(
      workload({ name: 'q', annotations: { anything: 'x' }, containers: [goodContainer({ env: [{ name: 'A', value: 'b' }] })] }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { any: 'x' } }, data: { whatever: 'x' } },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es' },
        spec: {
          secretStoreRef: { name: 's', kind: 'ClusterSecretStore' },
          target: { name: 't' },
          data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
        },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { free: 1 } },
    ),
    expect: {},
  },
  {
    name: 'fails: a misspelt field at the top, in the pod template, in a container, in a CRD and in a Prometheus (the pinned operator has none)',
    yaml: yamlOf(
      workload({
        name: 'q',
        spec: { replica: 2 },
        podSpec: { nodeSelecter: { a: 'b' } },
        containers: [goodContainer({ imagePullPolcy: 'Always' })],
      }),
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es' },
        spec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' }, target: { name: 't' }, refreshIntreval: '1h' },
      },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { replica: 2 } },
    ),
    expect: {
      'Deployment/q': [
        /error: unknown field spec.replica:/,
        /error: unknown field spec.template.spec.nodeSelecter:/,
        /error: unknown field spec.template.spec.containers\[0\].imagePullPolcy:/,
      ],
      'ExternalSecret/es': [/error: unknown field spec.refreshIntreval/],
      'Prometheus/p': [
        /^error: unknown field spec.replica: monitoring.coreos.com\/v1 Prometheus has no such field in any prometheus-operator release up to v\d+\.\d+\.\d+, the one this project pins; the API server rejects it .* Did you mean 'replicas'\?$/,
      ],
    },
  },
]);

// Fields of the operator's CRDs per release: core/reference/prometheus-operator-fields-by-version.json.
policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: Prometheus and ThanosRuler fields the pinned operator serves, nested ones and open maps included',
    yaml: yamlOf(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'p' },
        spec: {
          replicas: 2,
          externalLabels: { any: 'x' },
          thanos: { image: 'quay.io/thanos/thanos:v0.42.4', objectStorageConfig: { name: 's', key: 'k' } },
          containers: [{ name: 'prometheus', imagePullPolicy: 'Always' }],
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ThanosRuler',
        metadata: { name: 't' },
        spec: { replicas: 2, queryEndpoints: ['x'] },
      },
    ),
    expect: {},
  },
  {
    name: 'fails: a typo nested in a container, with the nearest name',
    yaml: yamlOf({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'prometheus', imagePullPolcy: 'Always' }] },
    }),
    expect: { 'Prometheus/p': [/^error: unknown field spec.containers\[0\].imagePullPolcy: .* Did you mean 'imagePullPolicy'\?$/] },
  },
  // A field only operators newer than the pinned one serve (while there is one): upgrade, a warning.
  ...((): PolicyCase[] => {
    const table = OPERATOR_FIELDS;
    const pinned = table.releases.indexOf(PINNED_OPERATOR);
    const spec = table.types[table.kinds['monitoring.coreos.com/v1/Prometheus'][0]] as Record<string, readonly number[]>;
    const newer = Object.entries(spec).find(([, f]) => f[1] > pinned && table.types[f[0]] === null);
    if (!newer) return [];
    return [
      {
        name: `warns: spec.${newer[0]}, which only operators from ${table.releases[newer[1][1]]} serve`,
        yaml: yamlOf({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { [newer[0]]: 'x' } }),
        expect: {
          'Prometheus/p': [
            new RegExp(
              `^warning: field spec.${newer[0]}: .* from prometheus-operator ${table.releases[newer[1][1]]}, newer than the ${PINNED_OPERATOR} this project pins, whose CRD rejects it; upgrade the operator`,
            ),
          ],
        },
      },
    ];
  })(),
]);

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
    ],
  },
};
const widget = (spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'x' },
  spec,
});

policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: a custom resource within the CRD in the input (maps and preserved fields open)',
    yaml: yamlOf(crd, widget({ size: 1, labels: { a: 'b' }, raw: { anything: { goes: 1 } } })),
    expect: {},
  },
  {
    name: 'fails: a field the CRD in the input does not define',
    yaml: yamlOf(crd, widget({ sise: 1 })),
    expect: { 'Widget/w': [/error: unknown field spec.sise/] },
  },
]);

describe('policies/lib/strict-fields.json', () => {
  it('was built from the installed kubernetes-models declarations (run `npm run docs` after upgrading them)', () => {
    const committed = JSON.parse(readFileSync(FIELDS_PATH, 'utf8')) as { packages: Record<string, string>; sources: string };
    const installed = installedSources();
    expect(committed.packages).toEqual(installed.packages);
    expect(committed.sources).toBe(installed.sources);
  });
});
