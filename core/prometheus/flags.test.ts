import { describe, expect, it } from 'vitest';
import alertmanagerReference from '../reference/alertmanager-flags-by-version.json' with { type: 'json' };
import prometheusReference from '../reference/prometheus-flags-by-version.json' with { type: 'json' };
import { checkProgramArgs, type Program, programFlags, programRelease, programReleases, programValueProblem } from './flags.js';

const messages = (program: Program, args: string[], release: string) => checkProgramArgs(program, args, release).map((p) => p.message);

describe('the reference read from each release (scripts/read-prometheus-flags.mjs)', () => {
  const references = { prometheus: prometheusReference, alertmanager: alertmanagerReference } as const;
  for (const [program, reference] of Object.entries(references)) {
    it(`${program}: every run lies within the releases read, in order, without overlaps or gaps in the type`, () => {
      const releases = reference.releases;
      const bad: string[] = [];
      for (const [flag, runs] of Object.entries(reference.flags as Record<string, { releases: string[] }[]>)) {
        let last = -1;
        for (const {
          releases: [from, to],
        } of runs) {
          const a = releases.indexOf(from);
          const b = releases.indexOf(to);
          if (a < 0 || b < a || a <= last) bad.push(`${flag} ${from}..${to}`);
          last = b;
        }
      }
      expect(bad).toEqual([]);
      expect(Object.keys(reference.modules)).toEqual(releases);
    });
  }
  it('reads the latest patch of every minor release asked for: Prometheus v2.55 and v3.0-v3.14, Alertmanager v0.25-v0.34', () => {
    expect(programReleases('prometheus').map((r) => r.replace(/\.\d+$/, ''))).toEqual([
      'v2.55',
      ...Array.from({ length: 15 }, (_, i) => `v3.${i}`),
    ]);
    expect(programReleases('alertmanager').map((r) => r.replace(/\.\d+$/, ''))).toEqual(
      Array.from({ length: 10 }, (_, i) => `v0.${25 + i}`),
    );
  });
  it('duration parser from the kingpin each go.mod requires: Alertmanager v0.25 gopkg.in kingpin.v2 v2.2.6 (time.ParseDuration), v0.26 kingpin/v2 v2.3.2 and later str2duration (A@v0.26.0 go.mod:6, kingpin@v2.3.2 values.go:142)', () => {
    const am = alertmanagerReference.modules as Record<string, { duration: string; modules: { kingpin: string } }>;
    expect(am['v0.25.1']).toMatchObject({ duration: 'time.ParseDuration', modules: { kingpin: 'gopkg.in/alecthomas/kingpin.v2 v2.2.6' } });
    expect(am['v0.26.0']).toMatchObject({ duration: 'str2duration', modules: { kingpin: 'github.com/alecthomas/kingpin/v2 v2.3.2' } });
    const prom = prometheusReference.modules as Record<string, { duration: string }>;
    expect(Object.values(prom).every((m) => m.duration === 'str2duration')).toBe(true);
  });
  it('known types: P@v3.13.2 main.go:505 retention.size BytesVar, :627 query.timeout SetValue(model.Duration), :630 query.max-concurrency IntVar, :606 rules.max-concurrent-evals Int64Var, :522 wal-compression-type EnumVar', () => {
    const at = (flag: string) =>
      (prometheusReference.flags as Record<string, { releases: string[]; type: unknown }[]>)[flag].find((r) => r.releases[1] === 'v3.14.0')
        ?.type;
    expect(at('--storage.tsdb.retention.size')).toBe('bytes');
    expect(at('--query.timeout')).toBe('model-duration');
    expect(at('--query.max-concurrency')).toBe('int');
    expect(at('--rules.max-concurrent-evals')).toBe('integer');
    expect(at('--storage.tsdb.wal-compression-type')).toEqual({ enum: ['snappy', 'zstd'] });
    expect(at('--web.enable-lifecycle')).toBe('boolean');
  });
  it('flags v3.0 removed are in v2.55 only (P@v2.55.1 main.go:379, :393, :476)', () => {
    for (const flag of ['--storage.tsdb.retention', '--storage.tsdb.allow-overlapping-blocks', '--alertmanager.timeout'])
      expect((prometheusReference.flags as Record<string, { releases: string[] }[]>)[flag].map((r) => r.releases)).toEqual([
        ['v2.55.1', 'v2.55.1'],
      ]);
    expect(programFlags('prometheus', 'v3.0.1')).toContain('--web.enable-otlp-receiver');
  });
});

describe('programRelease: the minor release of an image tag', () => {
  it('known, newer and older minors', () => {
    expect(programRelease('prometheus', 'v3.5.0')).toEqual({ state: 'known', release: 'v3.5.5' });
    expect(programRelease('prometheus', '3.9.1-debian-12-r0')).toEqual({ state: 'known', release: 'v3.9.1' });
    expect(programRelease('prometheus', 'v3.99.0').state).toBe('newer');
    expect(programRelease('prometheus', 'v2.45.0').state).toBe('older');
    expect(programRelease('alertmanager', 'v0.24.0').state).toBe('older');
    expect(programRelease('alertmanager', 'latest').state).toBe('unknown');
  });
});

describe('checkProgramArgs: kingpin v2.4.0 flags.go:91-130 and parser.go:184-190 (the same in v2.2.6)', () => {
  it('passes both spellings, --no- of a boolean, repeatable flags, hidden flags, -h', () => {
    expect(
      messages(
        'prometheus',
        [
          '--config.file=/etc/prometheus/prometheus.yml',
          '--storage.tsdb.path',
          '/prometheus',
          '--web.enable-lifecycle',
          '--no-auto-gomemlimit',
          '--web.listen-address=:9090',
          '--web.listen-address=:9091',
          '--enable-feature=exemplar-storage',
          '--enable-feature',
          'native-histograms',
          '--storage.tsdb.min-block-duration=2h',
          '--query.max-samples=5e7',
          '--log.level=DEBUG',
          '-h',
        ],
        'v3.13.2',
      ),
    ).toEqual([]);
  });
  it('an unknown flag, and one v3 removed, named with what to write (P@v2.55.1 main.go:393)', () => {
    expect(messages('prometheus', ['--storage.tsdb.allow-overlapping-blocks'], 'v3.0.1')).toEqual([
      "prometheus v3.0 exits at start: unknown long flag '--storage.tsdb.allow-overlapping-blocks': v3.0 removed it (v2.55.1 was the last with it); remove it (overlapping blocks are always allowed since v2.39)",
    ]);
    expect(messages('prometheus', ['--storage.tsdb.allow-overlapping-blocks'], 'v2.55.1')).toEqual([]);
    expect(messages('prometheus', ['--web.enable-lifecyle'], 'v3.13.2')[0]).toMatch(
      /unknown long flag '--web.enable-lifecyle' \(no prometheus release/,
    );
    expect(messages('prometheus', ['--config.auto-reload'], 'v3.11.3')[0]).toMatch(/first appears in v3.12/);
  });
  it('a boolean given a value; --no- of a flag that takes a value; a flag without its value', () => {
    expect(messages('prometheus', ['--web.enable-lifecycle=true'], 'v3.13.2')[0]).toMatch(
      /--web.enable-lifecycle=true gives a boolean flag a value.*"unexpected true"\); write --web.enable-lifecycle to turn it on or --no-web.enable-lifecycle/,
    );
    expect(messages('alertmanager', ['--no-config.file'], 'v0.32.3')[0]).toMatch(
      /unknown long flag '--no-config.file' \(--config.file takes a value/,
    );
    expect(messages('alertmanager', ['--config.file', '--log.level=info'], 'v0.32.3')[0]).toMatch(
      /expected argument for flag '--config.file'/,
    );
  });
  it('values by type and release: 1d on Alertmanager v0.25 (A@v0.25.1 main.go:204 Duration, kingpin.v2 v2.2.6) but not v0.26', () => {
    expect(messages('alertmanager', ['--data.retention=5d'], 'v0.25.1')[0]).toMatch(/is not a Go duration.*write 120h/);
    expect(messages('alertmanager', ['--data.retention=5d'], 'v0.26.0')).toEqual([]);
    expect(programValueProblem('prometheus', '--query.timeout', '1.5m', 'v3.13.2')).toMatch(/not a Prometheus duration/);
    expect(programValueProblem('prometheus', '--storage.tsdb.retention.size', '50Gi', 'v3.13.2')).toMatch(/write 50GiB/);
    expect(programValueProblem('prometheus', '--rules.max-concurrent-evals', '5e2', 'v3.13.2')).toMatch(/not an integer/);
  });
  it('values out of range for their Go type stop the process like a typo (strconv ErrRange; core/units/*.test.ts)', () => {
    // P@v3.13.2 cmd/prometheus/main.go:606-607 Int64Var: ParseInt(s, 0, 64) (kingpin v2.4.0 values_generated.go:495).
    expect(programValueProblem('prometheus', '--rules.max-concurrent-evals', '9223372036854775808', 'v3.13.2')).toBe(
      '--rules.max-concurrent-evals=9223372036854775808 is out of range for an int64 (strconv.ParseInt: -9223372036854775808 to 9223372036854775807); write a smaller number',
    );
    expect(programValueProblem('prometheus', '--rules.max-concurrent-evals', '1_000', 'v3.13.2')).toBeUndefined();
    expect(programValueProblem('prometheus', '--rules.max-concurrent-evals', '1__000', 'v3.13.2')).toMatch(/is not an integer/);
    // kingpin Int: ParseFloat(s, 64) (values_generated.go:323): 1e400 is ErrRange, 1e19 is taken.
    expect(programValueProblem('prometheus', '--query.max-samples', '1e400', 'v3.13.2')).toMatch(
      /^--query.max-samples=1e400 is out of range \(strconv.ParseFloat/,
    );
    expect(programValueProblem('prometheus', '--query.max-samples', '1e19', 'v3.13.2')).toBeUndefined();
    // prometheus/common model.ParseDuration (v0.69.0 model/time.go): at most 2^63-1 ns.
    expect(programValueProblem('prometheus', '--query.timeout', '300y', 'v3.13.2')).toMatch(
      /^--query.timeout=300y is longer than a Prometheus duration holds \(model.ParseDuration: at most 292y24w3d23h47m16s854ms, about 292 years\); write a shorter one$/,
    );
    expect(programValueProblem('prometheus', '--query.timeout', '', 'v3.13.2')).toMatch(/is not a Prometheus duration/);
    // alecthomas/units@0f3dac36c52b util.go:134-136.
    expect(programValueProblem('prometheus', '--storage.tsdb.retention.size', '9EiB', 'v3.13.2')).toMatch(
      /is more than a byte size holds \(units.ParseBase2Bytes: at most 8EiB, 2\^63 bytes\); write a smaller size$/,
    );
    // Alertmanager v0.25: time.ParseDuration; later releases str2duration (kingpin v2.4.0 values.go:141-145).
    expect(programValueProblem('alertmanager', '--data.retention', '3000000h', 'v0.25.1')).toMatch(
      /is longer than a Go duration holds \(at most 2562047h47m16s/,
    );
    expect(programValueProblem('alertmanager', '--data.retention', '106752d', 'v0.32.3')).toMatch(/is longer than a Go duration holds/);
    expect(programValueProblem('alertmanager', '--data.retention', '106751d', 'v0.32.3')).toBeUndefined();
  });
  it('--log.level case: v3.0 (common v0.60.1 promslog/slog.go:118 switch s) refuses DEBUG, v3.1 (common v0.61.0 :121 ToLower) takes it', () => {
    expect(messages('prometheus', ['--log.level=DEBUG'], 'v3.0.1')[0]).toMatch(
      /is not one of debug, info, warn, error \(v3.0 compares case-sensitively: write debug\)/,
    );
    expect(messages('prometheus', ['--log.level=DEBUG'], 'v3.1.0')).toEqual([]);
    expect(messages('alertmanager', ['--log.format=text'], 'v0.32.3')[0]).toMatch(/--log.format=text is not one of logfmt, json/);
  });
  it('a flag that does not accumulate given twice: Alertmanager --enable-feature is a String (A@v0.32.3 main.go:179)', () => {
    expect(messages('alertmanager', ['--enable-feature=a', '--enable-feature=b'], 'v0.32.3')).toEqual([
      'alertmanager v0.32 exits at start: --enable-feature is given 2 times and takes one value ("flag \'enable-feature\' cannot be repeated"); keep one and separate the features with commas',
    ]);
    expect(messages('alertmanager', ['--cluster.peer=a:9094', '--cluster.peer=b:9094'], 'v0.32.3')).toEqual([]);
  });
  it('single-dash flags and stray arguments', () => {
    expect(messages('prometheus', ['-config.file=/x'], 'v3.13.2')[0]).toMatch(/unknown short flag '-c'.*write --config.file=\/x/);
    expect(messages('prometheus', ['--config.file=/x', 'extra'], 'v3.13.2')[0]).toMatch(/"unexpected extra"/);
  });
  it('Alertmanager --enable-feature values: unknown names exit (A@v0.32.1 featurecontrol/featurecontrol.go:151, cmd/alertmanager/main.go:198-202)', () => {
    expect(messages('alertmanager', ['--enable-feature=receiver-name-in-metrics,auto-gomemlimit'], 'v0.32.3')).toEqual([]);
    expect(messages('alertmanager', ['--enable-feature=auto-gomemlimit'], 'v0.27.0')[0]).toMatch(
      /alertmanager v0.27 exits at start: --enable-feature: unknown option 'auto-gomemlimit'.*it takes receiver-name-in-metrics, classic-mode, utf8-strict-mode/,
    );
    expect(messages('alertmanager', ['--enable-feature=classic-mode, utf8-strict-mode'], 'v0.32.3')[0]).toMatch(
      /unknown option ' utf8-strict-mode'.*without spaces/,
    );
    expect(messages('alertmanager', ['--enable-feature=classic-mode,utf8-strict-mode'], 'v0.32.3')[0]).toMatch(
      /cannot have both classic and UTF-8 modes enabled/,
    );
    expect(messages('prometheus', ['--enable-feature=no-such-feature'], 'v3.13.2')).toEqual([]);
  });
});
