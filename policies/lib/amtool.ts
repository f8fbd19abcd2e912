import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPath } from '../../core/on-path.js';

/**
 * The real amtool, run on an Alertmanager configuration the check reads: evidence beside the rule's
 * own verdict, never the verdict (amtool may be missing, and the one on PATH may be older than the
 * Alertmanager the image runs). Its answers are kept on disk by amtool binary and content, so an
 * unchanged configuration does not start amtool again.
 */
export interface AmtoolAnswer {
  /** amtool's version ("0.25.0"). */
  readonly version?: string;
  readonly ok: boolean;
  /** What amtool printed about the file (its FAILED reason), when it refused it. */
  readonly message?: string;
}

const DISK_CACHE = join(tmpdir(), 'thanos-ha-amtool-cache');
const memory = new Map<string, AmtoolAnswer | undefined>();

function binaryKey(binary: string): string | undefined {
  try {
    const s = statSync(binary);
    return `${binary}\n${s.size}\n${s.ino}\n${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** amtool check-config on `text`; undefined when amtool is not on PATH or did not run. */
export function amtoolCheck(text: string): AmtoolAnswer | undefined {
  const binary = onPath('amtool');
  if (!binary) return undefined;
  const id = binaryKey(binary);
  if (!id) return undefined;
  const key = createHash('sha256').update(`${id}\n${text}`).digest('hex');
  if (memory.has(key)) return memory.get(key);
  const stored = join(DISK_CACHE, `${key}.json`);
  let answer: AmtoolAnswer | undefined;
  try {
    answer = JSON.parse(readFileSync(stored, 'utf8')) as AmtoolAnswer;
  } catch {
    answer = run(binary, text);
    if (answer) {
      try {
        mkdirSync(DISK_CACHE, { recursive: true });
        writeFileSync(`${stored}.${process.pid}`, JSON.stringify(answer));
        renameSync(`${stored}.${process.pid}`, stored);
      } catch {
        // A cache that cannot be written only costs time.
      }
    }
  }
  memory.set(key, answer);
  return answer;
}

const versions = new Map<string, string | undefined>();

/** amtool's version, asked once per binary and process. */
function versionOf(binary: string): string | undefined {
  if (!versions.has(binary)) {
    const answer = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    versions.set(binary, /version (\d+\.\d+\.\d+)/.exec(`${answer.stdout ?? ''}${answer.stderr ?? ''}`)?.[1]);
  }
  return versions.get(binary);
}

function run(binary: string, text: string): AmtoolAnswer | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'amtool-'));
  try {
    const file = join(dir, 'alertmanager.yaml');
    writeFileSync(file, text);
    const result = spawnSync(binary, ['check-config', file], { encoding: 'utf8', timeout: 15_000 });
    if (result.error || result.status === null) return undefined;
    const out = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    const v = versionOf(binary);
    if (result.status === 0) return { version: v, ok: true };
    const failed = /FAILED: ([\s\S]*?)(?:\n\s*\n|amtool: error|$)/.exec(out)?.[1]?.replace(/\s+/g, ' ').trim();
    return { version: v, ok: false, message: failed ?? out.trim().split('\n')[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
