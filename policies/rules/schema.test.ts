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
