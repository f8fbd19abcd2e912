import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { onPath } from '../on-path.js';
import { UserError } from '../errors.js';

export const KUBECTL_MISSING_MESSAGE =
  'kubectl was not found on PATH. This command renders with the real kustomize built into kubectl ' +
  '(v1.27 or newer, kustomize v5). Install kubectl from your platform package repository ' +
  '(for Debian/Ubuntu the Kubernetes apt repository pkgs.k8s.io) or see https://kubernetes.io/docs/tasks/tools/, ' +
  'or set KUBECTL=/path/to/kubectl.';

/** The file names kustomize reads a folder's kustomization from. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether kustomize can build this folder: it holds a kustomization file. */
export function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((file) => existsSync(join(dir, file)));
}

/** The kubectl binary: $KUBECTL when set, else `kubectl` on PATH. */
export function kubectlBinary(): string {
  return process.env.KUBECTL || 'kubectl';
}

let checked: string | undefined;

/** Fails with a clear message (exit 2) when kubectl is not there; checked once per process. */
export function requireKubectl(): string {
  const binary = kubectlBinary();
  if (checked === binary) return binary;
  // Looked up on PATH rather than run: starting kubectl once more costs a one-overlay check ~50 ms,
  // and a kubectl that is there but broken says so when it renders.
  const found = onPath(binary) !== undefined;
  if (!found) throw new UserError(KUBECTL_MISSING_MESSAGE);
  checked = binary;
  return binary;
}

export class RenderError extends UserError {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`kubectl kustomize ${dir} failed: ${detail.trim()}`);
    this.name = 'RenderError';
  }
}

export interface RenderResult {
  readonly yaml: string;
  /** What kustomize printed on stderr (deprecation warnings among it). */
  readonly warnings: string;
}

/**
 * kubectl's environment for a render. A render is a short-lived process that reads a few hundred
 * kilobytes: Go's collector set to run at 4x heap growth instead of 2x spends a quarter less CPU
 * on it (about 20 MB more peak memory per render), which a check of many overlays feels. A GOGC
 * the user set is kept. The output does not depend on it.
 */
function renderEnv(): NodeJS.ProcessEnv {
  return process.env.GOGC ? process.env : { ...process.env, GOGC: '400' };
}

function spawnRender(binary: string, dir: string): { promise: Promise<RenderResult>; child: ChildProcess } {
  let child!: ChildProcess;
  const promise = new Promise<RenderResult>((resolve, reject) => {
    child = execFile(
      binary,
      ['kustomize', dir],
      { maxBuffer: 256 * 1024 * 1024, timeout: 120_000, env: renderEnv() },
      (error, stdout, stderr) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(new UserError(KUBECTL_MISSING_MESSAGE));
          else reject(new RenderError(dir, stderr || error.message));
          return;
        }
        resolve({ yaml: stdout, warnings: stderr });
      },
    );
  });
  return { promise, child };
}

/** Renders started ahead by startRender, by binary and folder, until a renderKustomize takes them over. */
const early = new Map<string, { promise: Promise<RenderResult>; child: ChildProcess }>();

/**
 * Starts `kubectl kustomize <dir>` now for a renderKustomize(dir) that is known to come. The CLI
 * calls it before loading its modules, so a one-overlay check's render (most of its time) runs
 * while they load instead of after. The same command with the same binary, so the result (or the
 * error) is the one renderKustomize would get; a render nobody takes over is stopped at exit.
 */
export function startRender(dir: string): void {
  const binary = kubectlBinary();
  const key = `${binary}\n${dir}`;
  if (early.has(key)) return;
  const started = spawnRender(binary, dir);
  // Rejections are seen by whoever takes the render over; none goes unhandled meanwhile.
  started.promise.catch(() => undefined);
  early.set(key, started);
  if (early.size === 1) {
    process.once('exit', () => {
      for (const { child } of early.values()) child.kill();
    });
  }
}

/** Renders a kustomization directory with `kubectl kustomize` (asynchronously, so renders can overlap). */
export function renderKustomize(dir: string): Promise<RenderResult> {
  const binary = requireKubectl();
  const key = `${binary}\n${dir}`;
  const started = early.get(key);
  if (started) {
    early.delete(key);
    return started.promise;
  }
  return spawnRender(binary, dir).promise;
}

/** Overlay folders on disk: overlays/<name>/ with a kustomization file. */
export function overlayNames(root: string): string[] {
  const dir = join(root, 'overlays');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => hasKustomization(join(dir, name)))
    .sort();
}
