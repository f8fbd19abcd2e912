import type { Index } from './model.js';

export type Severity = 'error' | 'warning';

/** A Kubernetes object as read from the input: plain data with at least kind and metadata.name. */
// The input's own types live with the index that holds them (model.ts); every rule reads them from here.
export type { InputObject, KObject, SourceLocation } from './model.js';
import type { InputObject, KObject } from './model.js';

/** What a policy says about the object it was handed. */
export interface Diagnostic {
  readonly message: string;
  /** Overrides the policy's severity for this one diagnostic (e.g. a deprecated flag is a warning). */
  readonly severity?: Severity;
  /**
   * This one finding is a practice of this project, not something the cluster or the process refuses
   * (a rule that is partly a practice, e.g. pod-security beyond the level a Namespace enforces): it is
   * marked so, and for someone else's manifests its error is a warning, as for a Policy.practice.
   */
  readonly practice?: true;
}

/** Run-wide choices from the command line that some rules read. */
export interface CheckSettings {
  /** `check --upgrade-to`: a Thanos release every Thanos container's flags are also checked against. */
  readonly upgradeTo?: string;
  /** `check --fail-on-placeholder`: values still at a placeholder are errors, not warnings. */
  readonly failOnPlaceholder?: boolean;
  /** `check --profile`: the environment profile `--file` input is judged as, over what its Namespaces say (overlays say theirs on their Namespace). */
  readonly profile?: 'dev' | 'staging' | 'prod';
  /**
   * `check --changed-since`: what each overlay rendered at the base ref, overlay name -> "Kind
   * namespace/name" -> object ('' names `--file` input), so a rule can compare an object with its
   * previous version.
   */
  readonly base?: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

export interface CheckContext {
  /** The object this call reports on. */
  readonly object: KObject;
  readonly input: InputObject;
  /** Every object in the same rendered set, indexed once per set. */
  readonly index: Index;
  readonly settings: CheckSettings;
}

/** One rendered set seen by a cross-set check (compact-singleton across overlays). */
export interface CheckedSet {
  readonly name: string;
  readonly index: Index;
}

export interface CrossSetDiagnostic extends Diagnostic {
  readonly set: string;
  readonly input: InputObject;
}

export interface Policy {
  /** Kebab-case rule id; names the suppression annotation thanos-ha.dev/ignore-<id>. */
  readonly id: string;
  readonly severity: Severity;
  /** What the rule checks, one or two sentences. */
  readonly description: string;
  /** What to do about a finding: a full sentence ending with a period. */
  readonly remediation: string;
  /** The kinds the check is handed; every kind when absent. */
  readonly kinds?: readonly string[];
  /**
   * A practice of this project the API server does not enforce (network isolation, resources, PDBs,
   * spreading): its errors stand for overlays and for `--file` input with a profile (`--profile`, or a
   * Namespace labelled thanos-ha.dev/profile); for other `--file` input (someone else's correct
   * manifests) they are warnings.
   */
  readonly practice?: true;
  check(ctx: CheckContext): Diagnostic[];
  /** Optional check over every rendered set of one run (e.g. two overlays on one bucket). */
  checkAcrossSets?(sets: readonly CheckedSet[]): CrossSetDiagnostic[];
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly message: string;
  readonly overlay?: string;
  /**
   * From a rule that is a practice of this project (Policy.practice), not something the API server,
   * admission, Argo CD or Flux, or a Thanos process refuses: reports say so.
   */
  readonly practice?: true;
  /** The source file and line (origin in base/ or overlays/, else the file read). */
  readonly file?: string;
  readonly line?: number;
  /** Set when a suppression annotation with a reason covers this finding. */
  readonly suppressed?: { readonly reason: string };
  /** A finding about a suppression annotation itself: the annotation cannot silence it. */
  readonly unsuppressible?: boolean;
}

/** An input problem (unreadable YAML, failed render): the run exits 2. */
export interface InputError {
  readonly message: string;
  readonly overlay?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface CheckReport {
  /** Findings not suppressed, sorted by overlay, kind, namespace, name, rule, message. */
  readonly findings: Finding[];
  readonly suppressed: Finding[];
  readonly inputErrors: InputError[];
  readonly summary: { errors: number; warnings: number; objects: number; suppressed: number };
  /** The rendered sets checked, in order. */
  readonly sets: string[];
}
