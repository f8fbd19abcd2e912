import { asArray, asRecord, mapSelects, sameNamespace } from '../lib/model.js';
import { practiceBinds } from '../lib/profile.js';
import type { Diagnostic, Policy } from '../lib/types.js';

export const serviceSelector: Policy = {
  id: 'service-selector',
  severity: 'error',
  description:
    "Every Service with a selector selects a workload's pods in the input, and each target port (name or number) is a container port of those pods.",
  remediation:
    'Make the Service selector match the pod template labels and set each targetPort to a port name or number the containers declare.',
  kinds: ['Service'],
  check({ object, index, input, settings }) {
    const spec = asRecord(object.spec);
    if (!spec || spec.type === 'ExternalName') return [];
    const selector = asRecord(spec.selector);
    if (!selector || Object.keys(selector).length === 0) return [];
    const pods = index.workloads.filter((w) => sameNamespace(w.namespace, object.metadata.namespace) && mapSelects(selector, w.podLabels));
    if (pods.length === 0) {
      const text = `selector ${Object.entries(selector)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')} matches no pod template in the input`;
      // Our renders hold every pod they serve. Someone else's manifests may serve pods deployed apart
      // (kube-thanos' sidecar Service selects the Prometheus pods kube-prometheus runs): not checked.
      if (!practiceBinds(index, input, settings))
        return [{ message: `${text}; not checked, its pods may come from manifests outside the input`, severity: 'warning' }];
      return [{ message: `${text}: the Service has no endpoints and every connection to it is refused` }];
    }
    const names = new Set<string>();
    const numbers = new Set<number>();
    for (const w of pods) {
      for (const c of w.containers) {
        for (const p of asArray(c.raw.ports)) {
          const port = asRecord(p);
          if (typeof port?.name === 'string') names.add(port.name);
          if (typeof port?.containerPort === 'number') numbers.add(port.containerPort);
        }
      }
    }
    const out: Diagnostic[] = [];
    for (const p of asArray(spec.ports)) {
      const port = asRecord(p);
      if (!port) continue;
      const target = port.targetPort ?? port.port;
      const label = `port ${String(port.name ?? port.port)}`;
      if (typeof target === 'string' && !/^\d+$/.test(target)) {
        if (!names.has(target))
          out.push({
            message: `${label} targets port name '${target}', which no selected container declares (${pods.map((w) => `${w.kind} ${w.name}`).join(', ')})`,
          });
      } else if (target !== undefined && !numbers.has(Number(target))) {
        // A container may listen on a port it does not declare; the Service still works then.
        out.push({ message: `${label} targets port ${String(target)}, which no selected container declares`, severity: 'warning' });
      }
    }
    return out;
  },
};
