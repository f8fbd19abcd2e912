import { describe, expect, it } from 'vitest';
import { parseSrv } from './discovery.js';

describe('parseSrv: the Service a dnssrv+ address names', () => {
  it.each([
    [
      'dnssrv+_grpc._tcp.thanos-store.thanos.svc.cluster.local',
      { port: 'grpc', proto: 'tcp', service: 'thanos-store', namespace: 'thanos' },
    ],
    ['dnssrvnoa+_client._tcp.memcached.monitoring.svc', { port: 'client', proto: 'tcp', service: 'memcached', namespace: 'monitoring' }],
    // No namespace, or the namespace in the search path: the container's own.
    ['dnssrv+_grpc._tcp.thanos-store', { port: 'grpc', proto: 'tcp', service: 'thanos-store', namespace: 'own' }],
    ['dnssrv+_grpc._tcp.thanos-store.svc', { port: 'grpc', proto: 'tcp', service: 'thanos-store', namespace: 'own' }],
    ['dnssrv+http://_web._tcp.store.ns.svc/path', { port: 'web', proto: 'tcp', service: 'store', namespace: 'ns' }],
    // No _port._proto: Kubernetes publishes no such SRV record (discovery-headless reports it).
    ['dnssrv+thanos-store.thanos.svc:10901', { port: undefined, proto: undefined, service: 'thanos-store', namespace: 'thanos' }],
  ])('%s', (address, srv) => {
    expect(parseSrv(address, 'own')).toEqual(srv);
  });
  it('leaves a namespace from an unresolved variable unknown, and is undefined for other addresses', () => {
    expect(parseSrv('dnssrv+_grpc._tcp.thanos-store.$(NS).svc.cluster.local', 'own')?.namespace).toBeUndefined();
    expect(parseSrv('dns+memcached.monitoring.svc:11211', 'own')).toBeUndefined();
    expect(parseSrv('thanos-store:10901', 'own')).toBeUndefined();
  });
});
