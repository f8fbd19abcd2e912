export * from '../../settings/schema/overlay-entry.js';
export { PROFILE_DEFINITIONS, overlayStack } from '../model/overlay-stack.js';
export { PROVIDER_SPECS, allowedSecretsModes, objstoreConfig } from '../model/providers.js';
export { secretsFor, objstoreText } from './secrets.js';
export { planOverlay, planOverlays, overlayDir, OVERLAYS_DIR } from './plan.js';
export { readRegistry, parseRegistry, addRegistryEntry, removeRegistryEntry, REGISTRY_PATH } from '../model/registry-file.js';
export { validateOverlay, parseOverlayName } from '../model/validate-overlay.js';
