import { PolicyRegistry } from './engine/registry-core.js';
import { deprecatedApi } from './deprecated-api.js';
import { imagePinned } from './image-pinned.js';
import { pdb } from './pdb.js';
import { probes } from './probes.js';
import { resources } from './resources.js';
import { schema } from './schema.js';
import { serviceSelector } from './service-selector.js';
import { thanosFlags } from './thanos-flags.js';

export { PolicyRegistry };

/** Every policy `npm run check` runs; docs/policies.md is generated from it. */
export const registry = new PolicyRegistry()
  .register(schema)
  .register(deprecatedApi)
  .register(imagePinned)
  .register(resources)
  .register(probes)
  .register(thanosFlags)
  .register(pdb)
  .register(serviceSelector);

export const policies = registry.all();
