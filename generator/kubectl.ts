import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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
  // Looked up on PATH rather than run: starting kubectl once more costs a one-overlay check ~50 ms,
  // and a kubectl that is there but broken says so when it renders.
  const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, binary));
  const found = candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
  if (!found) throw new UserError(KUBECTL_MISSING_MESSAGE);
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
