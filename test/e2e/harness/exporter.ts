import { createServer, type Server } from 'node:http';

/**
 * The Thanos pods of the suite: one loopback listener per container port, each answering Prometheus'
 * scrape with the metrics the test sets for that pod and container, or a 503 while the test has
 * taken the pod down. Only names that the pinned releases export are accepted (the inventory the
 * dashboards are checked against), so a history written here is one a real pod could produce.
 */
export class SyntheticExporter {
  private readonly servers: Server[] = [];
  private readonly state = new Map<string, { down: boolean; metrics: Map<string, number> }>();

  constructor(
    private readonly knownMetrics: ReadonlySet<string>,
    private readonly startedAt = Date.now() / 1000,
  ) {}

  private entry(pod: string, container: string) {
    const key = `${pod}/${container}`;
    let entry = this.state.get(key);
    if (!entry) {
      // Every Go process exports its start time; the rules' process-age gates read it.
      entry = { down: false, metrics: new Map([['process_start_time_seconds', this.startedAt]]) };
      this.state.set(key, entry);
    }
    return entry;
  }

  /** A new listener on 127.0.0.1 for this pod's container; resolves to its address. */
  async listen(pod: string, container: string): Promise<string> {
    this.entry(pod, container);
    const server = createServer((request, response) => {
      const entry = this.entry(pod, container);
      if (entry.down) {
        response.writeHead(503).end('down on purpose\n');
        return;
      }
      const body = [...entry.metrics].map(([name, value]) => `${name} ${value}`).join('\n');
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${body}\n`);
      request.resume();
    });
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  set(pod: string, container: string, metric: string, value: number): void {
    if (!this.knownMetrics.has(metric)) {
      throw new Error(`exporter: ${metric} is not exported by the pinned releases (generator/monitoring/inventory/metrics.json)`);
    }
    this.entry(pod, container).metrics.set(metric, value);
  }

  /** Scrapes of the pod's container fail (HTTP 503) while down, as a pod that is gone or not answering. */
  setDown(pod: string, container: string, down: boolean): void {
    this.entry(pod, container).down = down;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        return closed;
      }),
    );
  }
}
