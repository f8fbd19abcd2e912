import { describe, expect, it } from 'vitest';
import { progressLine } from '../cli/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 60, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

describe('the progress line', () => {
  it('shows done/total and the current overlay once a run has taken over a second, then erases itself', () => {
    let clock = 0;
    const { stream, writes } = fakeStream(true);
    const line = progressLine(stream, 'check', { enabled: true, now: () => clock });
    line.update({ set: 'dev-minio', phase: 'rendering', done: 0, total: 24 });
    expect(writes).toEqual([]); // under a second: quiet
    clock = 1500;
    line.update({ set: 'prod-oss', phase: 'checked', done: 7, total: 24 });
    expect(writes).toEqual(['\r\x1b[2Kcheck 7/24 checked prod-oss']);
    line.finish();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
  it('writes nothing when the stream is not a terminal, or for machine-readable formats', () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      let clock = 0;
      const { stream, writes } = fakeStream(isTTY);
      const line = progressLine(stream, 'check', { enabled, now: () => clock });
      clock = 5000;
      line.update({ set: 'x', phase: 'checked', done: 1, total: 2 });
      line.finish();
      expect(writes).toEqual([]);
    }
  });
});
