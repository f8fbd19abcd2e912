import type { StackConfig } from '../model/stack.js';
import type { KubeObject } from '../../core/kube/kube-object.js';
import { PORTS } from '../../core/ports.js';
import { dropUndefined } from '../../core/yaml.js';
import { exposureObjects, fleetCertificate, fleetTlsMounts } from './fleet-tls.js';
import { queryIdentity } from './query.js';
import { receiveIdentity } from './receive.js';

/**
 * What an overlay's fleet role adds beside its components: a cert-manager Certificate for each
 * certificate it presents across clusters, and the exposure of its cross-cluster endpoint (a leaf's
 * Query gRPC, an observer's Receive remote write). Nothing for a `full` stack.
 */
export function fleetObjects(stack: StackConfig): KubeObject[] {
  const f = stack.fleet;
  const certificates = fleetTlsMounts(stack).map((mount) => dropUndefined(fleetCertificate(stack, mount)) as KubeObject);
  const exposed: KubeObject[] = [];
  if (f.role === 'leaf' && f.exposure) exposed.push(...exposureObjects(queryIdentity(stack), f.exposure, PORTS.grpc));
  if (f.role === 'observer' && f.exposure && stack.receive.enabled)
    exposed.push(...exposureObjects(receiveIdentity(stack), f.exposure, PORTS.remoteWrite));
  return [...certificates, ...exposed];
}
