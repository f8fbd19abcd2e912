import { releaseFor } from '../../core/thanos/flags.js';
import { THANOS_VERSION } from '../../settings/versions.js';

/** Splits an image reference into name, tag and digest (a registry port is not a tag). */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/**
 * What the flag reference is, truthfully after an upgrade: while the project pins the reference's
 * version, that; once the pin moved past it, both versions and the reference file to add.
 */
export function referenceNote(pinned: string = THANOS_VERSION, reference: string = THANOS_VERSION): string {
  return pinned === reference
    ? 'the version the project pins'
    : `the flag reference in core/reference/ (the project now pins ${pinned}: add its flag reference, core/reference/thanos-flags-${pinned}.json)`;
}

/**
 * The release whose flags a Thanos image has: its tag's minor release (`v0.39.1`, Bitnami's
 * `0.36.1-debian-12-r3`, `v0.39.1@sha256:...`). A digest without a tag, or a tag that is no version,
 * is checked against the pinned release with a note saying so.
 */
export function imageRelease(image: string): { release: string; note?: string; older?: true } {
  const { tag, digest } = parseImage(image);
  const match = tag ? releaseFor(tag) : { state: 'unknown' as const };
  if (match.state === 'known') return { release: match.release };
  if (match.state === 'newer')
    return {
      release: match.release,
      note: `image ${image} is newer than the flag reference (${match.release}); its flags are checked against ${match.release}`,
    };
  if (match.state === 'older')
    return {
      release: match.release,
      older: true,
      note: `image ${image} is older than the flag reference (${match.release}); its flags are checked against ${match.release}`,
    };
  const why = tag ? `its tag ${tag} names no Thanos version` : digest ? 'it is pinned by digest only' : 'it has no tag';
  return {
    release: THANOS_VERSION,
    note: `image ${image}: ${why}, so its flags are checked against ${THANOS_VERSION}, ${referenceNote()}`,
  };
}
