/** The policy engine as a library: run the check, format a report, read the registry. */
export { runCheck, exitCodeOf, checkObjects, discoverOverlays, type CheckOptions, type ProgressEvent } from './engine/run.js';
export { format, FORMATS, type Format } from './engine/format.js';
export { parseStream } from './engine/parse.js';
export { SUPPRESS_PREFIX, suppressionAnnotation } from './engine/suppress.js';
export { registry, policies, PolicyRegistry } from './registry.js';
export { renderPoliciesDoc } from './build/docs.js';
export type { CheckReport, Finding, InputError, Policy, Diagnostic, CheckContext, Severity } from './lib/types.js';
