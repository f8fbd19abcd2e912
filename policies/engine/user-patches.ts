import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';
import type { Finding } from '../lib/types.js';

/**
 * Findings caused by a file in overlays/<name>/user/ point at that file and line. kustomize's
 * origin annotation names the file an object came from (base/...), never the patch that set a
 * field; so the field each rule judges is looked up in the overlay's user patches, in the order
 * kustomize applies them, and the last patch that sets it is where the finding belongs.
 */

const POD = 'spec.template.spec';
const CONTAINERS = [`${POD}.containers[]`, `${POD}.initContainers[]`];
const inContainers = (...fields: string[]) => CONTAINERS.flatMap((c) => fields.map((f) => `${c}.${f}`));

/** The fields each rule judges, as paths with `[]` for any list item. A rule not listed is never moved. */
const RULE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'compact-singleton': ['spec.replicas', ...inContainers('args', 'command')],
  'ruler-ha': ['spec.replicas', ...inContainers('args')],
  'replica-labels': inContainers('args'),
  'thanos-flags': inContainers('args', 'command', 'image'),
  'retention-order': inContainers('args'),
  'block-duration': inContainers('args'),
  'store-delete-delay': inContainers('args'),
  'external-labels': ['spec.replicas', 'data'],
  'receive-hashring': ['spec.replicas', 'data', ...inContainers('args')],
  'image-pinned': inContainers('image'),
  resources: inContainers('resources'),
  probes: inContainers('livenessProbe', 'readinessProbe', 'startupProbe'),
  'pod-security': [
    `${POD}.securityContext`,
    `${POD}.hostNetwork`,
    `${POD}.hostPID`,
    `${POD}.hostIPC`,
    `${POD}.automountServiceAccountToken`,
    ...inContainers('securityContext'),
  ],
  'anti-affinity': [`${POD}.affinity`, `${POD}.topologySpreadConstraints`, 'spec.replicas'],
  pdb: ['spec.minAvailable', 'spec.maxUnavailable', 'spec.selector'],
  'deprecated-api': ['apiVersion'],
  'plaintext-secret': ['data', 'stringData', 'metadata.annotations'],
  'objstore-config': ['data', 'stringData', 'spec'],
  'service-selector': ['spec.selector', 'spec.ports'],
  'discovery-headless': ['spec.clusterIP', ...inContainers('args')],
};

interface PatchField {
  readonly path: string;
  readonly line: number;
}

interface UserPatch {
  readonly file: string;
  readonly kind?: string;
  readonly name?: string;
  readonly fields: readonly PatchField[];
}

const lineAt = (counter: LineCounter, offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);

/** Every leaf path a strategic-merge patch sets, list items as `[]`, each with its line. */
function smpFields(doc: Document, counter: LineCounter): PatchField[] {
  const out: PatchField[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
  const walk = (node: any, path: string) => {
    if (node && Array.isArray(node.items) && node.items.length > 0 && 'key' in node.items[0]) {
      for (const pair of node.items) {
        const key = String(pair.key?.value ?? pair.key);
        if (key === '$patch' || key.startsWith('$setElementOrder')) continue;
        const next = path ? `${path}.${key}` : key;
        out.push({ path: next, line: lineAt(counter, pair.key?.range?.[0]) });
        walk(pair.value, next);
      }
    } else if (node && Array.isArray(node.items)) {
      for (const item of node.items) walk(item, `${path}[]`);
    }
  };
  walk(doc.contents, '');
  return out;
}

/** The fields a JSON patch (RFC 6902) touches: each op's path, list indexes as `[]`. */
function jsonPatchFields(doc: Document, counter: LineCounter): PatchField[] {
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
  const items = (doc.contents as any)?.items ?? [];
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
  return items.flatMap((item: any) => {
    // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
    const pathNode = item.items?.find((pair: any) => String(pair.key?.value) === 'path');
    const pointer = pathNode?.value?.value;
    if (typeof pointer !== 'string') return [];
    const path = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, s) => (/^(\d+|-)$/.test(s) ? `${acc}[]` : acc ? `${acc}.${s}` : s), '');
    return [{ path, line: lineAt(counter, item.range?.[0]) }];
  });
}

/** The overlay's user patches, in the order kustomize applies them (the order of `patches:`). */
export function readUserPatches(root: string, overlay: string): UserPatch[] {
  const dir = join(root, 'overlays', overlay, 'user');
  const kustomizationPath = join(dir, 'kustomization.yaml');
  if (!existsSync(kustomizationPath)) return [];
  let kustomization: { patches?: unknown; patchesStrategicMerge?: unknown };
  try {
    kustomization = parseDocument(readFileSync(kustomizationPath, 'utf8')).toJS() ?? {};
  } catch {
    return [];
  }
  const entries = [
    ...(Array.isArray(kustomization.patchesStrategicMerge) ? kustomization.patchesStrategicMerge.map((path) => ({ path })) : []),
    ...(Array.isArray(kustomization.patches) ? kustomization.patches : []),
  ] as Array<{ path?: unknown; target?: { kind?: string; name?: string } }>;
  const patches: UserPatch[] = [];
  for (const entry of entries) {
    if (typeof entry?.path !== 'string') continue;
    const path = join(dir, entry.path);
    if (!existsSync(path)) continue;
    const counter = new LineCounter();
    const docs = parseAllDocuments(readFileSync(path, 'utf8'), { lineCounter: counter });
    const file = `overlays/${overlay}/user/${entry.path}`;
    for (const doc of Array.isArray(docs) ? docs : []) {
      const value = doc.toJS() as unknown;
      if (Array.isArray(value)) {
        patches.push({ file, kind: entry.target?.kind, name: entry.target?.name, fields: jsonPatchFields(doc, counter) });
      } else if (value && typeof value === 'object') {
        const object = value as { kind?: string; metadata?: { name?: string } };
        patches.push({
          file,
          kind: entry.target?.kind ?? object.kind,
          name: entry.target?.name ?? object.metadata?.name,
          fields: smpFields(doc, counter),
        });
      }
    }
  }
  return patches;
}

const targets = (patch: UserPatch, finding: Finding) =>
  (!patch.kind || patch.kind === finding.kind) &&
  (!patch.name || patch.name === finding.name || safeRegex(patch.name)?.test(finding.name) === true);

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/**
 * The findings with each one a user patch caused moved to that patch: the last patch (in
 * kustomize's order) that targets the object and sets a field the rule judges, at that field's line.
 */
export function locateInUserPatches(root: string, findings: readonly Finding[]): Finding[] {
  const byOverlay = new Map<string, UserPatch[]>();
  return findings.map((finding) => {
    const fields = RULE_FIELDS[finding.rule];
    if (!finding.overlay || !fields) return finding;
    if (!byOverlay.has(finding.overlay)) byOverlay.set(finding.overlay, readUserPatches(root, finding.overlay));
    let hit: (PatchField & { file: string }) | undefined;
    for (const patch of byOverlay.get(finding.overlay)!) {
      if (!targets(patch, finding)) continue;
      const field = patch.fields.find((f) =>
        fields.some((judged) => f.path === judged || f.path.startsWith(`${judged}.`) || f.path.startsWith(`${judged}[]`)),
      );
      if (field) hit = { ...field, file: patch.file };
    }
    return hit ? { ...finding, file: hit.file, line: hit.line } : finding;
  });
}
