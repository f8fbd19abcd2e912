import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { serviceSelector } from './service-selector.js';

const service = (name: string, selector: Record<string, string> | undefined, ports: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'monitoring' },
  spec: { ...(selector ? { selector } : {}), ports },
});

policyTable(serviceSelector, [
  {
    name: 'passes: named and numbered target ports; a Service without selector',
    yaml: yamlOf(
      workload({ name: 'store', containers: [goodContainer()] }),
      service('store', { app: 'store' }, [
        { name: 'grpc', port: 10901, targetPort: 'grpc' },
        { name: 'http', port: 10902 },
      ]),
      service('external', undefined, [{ port: 443 }]),
    ),
    expect: {},
  },
  {
    name: 'fails: selector matches nothing; unknown port name; undeclared number',
    yaml: yamlOf(
      workload({ name: 'store', containers: [goodContainer()] }),
      service('typo', { app: 'stor' }, [{ port: 1 }]),
      service('store', { app: 'store' }, [
        { name: 'grpc', port: 10901, targetPort: 'grcp' },
        { name: 'web', port: 9090 },
      ]),
      // same labels in another namespace do not count
      { ...service('elsewhere', { app: 'store' }, [{ port: 10902 }]), metadata: { name: 'elsewhere', namespace: 'other' } },
    ),
    expect: {
      // Someone else's manifests may serve pods deployed apart: not checked.
      'Service/typo': [/^warning: selector app=stor matches no pod template in the input; not checked/],
      'Service/store': [/error: port grpc targets port name 'grcp'/, /warning: port web targets port 9090/],
      'Service/elsewhere': [/^warning: .*matches no pod template/],
    },
  },
  {
    name: 'fails with a profile: our renders hold every pod a Service serves',
    yaml: yamlOf(workload({ name: 'store', containers: [goodContainer()] }), service('typo', { app: 'stor' }, [{ port: 1 }])),
    settings: { profile: 'prod' },
    expect: { 'Service/typo': [/^error: selector app=stor matches no pod template in the input: the Service has no endpoints/] },
  },
]);

describe('service-selector (mutation)', () => {
  policyTable(serviceSelector, [
    {
      name: 'passes: an ExternalName Service with a selector, a numeric-string targetPort a container declares, an empty selector',
      yaml: yamlOf(
        workload({ name: 'store', containers: [goodContainer()] }),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'ext', namespace: 'monitoring' },
          spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'nothing' } },
        },
        service('by-number', { app: 'store' }, [{ name: 'grpc', port: 10901, targetPort: '10901' }]),
        service('empty', {}, [{ port: 1 }]),
      ),
      expect: {},
    },
    {
      name: 'fails: the messages name the selector, the port and the containers searched',
      yaml: yamlOf(
        workload({ name: 'store', containers: [goodContainer()] }),
        workload({ kind: 'StatefulSet', name: 'store-1', labels: { app: 'store' }, containers: [goodContainer({ ports: [] })] }),
        service('two', { app: 'stor', tier: 'x' }, [{ port: 1 }]),
        service('store', { app: 'store' }, [
          { port: 10901, targetPort: 'grcp' },
          { name: 'web', port: 80, targetPort: '9090' },
        ]),
      ),
      settings: { profile: 'dev' },
      expect: {
        'Service/two': [
          /^error: selector app=stor,tier=x matches no pod template in the input: the Service has no endpoints and every connection to it is refused$/,
        ],
        'Service/store': [
          /^error: port 10901 targets port name 'grcp', which no selected container declares \(Deployment store, StatefulSet store-1\)$/,
          /^warning: port web targets port 9090, which no selected container declares$/,
        ],
      },
    },
  ]);
});
