import { yamlOf } from '../testing/fixtures.js';
import { allowQueryToStore, defaultDeny, frontend, headless, netpol, query, queryService, store } from '../testing/network-fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { networkFlow } from './network-flow.js';

policyTable(networkFlow, [
  {
    name: 'passes: default deny, and the discovery flow allowed on both ends (by number and by port name)',
    yaml: yamlOf(defaultDeny, ...allowQueryToStore, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {},
  },
  {
    name: 'passes: policies that do not isolate egress leave egress open',
    yaml: yamlOf(
      netpol('ingress-only', {}, { ingress: [{ from: [{ podSelector: {} }] }] }),
      headless('store', 'store', [['grpc', 10901]]),
      query,
      store,
    ),
    expect: {},
  },
  {
    name: 'passes: no NetworkPolicy at all isolates nothing, so nothing is blocked (network-policy judges that practice)',
    yaml: yamlOf(headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {},
  },
  {
    // Not a practice: an error for --file input without a profile too, since an enforcing CNI drops the connection.
    name: 'fails: default deny with no rule for the flow Query discovery needs (an error without --profile)',
    yaml: yamlOf(defaultDeny, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {
      'Deployment/query': [
        /^error: egress to StatefulSet store port 10901 \(grpc\) is not allowed.*dnssrv\+_grpc\._tcp\.store/,
        /^error: StatefulSet store does not allow ingress from it on port 10901/,
      ],
    },
  },
  {
    name: 'fails: egress allowed on the wrong port; the frontend downstream URL blocked at Query',
    yaml: yamlOf(
      defaultDeny,
      netpol(
        'query',
        { matchLabels: { app: 'query' } },
        { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'store' } } }], ports: [{ port: 10902 }] }] },
      ),
      netpol('store', { matchLabels: { app: 'store' } }, { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'query' } } }] }] }),
      netpol('frontend', { matchLabels: { app: 'frontend' } }, { policyTypes: ['Egress'], egress: [{}] }),
      headless('store', 'store', [['grpc', 10901]]),
      queryService,
      query,
      store,
      frontend,
    ),
    expect: {
      'Deployment/query': [/egress to StatefulSet store port 10901 \(grpc\) is not allowed/],
      'Deployment/frontend': [/Deployment query does not allow ingress from it on port 10902 \(http\).*downstream-url/],
    },
  },
]);
