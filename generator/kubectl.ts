import { execFile, execFileSync } from 'node:child_process';
import { UserError } from './lib/errors.js';

export const KUBECTL_MISSING_MESSAGE =
  'kubectl was not found on PATH. This command renders with the real kustomize built into kubectl ' +
  '(v1.27 or newer, kustomize v5). Install kubectl from your platform package repository ' +
  '(for Debian/Ubuntu the Kubernetes apt repository pkgs.k8s.io) or see https://kubernetes.io/docs/tasks/tools/, ' +
  'or set KUBECTL=/path/to/kubectl.';

/** The kubectl binary: $KUBECTL when set, else `kubectl` on PATH. */
export function kubectlBinary(): string {
  return process.env.KUBECTL || 'kubectl';
}

let checked: string | undefined;

/** Fails with a clear message (exit 2) when kubectl is not there; checked once per process. */
export function requireKubectl(): string {
  const binary = kubectlBinary();
  if (checked === binary) return binary;
  try {
    execFileSync(binary, ['version', '--client=true'], { stdio: 'pipe', timeout: 30_000 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw new UserError(KUBECTL_MISSING_MESSAGE);
    throw new UserError(`kubectl at '${binary}' did not run: ${(error as Error).message.split('\n')[0]}`);
  }
  checked = binary;
  return binary;
}

export class RenderError extends UserError {
  constructor(readonly dir: string, detail: string) {
    super(`kubectl kustomize ${dir} failed: ${detail.trim()}`);
    this.name = 'RenderError';
  }
}

export interface RenderResult {
  readonly yaml: string;
  /** What kustomize printed on stderr (deprecation warnings among it). */
  readonly warnings: string;
}

/** Renders a kustomization directory with `kubectl kustomize` (asynchronously, so renders can overlap). */
export function renderKustomize(dir: string): Promise<RenderResult> {
  const binary = requireKubectl();
  return new Promise((resolve, reject) => {
    execFile(binary, ['kustomize', dir], { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(new UserError(KUBECTL_MISSING_MESSAGE));
        else reject(new RenderError(dir, stderr || error.message));
        return;
      }
      resolve({ yaml: stdout, warnings: stderr });
    });
  });
}
