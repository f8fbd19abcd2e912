import { goodContainer, workload, yamlOf } from './engine/fixtures.js';
import { policyTable } from './engine/testing.js';
import { thanosFlags } from './thanos-flags.js';

policyTable(thanosFlags, [
  {
    name: 'passes: known flags in --a=b, --a b, --no-x and command: [thanos, ...] forms',
    yaml: yamlOf(
      workload({ name: 'query', containers: [goodContainer({ args: ['query', '--grpc-address=0.0.0.0:10901', '--query.replica-label', 'replica', '--no-query.auto-downsampling'] })] }),
      workload({ name: 'store', containers: [goodContainer({ image: 'docker.io/thanosio/thanos:v0.42.4', command: ['/bin/thanos', 'store'], args: ['--data-dir', '/data', '--objstore.config-file', '/etc/objstore.yml'] })] }),
      workload({ name: 'prom', containers: [goodContainer({ image: 'prom/prometheus:v3.0.0', args: ['--unknown.flag=1'] })] }),
      // Not Thanos, though the image names it: the receive controller has flags of its own.
      workload({ name: 'controller', containers: [goodContainer({ image: 'quay.io/observatorium/thanos-receive-controller:v0.1', command: ['thanos-receive-controller'], args: ['--configmap-name=hashring'] })] }),
    ),
    expect: {},
  },
  {
    name: 'fails: removed --store, unknown flag, deprecated --endpoint, other version',
    yaml: yamlOf(
      workload({ name: 'query', containers: [goodContainer({ args: ['query', '--store', 'dnssrv+_grpc._tcp.store', '--endpoint=x:10901', '--no-such-flag'] })] }),
      workload({ name: 'old', containers: [goodContainer({ image: 'thanosio/thanos:v0.30.0', command: ['thanos', 'compact'], args: ['--wait'] })] }),
    ),
    expect: {
      'Deployment/query': [/error: .*--store was removed v0.38.0/, /warning: .*--endpoint is deprecated/, /error: .*has no flag --no-such-flag/],
      'Deployment/old': [/warning: container app runs Thanos v0.30.0; its flags are checked against v0.42.4/],
    },
  },
]);
