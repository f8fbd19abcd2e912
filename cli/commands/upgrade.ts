import type { CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { repoRoot } from '../../core/repo-root.js';
import { pinName } from '../../generator/model/pin-name.js';
import * as versions from '../../settings/versions.js';

/** One option per pinned image of settings/versions.ts (`--thanos`, `--memcached-exporter`): a pin a fork adds gets its own. */
const PIN_OPTIONS = Object.entries(versions as Record<string, unknown>)
  .filter((entry): entry is [string, string] => entry[0].endsWith('_IMAGE') && typeof entry[1] === 'string')
  .map(([constant, image]) => ({ name: pinName(constant), image }));

type UpgradeArgs = { since?: string } & Record<string, unknown>;

export const upgradeCommand: CommandModule<object, UpgradeArgs> = {
  command: 'upgrade',
  describe:
    'Move pins of settings/versions.ts to new tags, regenerate, check, and say what changed and what to do (exit 1 when check finds errors, 2 on bad input with nothing changed)',
  builder: (yargs) => {
    let y = yargs.option('since', {
      type: 'string',
      describe:
        'The pins are already changed (a Renovate branch): regenerate, check and report each pin that differs from this git ref (e.g. origin/main)',
    });
    for (const { name, image } of PIN_OPTIONS) {
      y = y.option(name, {
        type: 'string',
        describe: `New tag for ${image.replace(/:[^:/]+$/, '')} (now ${image.slice(image.lastIndexOf(':') + 1)})`,
      });
    }
    return y.check((args) => {
      for (const { name } of PIN_OPTIONS) {
        if (Array.isArray(args[name])) throw new UserError(`--${name} is given more than once; give one tag`);
        // yargs reads a string option given without a value as ''.
        if (args[name] === '')
          throw new UserError(
            `--${name} needs the new tag, e.g. --${name} ${PIN_OPTIONS.find((p) => p.name === name)
              ?.image.split(':')
              .pop()}`,
          );
      }
      return true;
    });
  },
  handler: async (args) => {
    const targets = Object.fromEntries(
      PIN_OPTIONS.filter(({ name }) => args[name] !== undefined).map(({ name }) => [name, String(args[name])]),
    );
    // Loaded here: ts-morph (the versions file editor) costs seconds to load, which no other command should pay.
    const { formatUpgradeReport, upgrade } = await import('../../review/upgrade.js');
    const result = upgrade(repoRoot(), { targets, since: args.since });
    process.stdout.write(formatUpgradeReport(result, args.since));
    process.exitCode = result.exitCode;
  },
};
