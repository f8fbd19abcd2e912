export * from './types.js';
export { PROFILE_DEFINITIONS, overlayStack } from './profiles.js';
export { PROVIDER_SPECS, allowedSecretsModes, objstoreConfig } from './providers.js';
export { secretsFor, objstoreText } from './secrets.js';
export { planOverlay, planOverlays, overlayDir, OVERLAYS_DIR } from './plan.js';
export { readRegistry, parseRegistry, addRegistryEntry, removeRegistryEntry, REGISTRY_PATH } from './registry.js';
export { validateOverlay, parseOverlayName } from './validate.js';
