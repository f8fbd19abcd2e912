import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import { STORAGE_VOLUMES, type OverlayDefinition } from '../../settings/schema/overlay-entry.js';

/**
 * What a user changes most, as registry fields instead of edits to generated files: the
 * StorageClass of each volume, extra scrape jobs, extra rule files, and the SOPS recipients. Each
 * field is checked here, once per run, with a message naming the overlay and the field; the rule
 * files are read here too, and what they hold travels with the overlay's model
 * (generator/overlay/customize.ts applies it).
 */

/** Kubernetes object names of a StorageClass: a DNS subdomain. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An age X25519 recipient: "age1" and 58 bech32 characters. */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
/** Key of a user rule file in the rules ConfigMap: kept apart from the generated ones by its prefix. */
export const USER_RULES_PREFIX = 'user-';

/** A rule file of the overlay's, as its rules ConfigMap holds it. */
export interface UserRuleFile {
  readonly key: string;
  readonly text: string;
}

/** A customization field of an entry that breaks a rule: names the overlay, the field and what is allowed. */
function fail(overlay: OverlayDefinition, field: string, message: string, where: string): never {
  throw new UserError(`${where}: overlay '${overlay.name}', field '${field}': ${message}`);
}
export { fail as customizationError };

/** Checks the customization fields of an entry and reads its rule files (below `root`). */
export function checkCustomizations(overlay: OverlayDefinition, root: string, where = 'settings/overlays.ts'): UserRuleFile[] {
  const classes = overlay.storageClassName;
  if (classes !== undefined) {
    if (typeof classes !== 'object' || classes === null || Array.isArray(classes))
      fail(
        overlay,
        'storageClassName',
        `must be an object such as { all: 'gp3' } or { prometheus: 'fast-ssd' }; volumes: ${STORAGE_VOLUMES.join(', ')}`,
        where,
      );
    for (const [volume, name] of Object.entries(classes)) {
      if (!(STORAGE_VOLUMES as readonly string[]).includes(volume))
        fail(
          overlay,
          `storageClassName.${volume}`,
          `unknown volume. Volumes: ${STORAGE_VOLUMES.join(', ')}.${didYouMean(volume, STORAGE_VOLUMES)}`,
          where,
        );
      if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
        fail(
          overlay,
          `storageClassName.${volume}`,
          `'${String(name)}' is not a StorageClass name (lowercase letters, digits, '-' and '.'); kubectl get storageclass lists the cluster's`,
          where,
        );
      }
    }
    if (classes.filesystem !== undefined && overlay.provider !== 'filesystem')
      fail(overlay, 'storageClassName.filesystem', `is for the filesystem provider only, not '${overlay.provider}'`, where);
  }
  const jobs = overlay.scrapeJobs;
  if (jobs !== undefined) {
    if (!Array.isArray(jobs)) fail(overlay, 'scrapeJobs', 'must be a list of Prometheus scrape configs, each with a job_name', where);
    const seen = new Set<string>();
    jobs.forEach((job, index) => {
      const field = `scrapeJobs[${index}]`;
      if (typeof job !== 'object' || job === null || Array.isArray(job))
        fail(overlay, field, 'must be a Prometheus scrape config (an object with job_name)', where);
      if (typeof job.job_name !== 'string' || job.job_name.trim() === '')
        fail(overlay, `${field}.job_name`, 'is missing; every scrape job needs a job_name of its own', where);
      if (seen.has(job.job_name))
        fail(overlay, `${field}.job_name`, `'${job.job_name}' is used twice; Prometheus refuses a config with duplicate job names`, where);
      seen.add(job.job_name);
    });
  }
  const files = overlay.ruleFiles;
  const ruleFiles: UserRuleFile[] = [];
  if (files !== undefined) {
    if (!Array.isArray(files))
      fail(overlay, 'ruleFiles', "must be a list of paths relative to the overlay folder, e.g. ['user/rules/team.yaml']", where);
    ruleFiles.push(...files.map((file, index) => readRuleFile(overlay, root, file, `ruleFiles[${index}]`, where)));
  }
  const sops = overlay.sops;
  if (sops !== undefined) {
    if (overlay.secrets !== 'sops')
      fail(overlay, 'sops', `applies only with secrets: 'sops' (this overlay uses '${overlay.secrets}')`, where);
    if (typeof sops !== 'object' || sops === null || !Array.isArray(sops.age) || sops.age.length === 0)
      fail(overlay, 'sops.age', "must be a non-empty list of age public keys, e.g. ['age1...']", where);
    sops.age.forEach((key, index) => {
      if (typeof key !== 'string' || !AGE_RECIPIENT.test(key))
        fail(
          overlay,
          `sops.age[${index}]`,
          `'${String(key)}' is not an age public key (age1 followed by 58 characters; age-keygen -y <key file> prints it)`,
          where,
        );
    });
  }
  return ruleFiles;
}

/** A rule file of the overlay, read and checked: below the overlay folder, YAML with `groups`. */
function readRuleFile(overlay: OverlayDefinition, root: string, file: unknown, field: string, where: string): UserRuleFile {
  if (typeof file !== 'string' || file === '')
    fail(overlay, field, 'must be a path relative to the overlay folder, e.g. user/rules/team.yaml', where);
  const relative = normalize(file);
  if (relative.startsWith('..') || relative.startsWith('/'))
    fail(overlay, field, `'${file}' is outside overlays/${overlay.name}/; keep rule files in its user/ folder`, where);
  if (!/\.ya?ml$/.test(relative)) fail(overlay, field, `'${file}' is not a .yaml file`, where);
  const path = join(root, 'overlays', overlay.name, relative);
  if (!existsSync(path))
    fail(
      overlay,
      field,
      `overlays/${overlay.name}/${file} does not exist; create it (a Prometheus rule file with groups) or remove the entry`,
      where,
    );
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    fail(overlay, field, `overlays/${overlay.name}/${file} is not YAML: ${(error as Error).message.split('\n')[0]}`, where);
  }
  const groups = (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups) || groups.length === 0)
    fail(
      overlay,
      field,
      `overlays/${overlay.name}/${file} has no 'groups' list; a Prometheus rule file starts with groups: [{ name, rules }]`,
      where,
    );
  // The key must end in .yaml: Prometheus loads the rules folder by that glob.
  return { key: `${USER_RULES_PREFIX}${relative.replace(/[\\/]/g, '-').replace(/\.ya?ml$/, '.yaml')}`, text };
}
