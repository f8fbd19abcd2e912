import { chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPrometheusConfig, promtoolInfo } from '../../policies/lib/promtool.js';
import { promtool } from '../helpers/tools.js';

describe('promtool --version is kept on disk by the binary', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  // The real promtool behind a wrapper that notes each start; a PATH of its own for every lookup
  // (the answer is also kept in memory per PATH value).
  const dir = mkdtempSync(join(tmpdir(), 'promtool-version-'));
  const log = join(dir, 'starts.log');
  const wrapper = join(dir, 'promtool');
  writeFileSync(wrapper, `#!/bin/sh\necho "$1" >> '${log}'\nexec /usr/bin/promtool "$@"\n`);
  chmodSync(wrapper, 0o755);
  writeFileSync(log, '');
  let lookups = 0;
  const lookUp = () => {
    process.env.PATH = `${dir}:${saved}:/lookup-${lookups++}`;
    return promtoolInfo();
  };
  const real = /version (\d+\.\d+\.\d+)/.exec(promtool(['--version']).output)?.[1];

  it('asked once, then read back while the binary is unchanged', () => {
    expect(lookUp()).toEqual({ available: true, version: real });
    expect(lookUp()).toEqual({ available: true, version: real });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['--version']);
  });

  it('asked again once the binary changes', () => {
    writeFileSync(log, '');
    utimesSync(wrapper, new Date(), new Date(Date.now() + 60_000));
    expect(lookUp()).toEqual({ available: true, version: real });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['--version']);
  });

  it('a promtool that fails is not there, and is not remembered as there', () => {
    const broken = mkdtempSync(join(tmpdir(), 'promtool-broken-'));
    writeFileSync(join(broken, 'promtool'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(broken, 'promtool'), 0o755);
    process.env.PATH = `${broken}:${saved}`;
    expect(promtoolInfo()).toEqual({ available: false });
  });
});

describe('checkPrometheusConfig: a configuration already read is checked as its JSON text would be', () => {
  const config = {
    global: { scrape_interval: '30s', external_labels: { cluster: 'c' } },
    scrape_configs: [{ job_name: 'pods', kubernetes_sd_configs: [{ role: 'pod' }] }],
  };
  it('passes the same', () => {
    expect(checkPrometheusConfig(config)).toEqual(checkPrometheusConfig(JSON.stringify(config)));
    expect(checkPrometheusConfig(config).ok).toBe(true);
  });
  it('fails the same, with the same message', () => {
    const broken = { ...config, global: { ...config.global, scrape_interval: 'often' } };
    const answer = checkPrometheusConfig(broken);
    expect(answer.ok).toBe(false);
    expect(answer).toEqual(checkPrometheusConfig(JSON.stringify(broken)));
  });
});
