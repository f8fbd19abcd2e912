import {
  THANOS_SUBCOMMANDS,
  checkThanosFlags,
  deprecatedFeatures,
  flagValueProblem,
  hasFlag,
  isThanosSubcommand,
  releaseFor,
} from '../../core/thanos/flags.js';
import { THANOS_VERSION } from '../../settings/versions.js';
import { imageRelease } from '../lib/images.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Thanos commands outside the checked components that are not flagged as unknown: `tools`
 * (T@v0.42.4:cmd/thanos/main.go:61) and the `help` kingpin adds to an app with commands (kingpin v2.4.0
 * app.go:325-332). `version` is no command: `.Version()` makes it a `--version` flag (main.go:44), and
 * `thanos version` exits with "expected command but got \"version\"" (kingpin v2.4.0 parser.go:333-335).
 */
const OTHER_SUBCOMMANDS = new Set(['tools', 'help']);

/**
 * The release is the image tag's minor release; hidden flags count. Errors (the pod crash-loops): an unknown
 * or removed flag, a repeated flag that takes one value, a single-dash flag, a stray argument, a flag and
 * its value in one list item. Warnings: a flag the release deprecates (naming its replacement), an
 * `--enable-feature` value it ignores (`query-pushdown` in v0.42) or always has on. With `--upgrade-to`,
 * flags the target release no longer has, and values it parses differently (a
 * `1d` duration going back before v0.39), are errors too, and flags it deprecates warnings.
 */
export const thanosFlags: Policy = {
  id: 'thanos-flags',
  severity: 'error',
  description: `Every flag of every Thanos container exists in the release its image runs (no version tag: ${THANOS_VERSION}); deprecated flags and features are warnings. \`check --upgrade-to <version>\` also checks the target release.`,
  remediation:
    'Replace the flag with the one the message names, or remove it; see `thanos <component> --help` for the version the image runs.',
  kinds: WORKLOAD_KINDS,
  check({ input, index, settings }) {
    const out: Diagnostic[] = [];
    for (const { container } of index.thanosContainersOf(input)) {
      if (!isThanosSubcommand(container.thanos)) {
        // thanos (kingpin) exits on a command it does not have: `thanos querier` never starts.
        if (!OTHER_SUBCOMMANDS.has(container.thanos)) {
          out.push({
            message: `container ${container.name} runs 'thanos ${container.thanos}', and thanos has no such command (it has ${[...THANOS_SUBCOMMANDS, 'tools'].sort().join(', ')}); the process exits at start`,
          });
        }
        continue;
      }
      const { release, note, older } = imageRelease(container.image);
      // An operator resource without a version runs the operator's default image: nothing to say about its tag.
      if (note && !input.derivedFrom) out.push({ message: `container ${container.name}: ${note}`, severity: 'warning' });
      // kingpin refuses what is neither a flag nor a flag's value: `-log.level=x` (read as short flags) or a stray word.
      for (const arg of container.flags.positionals) {
        const why = /^-[^-]/.test(arg)
          ? `is a single-dash flag; thanos reads ${arg.split('=')[0]} as short flags it does not have and exits (write -${arg})`
          : `is no flag and no flag's value (thanos ${container.thanos} takes no arguments); it exits ("unexpected ${arg}")`;
        out.push({ message: `container ${container.name}: argument '${arg}' ${why}` });
      }
      const spaced = container.flags.names.filter((n) => /\s/.test(n));
      for (const name of new Set(spaced)) {
        const [flag, ...rest] = name.split(/\s+/);
        out.push({
          message: `container ${container.name}: argument '${name}' holds a flag and its value in one list item, so thanos sees one flag named '${name}' and exits; write ${flag}=${rest.join(' ')}`,
        });
      }
      const now = checkThanosFlags(
        container.thanos,
        container.flags.names.filter((n) => !/\s/.test(n)),
        release,
      );
      for (const problem of now) {
        // An image older than the reference's first release had flags the reference never saw (v0.16's
        // --experimental.enable-index-cache-postings-compression): what its oldest release refuses is a doubt there, not an exit.
        if (older && problem.level === 'error')
          out.push({
            message: `container ${container.name}: ${problem.message.replace(/; the process refuses to start$/, '')}; ${container.image} is older than the reference's first release ${release}, so whether it has it is not checked`,
            severity: 'warning',
          });
        else out.push({ message: `container ${container.name}: ${problem.message}`, severity: problem.level });
      }
      for (const message of deprecatedFeatures(container.thanos, container.flags.values('--enable-feature'), release))
        out.push({ message: `container ${container.name}: ${message}`, severity: 'warning' });
      if (settings.upgradeTo) {
        const target = releaseFor(settings.upgradeTo);
        if (target.state === 'unknown') continue;
        const already = new Set(now.map((p) => `${p.level}|${p.flag}`));
        for (const problem of checkThanosFlags(container.thanos, container.flags.names, target.release)) {
          if (already.has(`${problem.level}|${problem.flag}`) || (problem.level === 'warning' && already.has(`error|${problem.flag}`)))
            continue;
          // A flag the target deprecates still starts: said as a warning, with its replacement.
          if (problem.level === 'warning')
            out.push({
              message: `container ${container.name}: upgrading to ${settings.upgradeTo}: ${problem.message}`,
              severity: 'warning',
            });
          else out.push({ message: `container ${container.name}: upgrading to ${settings.upgradeTo} breaks it: ${problem.message}` });
        }
        // A value the running release parses and the target does not: --grpc-grace-period=1d is a model duration up to
        // v0.31 and a kingpin.v2 Go duration in v0.32-v0.38 (core/reference/thanos-flag-types-by-version.json).
        for (const name of new Set(container.flags.names)) {
          if (!hasFlag(container.thanos, name, target.release)) continue;
          for (const value of new Set(container.flags.values(name))) {
            if (flagValueProblem(container.thanos, name, value, release)) continue;
            const problem = flagValueProblem(container.thanos, name, value, target.release);
            if (problem) out.push({ message: `container ${container.name}: upgrading to ${settings.upgradeTo} breaks it: ${problem}` });
          }
        }
      }
    }
    return out;
  },
};
