import { describe, expect, it } from 'vitest';
import { format } from '../../policies/engine/format.js';
import { runCheck } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('runCheck concurrency', () => {
  it('prints the same report with concurrency 1 and N, and reports progress per set', async () => {
    const events: string[] = [];
    const serial = await runCheck({ policies, root: ROOT, concurrency: 1, onProgress: (e) => events.push(`${e.set}:${e.phase}`) });
    const parallel = await runCheck({ policies, root: ROOT, concurrency: 4 });
    for (const kind of ['json', 'sarif', 'junit', 'github', 'text'] as const) {
      expect(format(parallel, kind, { policies })).toBe(format(serial, kind, { policies }));
    }
    for (const set of serial.sets) {
      expect(events).toContain(`${set}:rendering`);
      expect(events).toContain(`${set}:checked`);
    }
  });
});
