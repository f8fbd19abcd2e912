/** A port with the name probes, Services and `dnssrv+_<name>._tcp` refer to it by. */
export interface NamedPort {
  readonly name: string;
  readonly port: number;
}

/** Port numbers used across the stack; names are what `dnssrv+_<name>._tcp` and probes refer to. */
export const PORTS = {
  prometheusWeb: { name: 'web', port: 9090 },
  grpc: { name: 'grpc', port: 10901 },
  http: { name: 'http', port: 10902 },
  queryHttp: { name: 'http', port: 9090 },
  remoteWrite: { name: 'remote-write', port: 19291 },
  alertmanagerWeb: { name: 'web', port: 9093 },
  /** Alertmanager gossip: the same port number over TCP and UDP, hence two names. */
  alertmanagerMeshTcp: { name: 'mesh-tcp', port: 9094 },
  alertmanagerMeshUdp: { name: 'mesh-udp', port: 9094 },
} as const satisfies Record<string, NamedPort>;

/** kube-state-metrics' two ports: the objects' series, and its own. Its scrape job and NetworkPolicy name them too. */
export const KSM_PORTS = {
  metrics: { name: 'http-metrics', port: 8080 },
  telemetry: { name: 'telemetry', port: 8081 },
} as const satisfies Record<string, NamedPort>;

/** node-exporter's one port, on the node's network. Its scrape job and NetworkPolicy name it too. */
export const NODE_EXPORTER_PORT = { name: 'metrics', port: 9100 } as const satisfies NamedPort;

/** memcached's client port and its exporter's metrics port. Its scrape job and NetworkPolicy name them too. */
export const MEMCACHED_PORTS = {
  client: { name: 'client', port: 11211 },
  metrics: { name: 'metrics', port: 9150 },
} as const satisfies Record<string, NamedPort>;

/** Where Receive takes remote write on its remote-write port. */
export const RECEIVE_REMOTE_WRITE_PATH = '/api/v1/receive';

export function containerPort(p: NamedPort) {
  return { name: p.name, containerPort: p.port, protocol: 'TCP' as const };
}

export function listenAddress(p: NamedPort): string {
  return `0.0.0.0:${p.port}`;
}
