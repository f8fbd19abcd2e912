import { describe } from 'vitest';
import { policyTable } from '../testing/rule-cases.js';
import { schema } from './schema.js';

policyTable(schema, [
  {
    name: 'passes: valid Service and ExternalSecret (v1 aliased)',
    yaml: `apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\nspec:\n  secretStoreRef: {name: store, kind: ClusterSecretStore}\n  target: {name: thanos-objstore}\n  data:\n  - secretKey: objstore.yml\n    remoteRef: {key: thanos/objstore}\n`,
    expect: {},
  },
  {
    name: 'fails: wrong type, unknown kind, no kind',
    yaml: `apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec:\n  ports: [{port: eighty}]\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: v1\nmetadata: {name: nokind}\n`,
    expect: {
      'Service/bad': [/error: fails its schema: .*port/],
      'Widget/w': [/warning: no schema known for example.com\/v1 Widget/],
      '(no kind)/nokind': [/error: the object has no kind/],
    },
  },
]);

describe('schema (mutation)', () => {
  // A base64 value folded over lines (as the rule's comment says kustomize's generator may write it) is the
  // same bytes to the API server: its JSON decoder reads []byte with Go's encoding/base64, whose decoder
  // ignores \r and \n (encoding/base64 package documentation, "New line characters are ignored").
  const wrapped = [
    'dHlwZTogUzMKY29uZmlnOgogIGJ1Y2tldDogdGhh',
    'bm9zLW1ldHJpY3MKICBlbmRwb2ludDogczMuZXUt',
    'd2VzdC0xLmFtYXpvbmF3cy5jb20KICByZWdpb246',
    'IGV1LXdlc3QtMQo=',
  ];
  const agent = (name: string) =>
    `apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: {name: ${name}}\nspec:\n  replicas: 1\n`;
  policyTable(schema, [
    {
      name: 'passes: a Secret whose base64 value is folded over several lines, and a ConfigMap with free text',
      yaml: `apiVersion: v1\nkind: Secret\nmetadata: {name: objstore}\ntype: Opaque\ndata:\n  objstore.yml: |\n${wrapped.map((l) => `    ${l}`).join('\n')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\ndata:\n  text: "two words\\n  and a line"\n`,
      expect: {},
    },
    {
      name: 'passes: a Secret with stringData only (no data), as the dev MinIO overlay writes it',
      yaml: `apiVersion: v1\nkind: Secret\nmetadata: {name: minio}\nstringData:\n  objstore.yml: "type: S3"\n`,
      expect: {},
    },
    {
      name: 'fails: a Secret value that is not base64, and a Secret value that is a number (data takes strings)',
      yaml: `apiVersion: v1\nkind: Secret\nmetadata: {name: typo}\ndata:\n  password: "not base64!"\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: number}\ndata:\n  port: 5\n`,
      expect: {
        'Secret/typo': [/^error: fails its schema: .*password/],
        'Secret/number': [/^error: fails its schema: .*port/],
      },
    },
    {
      name: 'warns once per kind: two PrometheusAgents (not modelled) and three Widgets of an unknown kind',
      yaml: [
        agent('a'),
        agent('b'),
        ...['w1', 'w2', 'w3'].map((n) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${n}}\n`),
        'apiVersion: example.com/v2\nkind: Widget\nmetadata: {name: v2}\n',
      ].join('---\n'),
      expect: {
        'PrometheusAgent/a': [/^warning: PrometheusAgent: the Thanos rules do not model what the operator runs/],
        'Widget/w1': [
          /^warning: no schema known for example.com\/v1 Widget.*; the 3 objects of this kind were not validated, and no rule understands them$/,
        ],
        'Widget/v2': [/^warning: no schema known for example.com\/v2 Widget.*; the object was not validated/],
      },
    },
  ]);
});
