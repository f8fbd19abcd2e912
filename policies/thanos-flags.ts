import { THANOS_FLAGS_VERSION, checkThanosFlags, isThanosSubcommand } from '../generator/lib/thanos-flags.js';
import { WORKLOAD_KINDS } from './engine/kinds.js';
import { thanosVersion } from './image-pinned.js';
import type { Diagnostic, Policy } from './engine/types.js';

/** Thanos subcommands outside the checked components (tools, debugging) that are not flagged as unknown. */
const OTHER_SUBCOMMANDS = new Set(['tools', 'help', 'version']);

export const thanosFlags: Policy = {
  id: 'thanos-flags',
  severity: 'error',
  description: `Every flag of every Thanos container exists in the pinned Thanos version (${THANOS_FLAGS_VERSION}): a removed or unknown flag is an error (the pod crash-loops), a deprecated one a warning. A container whose image is another version is checked against the pinned flags, with a warning saying so.`,
  remediation: 'Replace the flag with the one the message names, or remove it; see `thanos <component> --help` for the pinned version.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { container } of index.thanosContainersOf(input)) {
      if (!isThanosSubcommand(container.thanos)) {
        if (!OTHER_SUBCOMMANDS.has(container.thanos)) {
          out.push({ message: `container ${container.name} runs 'thanos ${container.thanos}', which is not a Thanos component; its flags were not checked`, severity: 'warning' });
        }
        continue;
      }
      const version = thanosVersion(container.image);
      if (version && /^v\d+\.\d+\.\d+$/.test(version) && version !== THANOS_FLAGS_VERSION) {
        out.push({ message: `container ${container.name} runs Thanos ${version}; its flags are checked against ${THANOS_FLAGS_VERSION}, the version the project pins`, severity: 'warning' });
      }
      const seen = new Set<string>();
      for (const problem of checkThanosFlags(container.thanos, container.flags.names)) {
        const key = `${problem.flag}|${problem.level}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ message: `container ${container.name}: ${problem.message}`, severity: problem.level });
      }
    }
    return out;
  },
};
