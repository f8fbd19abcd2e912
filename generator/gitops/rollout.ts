import type { KubeObject } from '../build-stack.js';
import { parseDuration } from '../../core/units/duration.js';

/** A pod's way back to Ready after its replacement starts: image pull, TSDB/WAL replay, readiness probe. */
export const POD_START_SECONDS = 120;
/** Applying the objects and the first health poll (Flux polls every 5 s), once per reconciliation. */
export const APPLY_SECONDS = 300;
/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;
/** A reconciliation must end before the next begins (fluxcd/kustomize-controller docs/spec/v1/kustomizations.md:424-428 at v1.9.4). */
const INTERVAL_AFTER_TIMEOUT_SECONDS = 300;

interface Workload {
  readonly kind?: string;
  readonly spec?: {
    readonly replicas?: number;
    readonly template?: { readonly spec?: { readonly terminationGracePeriodSeconds?: number } };
  };
}

/**
 * The longest a rolling update of these objects may take when every pod uses its whole grace period:
 *
 *   max over workloads of  waves x (terminationGracePeriodSeconds + POD_START_SECONDS)  +  APPLY_SECONDS
 *
 * A StatefulSet replaces one pod at a time (RollingUpdate; `podManagementPolicy: Parallel` changes
 * scaling only), so its waves are its replicas; a Deployment at the default 25% maxUnavailable and
 * maxSurge replaces a quarter at a time, ceil(replicas / ceil(replicas / 4)) waves. An upper bound:
 * Prometheus and Receive usually stop in seconds, but a slow flush may use all of 600 s or 900 s.
 */
export function rolloutSeconds(objects: readonly KubeObject[]): number {
  let longest = 0;
  for (const object of objects as readonly Workload[]) {
    if (object.kind !== 'StatefulSet' && object.kind !== 'Deployment') continue;
    const replicas = object.spec?.replicas ?? 1;
    if (replicas <= 0) continue;
    const waves = object.kind === 'StatefulSet' ? replicas : Math.ceil(replicas / Math.ceil(replicas / 4));
    const grace = object.spec?.template?.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    longest = Math.max(longest, waves * (grace + POD_START_SECONDS));
  }
  return longest + APPLY_SECONDS;
}

const minutes = (seconds: number) => `${Math.ceil(seconds / 60)}m`;

/**
 * A Flux Kustomization's `timeout` and `interval` for an overlay that rolls out within `rollout`
 * seconds. With `wait: true` the timeout bounds apply and the health check of every object
 * (kustomization_controller.go:1061-1072 at v1.9.4), so it is at least the rollout bound (or the
 * settings' timeout, when longer); a timeout of the interval or more would run into the next
 * reconciliation, so the interval is raised to the timeout plus 5 minutes where needed. Whole
 * minutes: Flux takes ms/s/m/h only (api/v1/kustomization_types.go:162-167).
 */
export function fluxTiming(
  rollout: number,
  settings: { readonly interval: string; readonly timeout: string },
): { interval: string; timeout: string } {
  const configuredTimeout = (parseDuration(settings.timeout) ?? 0) / 1000;
  const configuredInterval = (parseDuration(settings.interval) ?? 0) / 1000;
  const timeout = Math.max(rollout, configuredTimeout);
  const interval = timeout < configuredInterval ? configuredInterval : timeout + INTERVAL_AFTER_TIMEOUT_SECONDS;
  return {
    timeout: timeout === configuredTimeout ? settings.timeout : minutes(timeout),
    interval: interval === configuredInterval ? settings.interval : minutes(interval),
  };
}
