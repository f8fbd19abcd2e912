import type { IContainer } from 'kubernetes-models/v1/Container';
import { CONFIG_RELOADER_IMAGE } from '../../settings/versions.js';
import { containerResources, restrictedContainerSecurityContext } from '../lib/pod.js';
import type { NamedPort } from '../lib/objects.js';
import { containerPort, listenAddress } from '../../core/ports.js';

/** Port of the reloader's own /metrics and /healthz. */
export const CONFIG_RELOADER_PORT = { name: 'reloader-web', port: 8080 } as const satisfies NamedPort;

export interface ConfigReloaderSpec {
  /** Directories (mounted ConfigMaps or Secrets) whose changes trigger a reload. */
  readonly watchedDirs: readonly string[];
  /** The program's reload endpoint in the same pod, e.g. http://127.0.0.1:10902/-/reload. */
  readonly reloadUrl: string;
  readonly volumeMounts: NonNullable<IContainer['volumeMounts']>;
  /**
   * A configuration template and where to write it with `$(VAR)` filled in from the reloader's
   * environment (`env`); the reloader reloads after each rewrite. For a program without another
   * sidecar to do it (a Prometheus agent).
   */
  readonly configEnvsubst?: { readonly template: string; readonly output: string; readonly env: NonNullable<IContainer['env']> };
  /** Mounts the reloader writes to (the envsubst output). */
  readonly writableMounts?: NonNullable<IContainer['volumeMounts']>;
}

/**
 * A sidecar that reloads its neighbour when a mounted file changes: without it a new rule or
 * receiver only takes effect at the next restart, which nobody schedules.
 */
export function configReloaderContainer(spec: ConfigReloaderSpec): IContainer {
  const probe = {
    httpGet: { path: '/healthz', port: CONFIG_RELOADER_PORT.name, scheme: 'HTTP' as const },
    periodSeconds: 30,
    timeoutSeconds: 5,
    failureThreshold: 4,
  };
  return {
    name: 'config-reloader',
    image: CONFIG_RELOADER_IMAGE,
    args: [
      `--listen-address=${listenAddress(CONFIG_RELOADER_PORT)}`,
      `--reload-url=${spec.reloadUrl}`,
      ...(spec.configEnvsubst
        ? [`--config-file=${spec.configEnvsubst.template}`, `--config-envsubst-file=${spec.configEnvsubst.output}`]
        : []),
      ...spec.watchedDirs.map((dir) => `--watched-dir=${dir}`),
    ],
    ...(spec.configEnvsubst ? { env: [...spec.configEnvsubst.env] } : {}),
    ports: [containerPort(CONFIG_RELOADER_PORT)],
    livenessProbe: probe,
    readinessProbe: probe,
    resources: containerResources({ cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '64Mi' }),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [...spec.volumeMounts.map((mount) => ({ ...mount, readOnly: true })), ...(spec.writableMounts ?? [])],
  };
}
