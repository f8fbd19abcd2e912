import type { CommandModule } from 'yargs';
import type { FileChange, WriteHooks } from '../../generator/write/writer.js';
import { repoRoot } from '../../core/repo-root.js';

interface GenerateArgs {
  check: boolean;
}

export const generateCommand = (writeHooks?: WriteHooks): CommandModule<object, GenerateArgs> => ({
  command: 'generate',
  describe: 'Write base/ (and overlays) from the generator; --check only reports drift',
  builder: (yargs) =>
    yargs.option('check', {
      type: 'boolean',
      default: false,
      describe: 'Change nothing; exit 1 and list the files that differ from what the generator would write',
    }),
  handler: async (args) => {
    // Loaded here, not at the top: other commands should not pay for the generator's imports.
    const { generate, handEditAdvice } = await import('../../generator/operations/generate.js');
    const { changes } = await generate(repoRoot(), { check: args.check, hooks: writeHooks });
    const line = (c: FileChange) => `  ${c.change.padEnd(6)} ${c.path}${c.handEdited ? '  (edited by hand)' : ''}`;
    // A hand edit is told apart from a generator change by the body hash in each file's header.
    const handEdits = (lost: string) =>
      changes
        .filter((c) => c.handEdited)
        .map(
          (c) =>
            `${c.path} was edited by hand (its body no longer matches the hash in its header): ${lost}; ${handEditAdvice(c.path)}, then run npm run generate.`,
        );
    if (args.check) {
      if (changes.length === 0) {
        console.log('generate --check: every generated file is up to date.');
        return;
      }
      console.log(`generate --check: ${changes.length} file(s) differ from what the generator writes:`);
      for (const c of changes) console.log(line(c));
      for (const message of handEdits('npm run generate will overwrite the edit')) console.log(message);
      console.log('Run `npm run generate` and commit the result.');
      process.exitCode = 1;
      return;
    }
    if (changes.length === 0) console.log('generate: nothing to change; every generated file is up to date.');
    else {
      console.log(`generate: ${changes.length} file(s) written:`);
      for (const c of changes) console.log(line(c));
      for (const message of handEdits('the edit was overwritten (git diff shows it if it was committed)'))
        console.error(`warning: ${message}`);
    }
  },
});
