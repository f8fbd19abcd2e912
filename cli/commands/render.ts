import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { renderKustomize } from '../../core/kube/kubectl.js';

interface RenderArgs {
  dir: string;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render <dir>',
  describe: 'Print `kubectl kustomize <dir>`: what Argo CD or Flux would apply',
  builder: (yargs) =>
    yargs.positional('dir', { type: 'string', demandOption: true, describe: 'A kustomization folder, e.g. base or overlays/prod-oss' }),
  handler: async (args) => {
    const dir = resolve(args.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(`render: '${args.dir}' is not a folder; give a kustomization folder such as base or overlays/<name>`);
    }
    if (!existsSync(resolve(dir, 'kustomization.yaml')) && !existsSync(resolve(dir, 'kustomization.yml'))) {
      throw new UserError(`render: '${args.dir}' has no kustomization.yaml; give a folder such as base or overlays/<name>`);
    }
    const { yaml, warnings } = await renderKustomize(dir);
    if (warnings.trim()) process.stderr.write(warnings);
    process.stdout.write(yaml);
  },
};
