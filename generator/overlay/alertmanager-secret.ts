import type { KubeObject } from '../build-stack.js';
import type { StackConfig } from '../model/stack.js';
import { ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_CONFIG_SECRET } from '../components/alertmanager.js';
import {
  EXAMPLE_CONFIG_HEADER,
  NULL_CONFIG_HEADER,
  alertmanagerConfigText,
  exampleAlertmanagerConfig,
  nullAlertmanagerConfig,
} from '../monitoring/alertmanager-config.js';
import { stringify } from '../../core/yaml.js';
import { NO_CREDENTIALS_ANNOTATION, externalSecretObject, remoteKey, type SecretsOutput } from './secrets.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

export const ALERTMANAGER_TEMPLATE = 'alertmanager.yaml.template';
export const ALERTMANAGER_SOPS_TEMPLATE = 'alertmanager.secret.sops.yaml.template';
export const ALERTMANAGER_SOPS_ENCRYPTED = 'user/alertmanager.secret.sops.yaml';
export const ALERTMANAGER_SEALED_SECRET = 'user/alertmanager.sealedsecret.yaml';

/** Entry of the secret store holding this overlay's alertmanager.yaml (beside the object-store entry). */
export function alertmanagerRemoteKey(overlay: OverlayDefinition): string {
  return `${remoteKey(overlay)}/alertmanager`;
}

const NONE: SecretsOutput = { resources: [], files: [], userResources: [], nextSteps: [] };

/**
 * How the Alertmanager configuration (routes and receivers, which hold webhook URLs and keys)
 * reaches the cluster: through the overlay's secrets mode, like the object-store credentials. Every
 * mode but `plain` ships the example as alertmanager.yaml.template for the user to fill in outside Git.
 */
export function alertmanagerSecretsFor(overlay: OverlayDefinition, stack: StackConfig): SecretsOutput {
  if (!stack.alertmanager.enabled) return NONE;
  const ns = overlay.namespace;
  const example = alertmanagerConfigText(exampleAlertmanagerConfig(), EXAMPLE_CONFIG_HEADER);
  const template = { path: ALERTMANAGER_TEMPLATE, content: example };
  const secretName = ALERTMANAGER_CONFIG_SECRET;
  const key = ALERTMANAGER_CONFIG_KEY;
  switch (overlay.secrets) {
    case 'external-secrets': {
      const externalSecret = externalSecretObject(overlay, secretName, {}, [
        { secretKey: key, remoteRef: { key: alertmanagerRemoteKey(overlay), property: key } },
      ]);
      return {
        resources: [{ path: 'alertmanager-external-secret.yaml', objects: [externalSecret] }],
        files: [template],
        userResources: [],
        nextSteps: [
          `fill in overlays/${overlay.name}/${ALERTMANAGER_TEMPLATE} outside Git (receivers, keys) and store it in your secret store as the property '${key}' of the entry '${alertmanagerRemoteKey(overlay)}'; Alertmanager starts once it exists.`,
        ],
      };
    }
    case 'sops': {
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace: ns },
        type: 'Opaque',
        stringData: { [key]: example },
      };
      return {
        resources: [],
        files: [{ path: ALERTMANAGER_SOPS_TEMPLATE, content: stringify(secret) }],
        userResources: [],
        nextSteps: [
          `cd overlays/${overlay.name} && cp ${ALERTMANAGER_SOPS_TEMPLATE} ${ALERTMANAGER_SOPS_ENCRYPTED}, fill in the receivers, run sops --encrypt --in-place ${ALERTMANAGER_SOPS_ENCRYPTED}, and add '${ALERTMANAGER_SOPS_ENCRYPTED.replace('user/', '')}' to the resources of user/kustomization.yaml.`,
        ],
      };
    }
    case 'sealed-secrets': {
      const sealed = {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: secretName, namespace: ns },
        spec: {
          encryptedData: { [key]: 'CHANGE-ME-run-kubeseal' },
          template: { metadata: { name: secretName, namespace: ns }, type: 'Opaque' },
        },
      };
      return {
        resources: [],
        files: [template],
        userResources: [
          {
            path: ALERTMANAGER_SEALED_SECRET,
            content:
              '# Yours: `npm run generate` never overwrites this file. Replace it with the output of kubeseal (see docs/alerting.md).\n' +
              stringify(sealed),
          },
        ],
        nextSteps: [
          `copy overlays/${overlay.name}/${ALERTMANAGER_TEMPLATE} outside Git, fill in the receivers, then: kubectl create secret generic ${secretName} --namespace ${ns} --from-file=${key}=<your copy> --dry-run=client -o yaml | kubeseal --format yaml > overlays/${overlay.name}/${ALERTMANAGER_SEALED_SECRET}`,
        ],
      };
    }
    case 'workload-identity':
      // Workload identity replaces bucket keys, not receiver keys, and there is no secret store:
      // the Secret is created once in the cluster; Alertmanager waits for it, visibly, until then.
      return {
        resources: [],
        files: [template],
        userResources: [],
        nextSteps: [
          `copy overlays/${overlay.name}/${ALERTMANAGER_TEMPLATE} outside Git, fill in the receivers, then once per cluster: kubectl create secret generic ${secretName} --namespace ${ns} --from-file=${key}=<your copy> (Alertmanager pods wait for it).`,
        ],
      };
    case 'plain': {
      const secret: KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, annotations: { [NO_CREDENTIALS_ANNOTATION]: 'none: the null receiver notifies nobody (dev)' } },
        type: 'Opaque',
        stringData: { [key]: alertmanagerConfigText(nullAlertmanagerConfig(), NULL_CONFIG_HEADER) },
      };
      return {
        resources: [{ path: 'alertmanager-secret.yaml', objects: [secret] }],
        files: [],
        userResources: [],
        nextSteps: [
          'alerts go to the null receiver in this dev overlay, on purpose: nobody is notified (see docs/alerting.md to change that).',
        ],
      };
    }
  }
}
