import { checkProgramArgs } from '../../core/prometheus/flags.js';
import { ALERTMANAGER_VERSION, PROMETHEUS_VERSION } from '../../settings/versions.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { programProcesses } from '../lib/programs.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * The command line of every Prometheus and Alertmanager container, read as kingpin in the release its
 * image runs reads it (core/reference/prometheus-flags-by-version.json, alertmanager-flags-by-version.json,
 * read from each release's source): every problem stops the process at start (exit code 2), so each is
 * an error. An image newer than the reference is checked for values only (a newer release may have
 * added the flag); an image older than it (Prometheus v2 before v2.55, Alertmanager before v0.25) is
 * not judged.
 */
export const prometheusFlags: Policy = {
  id: 'prometheus-flags',
  severity: 'error',
  description: `Every flag of every Prometheus and Alertmanager container parses in the release its image runs (no version tag: ${PROMETHEUS_VERSION}, ${ALERTMANAGER_VERSION}): names, values, booleans, repeats.`,
  remediation:
    'Write the flag as the message says (the quoted text is what kingpin prints before the process exits), or remove it; see `prometheus --help` or `alertmanager --help` of the release the image runs.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const p of programProcesses(workload)) {
      if (!p.release) continue;
      for (const problem of checkProgramArgs(p.program, p.args, p.release, p.version)) {
        // A newer release may have added a flag this reference does not know: only values are judged.
        if (p.match.state === 'newer' && /unknown long flag/.test(problem.message)) continue;
        out.push({ message: `container ${p.container.name}: ${problem.message}` });
      }
    }
    return out;
  },
};
