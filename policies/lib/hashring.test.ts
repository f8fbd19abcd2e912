import { describe, expect, it } from 'vitest';
import { endpointKey, parseEndpoint } from './hashring.js';

describe('parseEndpoint: a hashring entry as the StatefulSet pod it names', () => {
  it.each([
    [
      'receive-0.receive.monitoring.svc.cluster.local:10901',
      { pod: 'receive-0', service: 'receive', namespace: 'monitoring', port: '10901' },
    ],
    ['receive-1.receive.monitoring.svc:10901', { pod: 'receive-1', service: 'receive', namespace: 'monitoring', port: '10901' }],
    ['receive-2.receive:10901', { pod: 'receive-2', service: 'receive', namespace: 'own', port: '10901' }],
    [
      'receive-0.receive.$(NAMESPACE).svc.cluster.local:10901',
      { pod: 'receive-0', service: 'receive', namespace: undefined, port: '10901' },
    ],
    ['receive-0.receive.monitoring', { pod: 'receive-0', service: 'receive', namespace: 'monitoring', port: undefined }],
  ])('%s', (address, parsed) => {
    expect(parseEndpoint(address, 'own')).toEqual(parsed);
  });
  it('is undefined for what is no pod DNS name', () => {
    expect(parseEndpoint('receive:10901', 'own')).toBeUndefined();
    expect(parseEndpoint('a.b.c.d.e:10901', 'own')).toBeUndefined();
  });
  it('keys an entry and a pod alike, unknown parts as ?', () => {
    const entry = parseEndpoint('receive-0.receive.monitoring.svc.cluster.local:10901', 'own')!;
    expect(endpointKey(entry)).toBe(endpointKey({ pod: 'receive-0', service: 'receive', namespace: 'monitoring', port: '10901' }));
    expect(endpointKey({ pod: 'p', service: 's' })).toBe('p.s.?:?');
  });
});
