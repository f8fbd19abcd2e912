import { parseAllDocuments } from 'yaml';
import type { FileChange, GeneratedFile } from '../write/writer.js';

/** A GitOps object a generated file declares (an Argo CD Application, a Flux Kustomization, ...): it stays in the cluster until someone deletes it. */
export interface GitOpsObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly file: string;
}

/**
 * The cluster objects the given generated files declare, read from the files themselves, so what
 * new-overlay says to apply and remove-overlay says to delete follows any GitOps layout.
 */
export function declaredObjects(files: readonly GeneratedFile[]): GitOpsObject[] {
  const objects: GitOpsObject[] = [];
  for (const { path: file, content } of files.filter(({ path }) => /\.ya?ml$/.test(path))) {
    for (const doc of parseAllDocuments(content)) {
      const value = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      // A kustomization.yaml (kind Kustomization, no spec) lists files; it declares no object in the cluster.
      if (!value?.kind || !value.metadata?.name || (value.kind === 'Kustomization' && !('spec' in value))) continue;
      objects.push({ kind: value.kind, name: value.metadata.name, namespace: value.metadata.namespace, file });
    }
  }
  return objects;
}

/** What to `git add`: the overlay folder, and the top folder of anything else written (gitops/). */
export function committedPaths(changes: readonly FileChange[], dir: string): string[] {
  const paths = changes.map((change) => (change.path.startsWith(`${dir}/`) ? dir : change.path.split('/')[0]));
  return [...new Set([dir, ...paths])];
}
