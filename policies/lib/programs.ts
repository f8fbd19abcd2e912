import { posix } from 'node:path';
import { type Program, type ProgramRelease, programRelease } from '../../core/prometheus/flags.js';
import { ALERTMANAGER_VERSION, PROMETHEUS_VERSION } from '../../settings/versions.js';
import { parseImage } from './images.js';
import { asArray, type Container, type Workload } from './model.js';

/** A Prometheus or Alertmanager process of a workload: its container, its arguments after the binary, its release. */
export interface ProgramProcess {
  readonly container: Container;
  readonly program: Program;
  /** The arguments kingpin parses (command after the binary, then args), `$(VAR)` expanded where known. */
  readonly args: readonly string[];
  /** The reference release its image runs; undefined when the image is older than the reference (not judged). */
  readonly release?: string;
  readonly match: ProgramRelease;
  /** The version the image names ("v3.15.0", "v0.27.0-debian-12-r0"), or the pinned release when it names none. */
  readonly version: string;
}

const PINNED: Record<Program, string> = { prometheus: PROMETHEUS_VERSION, alertmanager: ALERTMANAGER_VERSION };

/** The program an image runs, by its repository's last path segment (quay.io/prometheus/alertmanager, bitnami/prometheus). */
export function imageProgram(image: string): Program | undefined {
  const repo = parseImage(image).name.split('/').pop();
  return repo === 'prometheus' || repo === 'alertmanager' ? repo : undefined;
}

/**
 * The Prometheus and Alertmanager processes of a workload, identified by image. A `command` that is not
 * the program's own binary (a shell, a wrapper) hides the command line: not read. An image tag that
 * names no version is read as the pinned release (settings/versions.ts).
 */
export function programProcesses(workload: Workload): ProgramProcess[] {
  const out: ProgramProcess[] = [];
  for (const container of workload.containers) {
    const program = imageProgram(container.image);
    if (!program || container.init || container.thanos) continue;
    const command = asArray(container.raw.command);
    let args = container.argv;
    if (command.length > 0) {
      if (posix.basename(String(command[0])) !== program) continue;
      args = args.slice(1);
    }
    const tag = parseImage(container.image).tag;
    let match = tag ? programRelease(program, tag) : ({ state: 'unknown' } as const);
    if (match.state === 'unknown') match = programRelease(program, PINNED[program]);
    const release = 'release' in match ? match.release : undefined;
    const version =
      tag && match.state !== 'unknown' && /^v?\d+\.\d+/.test(tag) ? `v${tag.replace(/^v/, '')}` : (release ?? PINNED[program]);
    out.push({ container, program, args, match, release, version });
  }
  return out;
}
