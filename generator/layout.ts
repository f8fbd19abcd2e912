import type { ComponentBundle } from './base.js';
import { objectFileNames, yamlFile, type GeneratedFile } from './writer.js';
import type { StackConfig } from './config.js';

export const BASE_DIR = 'base';

export function kustomization(fields: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields };
}

/** base/<component>/<object>.yaml plus a kustomization per component and one that composes them. */
export function baseFiles(stack: StackConfig, bundles: readonly ComponentBundle[]): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const bundle of bundles) {
    const names = objectFileNames(bundle.objects);
    bundle.objects.forEach((object, index) => files.push(yamlFile(`${BASE_DIR}/${bundle.folder}/${names[index]}`, [object], `generator/components/${bundle.folder}.ts`)));
    files.push(yamlFile(`${BASE_DIR}/${bundle.folder}/kustomization.yaml`, [kustomization({ resources: [...names].sort() })]));
  }
  files.push(
    yamlFile(`${BASE_DIR}/kustomization.yaml`, [
      kustomization({ namespace: stack.namespace, resources: bundles.map((bundle) => bundle.folder) }),
    ]),
  );
  return files;
}
