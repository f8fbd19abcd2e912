import { asArray, asRecord } from '../lib/model.js';
import type { Policy } from '../lib/types.js';

/** The older annotation form some clouds still read beside the field. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export const loadBalancerSourceRanges: Policy = {
  id: 'load-balancer-source-ranges',
  severity: 'warning',
  description: 'A LoadBalancer Service names the client CIDRs it admits (`loadBalancerSourceRanges`).',
  remediation:
    "Set the clients' CIDRs: expose.sourceRanges in the registry entry (e.g. the observer's egress addresses), or spec.loadBalancerSourceRanges on your own Service.",
  kinds: ['Service'],
  check({ object }) {
    const spec = asRecord(object.spec);
    if (spec?.type !== 'LoadBalancer') return [];
    if (asArray(spec.loadBalancerSourceRanges).length > 0) return [];
    if (asRecord(asRecord(object.metadata)?.annotations)?.[SOURCE_RANGES_ANNOTATION]) return [];
    return [
      {
        message:
          'type LoadBalancer without loadBalancerSourceRanges: the cloud opens the load balancer to every address on the internet (only the pod behind it refuses strangers); list the CIDRs of the clients that may connect',
      },
    ];
  },
};
