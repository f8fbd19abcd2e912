import { createServer, type Server } from 'node:http';

/** One webhook call as Alertmanager's webhook integration sends it (notify/webhook: version 4). */
export interface Notification {
  /** The receiver whose URL was called (the path is the receiver's name). */
  readonly receiver: string;
  /** When the call arrived, in ms since the epoch. */
  readonly at: number;
  readonly status: 'firing' | 'resolved';
  readonly groupKey: string;
  /** The Alertmanager that sent the call (its --web.external-url), to tell two peers' calls apart. */
  readonly sender: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: ReadonlyArray<{ readonly status: string; readonly labels: Readonly<Record<string, string>>; readonly startsAt: string }>;
}

/** The receivers of the suite: one loopback HTTP server standing in for chat, pager and dead-man's switch. */
export class WebhookReceiver {
  readonly notifications: Notification[] = [];
  private server?: Server;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const at = Date.now();
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          this.notifications.push({
            receiver: (request.url ?? '/').slice(1),
            at,
            status: body.status,
            groupKey: body.groupKey,
            sender: body.externalURL ?? '',
            groupLabels: body.groupLabels ?? {},
            alerts: body.alerts ?? [],
          });
          response.writeHead(200).end();
        } catch {
          response.writeHead(400).end('not JSON\n');
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  /** The URL Alertmanager should call for `receiver`. */
  url(receiver: string): string {
    return `http://127.0.0.1:${this.port}/${receiver}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
