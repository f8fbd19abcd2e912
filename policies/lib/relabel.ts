import { createHash } from 'node:crypto';
import { asArray, asRecord, asString, type Container, type Index, type Workload } from './model.js';
import { yamlIn } from './thanos.js';

/**
 * Prometheus relabelling as Thanos applies it to a block's external labels (`--selector.relabel-config`
 * on Store and Compact): enough of it to tell which blocks a shard keeps. Semantics follow Prometheus'
 * model/relabel: regexes anchored at both ends, `;` as the default separator, `hashmod` as the last 8
 * bytes of the MD5 of the joined values (big-endian) modulo `modulus`.
 */

export type Labels = Readonly<Record<string, string>>;

export interface RelabelStep {
  readonly action: string;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly targetLabel?: string;
  readonly regex: RegExp;
  readonly replacement: string;
  readonly modulus?: number;
}

export interface ParsedRelabel {
  readonly steps?: readonly RelabelStep[];
  /** Why the config could not be read. */
  readonly problem?: string;
}

/** Residues are enumerated one by one; no real shard count comes near this. */
const MAX_MODULUS = 1024;

const ACTIONS = new Set([
  'replace',
  'keep',
  'drop',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);

/** Go's RE2 as a JavaScript RegExp, anchored the way Prometheus anchors it; `(?i)` becomes the i flag. */
function anchored(source: string): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([a-z]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    body = body.slice(inline[0].length);
  }
  return new RegExp(`^(?:${body})$`, flags);
}

/** Reads a relabel config (a YAML list of steps), as Thanos would; a problem instead of steps when it would not start. */
export function parseRelabel(index: Index, text: string): ParsedRelabel {
  // yamlIn reads each text once and gives undefined for text that is not YAML.
  const doc = yamlIn(index, text);
  if (doc === undefined && text.trim() !== '') return { problem: 'is not YAML' };
  return parseRelabelSteps(doc);
}

/** Reads relabel steps already parsed from YAML (a config's `*_relabel_configs` list), as Prometheus and Thanos would. */
export function parseRelabelSteps(doc: unknown): ParsedRelabel {
  if (doc === null || doc === undefined) return { steps: [] };
  if (!Array.isArray(doc)) return { problem: 'is not a list of relabel steps' };
  const steps: RelabelStep[] = [];
  for (const [i, item] of doc.entries()) {
    const step = asRecord(item);
    if (!step) return { problem: `step ${i + 1} is not a mapping` };
    const action = (asString(step.action) ?? 'replace').toLowerCase();
    if (!ACTIONS.has(action)) return { problem: `step ${i + 1} has unknown action ${action}` };
    let regex: RegExp;
    try {
      regex = anchored(asString(step.regex) ?? '(.*)');
    } catch (error) {
      return { problem: `step ${i + 1} has a regex that does not compile: ${(error as Error).message}` };
    }
    const modulus = step.modulus === undefined ? undefined : Number(step.modulus);
    if (action === 'hashmod' && (!Number.isInteger(modulus) || (modulus ?? 0) <= 0))
      return { problem: `step ${i + 1} (hashmod) needs a positive whole modulus` };
    if (action === 'hashmod' && modulus! > MAX_MODULUS)
      return { problem: `step ${i + 1} (hashmod) has modulus ${modulus}; shards are checked up to ${MAX_MODULUS}` };
    if (['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && !asString(step.target_label)) {
      return { problem: `step ${i + 1} (${action}) needs a target_label` };
    }
    steps.push({
      action,
      sourceLabels: asArray(step.source_labels).map((l) => String(l)),
      separator: asString(step.separator) ?? ';',
      targetLabel: asString(step.target_label),
      regex,
      replacement: asString(step.replacement) ?? '$1',
      modulus,
    });
  }
  return { steps };
}

/** The selector relabel config of a Thanos container (inline or through its file), if it has one. */
export function selectorRelabel(
  index: Index,
  workload: Workload,
  container: Container,
): (ParsedRelabel & { readonly text?: string }) | undefined {
  const inline = container.flags.get('--selector.relabel-config');
  const file = container.flags.get('--selector.relabel-config-file');
  if (inline === undefined && file === undefined) return undefined;
  const text = inline ?? index.fileText(workload, container, file!).text;
  if (text === undefined) return { problem: `${file} is not readable in the input` };
  return { ...parseRelabel(index, text), text };
}

/** Prometheus' hashmod of one (joined) value. */
export function hashmod(value: string, modulus: number): number {
  const digest = createHash('md5').update(value).digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}

/** Go's regexp.Expand for $1, ${1}, $name: what a replace or labelmap writes. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{(\w+)\}|(\d+)|([A-Za-z_]\w*))/g,
    (whole, _all: string, braced?: string, digits?: string, name?: string) => {
      if (whole === '$$') return '$';
      const key = braced ?? digits ?? name ?? '';
      if (/^\d+$/.test(key)) return match[Number(key)] ?? '';
      return match.groups?.[key] ?? '';
    },
  );
}

/**
 * Applies the steps to a label set; undefined when a step drops it (Thanos then leaves the block
 * out). `forcedResidue` stands in for the hashmod result: how a shard's residues are enumerated
 * without knowing a block id.
 */
export function relabel(steps: readonly RelabelStep[], labels: Labels, forcedResidue?: number): Labels | undefined {
  const out: Record<string, string> = { ...labels };
  for (const step of steps) {
    const value = step.sourceLabels.map((l) => out[l] ?? '').join(step.separator);
    switch (step.action) {
      case 'keep':
        if (!step.regex.test(value)) return undefined;
        break;
      case 'drop':
        if (step.regex.test(value)) return undefined;
        break;
      case 'keepequal':
        if ((out[step.targetLabel!] ?? '') !== value) return undefined;
        break;
      case 'dropequal':
        if ((out[step.targetLabel!] ?? '') === value) return undefined;
        break;
      case 'hashmod':
        out[step.targetLabel!] = String(forcedResidue ?? hashmod(value, step.modulus!));
        break;
      case 'lowercase':
        out[step.targetLabel!] = value.toLowerCase();
        break;
      case 'uppercase':
        out[step.targetLabel!] = value.toUpperCase();
        break;
      case 'replace': {
        const match = step.regex.exec(value);
        if (!match) break;
        const target = expand(step.targetLabel!, match);
        const result = expand(step.replacement, match);
        if (result === '') delete out[target];
        else out[target] = result;
        break;
      }
      case 'labelmap':
        for (const [name, v] of Object.entries({ ...out })) {
          const match = step.regex.exec(name);
          if (match) out[expand(step.replacement, match)] = v;
        }
        break;
      case 'labeldrop':
        for (const name of Object.keys(out)) if (step.regex.test(name)) delete out[name];
        break;
      case 'labelkeep':
        for (const name of Object.keys(out)) if (!step.regex.test(name)) delete out[name];
        break;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** A hashmod shard: the labels it hashes, its modulus, and the residues it keeps. */
export interface HashShard {
  readonly sourceLabels: readonly string[];
  readonly modulus: number;
  readonly residues: readonly number[];
}

/**
 * The residues a selector keeps, found by running it once per residue on `labels` (a block's other
 * labels do not matter to a selector that keeps by its hashmod label). Undefined without exactly
 * one hashmod step.
 */
export function hashShard(steps: readonly RelabelStep[], labels: Labels = { __block_id: 'block' }): HashShard | undefined {
  const hashes = steps.filter((s) => s.action === 'hashmod');
  if (hashes.length !== 1) return undefined;
  const { modulus, sourceLabels } = hashes[0];
  const residues: number[] = [];
  for (let r = 0; r < modulus!; r++) if (relabel(steps, labels, r) !== undefined) residues.push(r);
  return { sourceLabels, modulus: modulus!, residues };
}
