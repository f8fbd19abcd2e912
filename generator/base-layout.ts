import type { ComponentBundle } from './build-stack.js';
import { objectFileNames, yamlFile, type GeneratedFile } from './write/writer.js';
import type { StackConfig } from './model/stack.js';
import { stringify } from '../core/yaml.js';

export const BASE_DIR = 'base';

export function kustomization(fields: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields };
}

/**
 * `namespace: <ns>` for what has none. kustomize's `namespace:` field moves every object, and renames
 * every Namespace, into one namespace; node-exporter must stay in its own (privileged) one, so the
 * builtin NamespaceTransformer with unsetOnly sets the namespace only where an object names none.
 */
export function namespaceFor(namespace: string): Record<string, unknown> {
  const transformer = { apiVersion: 'builtin', kind: 'NamespaceTransformer', metadata: { name: 'namespace', namespace }, unsetOnly: true };
  return { transformers: [stringify(transformer).trimEnd()] };
}

/** base/<component>/<object>.yaml plus a kustomization per component and one that composes them. */
export function baseFiles(stack: StackConfig, bundles: readonly ComponentBundle[]): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const bundle of bundles) {
    const names = objectFileNames(bundle.objects);
    for (const [index, object] of bundle.objects.entries()) {
      files.push(yamlFile(`${BASE_DIR}/${bundle.folder}/${names[index]}`, [object], `generator/components/${bundle.folder}.ts`));
    }
    files.push(yamlFile(`${BASE_DIR}/${bundle.folder}/kustomization.yaml`, [kustomization({ resources: [...names].sort() })]));
  }
  files.push(
    yamlFile(`${BASE_DIR}/kustomization.yaml`, [
      kustomization({ ...namespaceFor(stack.namespace), resources: bundles.map((bundle) => bundle.folder) }),
    ]),
  );
  return files;
}
