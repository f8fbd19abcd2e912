import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Real processes for the end-to-end suite: each in its own process group (detached), so stopping
 * it also stops anything it started, and every one registered so that the suite's afterAll kills
 * what is left, also when a test failed halfway.
 */
export class ProcessGroup {
  private readonly running = new Set<ManagedProcess>();
  private readonly cleanups: Array<() => void> = [];

  constructor() {
    // Detached groups outlive this process unless killed: also when the test runner exits early or
    // is interrupted, not only through afterAll.
    process.once('exit', () => this.cleanUp());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        this.cleanUp();
        process.kill(process.pid, signal);
      });
    }
  }

  /** Synchronous work (removing temporary directories) to do after the processes are killed, once. */
  atCleanUp(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Kills what is left, then runs the registered clean-ups; a second call does nothing more. */
  cleanUp(): void {
    this.killAll();
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // Best effort: one failed removal must not keep the others from running.
      }
    }
  }

  /** `binary` from PATH with `args`, stdout and stderr appended to `logFile`. Fails fast when the binary is missing. */
  start(name: string, binary: string, args: readonly string[], logFile: string): ManagedProcess {
    if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) {
      throw new Error(
        `${binary} not found on PATH: install it (Debian: apt-get install -y prometheus prometheus-alertmanager; .ci/tools does this)`,
      );
    }
    const log = openSync(logFile, 'a');
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    const managed = new ManagedProcess(name, child, logFile);
    this.running.add(managed);
    child.once('exit', () => this.running.delete(managed));
    return managed;
  }

  /** Kills every process group still running (SIGKILL: this is the cleanup path, not a graceful stop). */
  killAll(): void {
    for (const process of this.running) process.kill('SIGKILL');
    this.running.clear();
  }
}

export class ManagedProcess {
  private exited: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.alive || this.child.pid === undefined) return;
    try {
      // The negative pid is the process group the detached child leads.
      process.kill(-this.child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it is gone. */
  async stop(graceMs: number): Promise<void> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines of its log, for a failure message. */
  tail(lines = 15): string {
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }
}

/** Ports handed out but maybe not bound yet: the kernel may offer a closed one again. */
const handedOut = new Set<number>();

/**
 * A TCP port free on 127.0.0.1 now (the kernel picks it), for a process that must be told its port
 * up front; never one handed out before in this run.
 */
export async function freePort(alsoUdp = false): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (handedOut.has(port)) continue;
    if (!alsoUdp) {
      handedOut.add(port);
      return port;
    }
    // Alertmanager's gossip listens on TCP and UDP with one port number.
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free TCP+UDP port on 127.0.0.1 after 20 attempts');
}

/** Polls `check` every `everyMs` until it returns a value (not undefined) or `timeoutMs` passes; then throws `what`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** GET a JSON API on loopback with a short timeout. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
