import type { CommandModule } from 'yargs';
import type { WriteHooks } from '../../generator/write/writer.js';
import { repoRoot } from '../../core/repo-root.js';

interface RemoveOverlayArgs {
  name: string;
  purge: boolean;
}

export const removeOverlayCommand = (writeHooks?: WriteHooks): CommandModule<object, RemoveOverlayArgs> => ({
  command: 'remove-overlay <name>',
  describe: 'Remove an overlay from the registry with its generated files and GitOps manifests',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'an overlay of settings/overlays.ts, e.g. prod-oss' })
      .option('purge', {
        type: 'boolean',
        default: false,
        describe: 'Also delete overlays/<name>/user/ and your other files there (kept by default)',
      }),
  handler: async (args) => {
    // Loaded here: the registry editor (ts-morph) is slow to load, and no other command should pay for it.
    const { formatRemoveOverlayReport, removeOverlay } = await import('../../generator/operations/remove-overlay.js');
    const result = await removeOverlay(repoRoot(), { name: args.name, purge: args.purge }, writeHooks);
    process.stdout.write(formatRemoveOverlayReport(result));
  },
});
