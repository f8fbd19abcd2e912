// Reads the value type of every Thanos flag from the Go source of each release in
// core/reference/thanos-flags-by-version.json and writes core/reference/thanos-flag-types-by-version.json.
// Usage: node scripts/read-thanos-flag-types.mjs <git dir of thanos-io/thanos> (a clone or mirror with the tags).
// A one-off reader, not part of the build: re-run it when a release is added to the by-version file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const gitDir = process.argv[2];
if (!gitDir) throw new Error('usage: node scripts/read-thanos-flag-types.mjs <thanos git dir>');
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const reference = new URL('../core/reference/', import.meta.url);
const byVersion = JSON.parse(readFileSync(new URL('thanos-flags-by-version.json', reference), 'utf8'));
const releases = byVersion.releases;

/** The command whose flags a file of cmd/thanos registers; anything else registers flags several commands share. */
const FILE_COMMAND = {
  'compact.go': 'compact',
  'query.go': 'query',
  'query_frontend.go': 'query-frontend',
  'store.go': 'store',
  'receive.go': 'receive',
  'rule.go': 'rule',
  'sidecar.go': 'sidecar',
};

/** kingpin's terminal calls: the value type a flag clause ends in. */
const TERMINAL =
  /^(DurationVar|Duration|BytesVar|Bytes|Int64Var|Int64|Int32Var|Int32|IntVar|Int|Uint64Var|Uint64|Uint32Var|Uint32|UintVar|Uint|Float64Var|Float64|BoolVar|Bool|StringVar|String|StringsVar|Strings|EnumVar|Enum|EnumsVar|Enums|SetValue|StringMap|ExistingFileVar|ExistingFile|ExistingDir|URL|TCP|IP|Counter)$/;
const KIND = {
  Duration: 'duration',
  Bytes: 'bytes',
  // kingpin Int goes through strconv.ParseFloat and truncates (values_generated.go:322-328 at v2.4.0, v2.2.6 and
  // 17f40c25f497, the commit Thanos' go.mod replaces gopkg.in/alecthomas/kingpin.v2 with): 5e7 and 1.5 are ints.
  Int: 'int',
  Int64: 'integer',
  Int32: 'integer',
  Uint: 'unsigned',
  Uint64: 'unsigned',
  Uint32: 'unsigned',
  Float64: 'float',
  Enum: 'enum',
  // Hidden flags are not in --help, so the by-version lists cannot mark a hidden boolean (`--[no-]x` in --help):
  // read here, `--no-x` and a bare `--x` take no value for them as for any kingpin bool (flags.go:93-120 at v2.4.0).
  Bool: 'bool',
};

function constants(tag) {
  const out = new Map();
  const text = git(
    'grep',
    '-h',
    '-I',
    '-E',
    '^\\s*[A-Za-z_]\\w*\\s+(\\w+\\s+)?=\\s+"[^"]*"\\s*(//.*)?$',
    tag,
    '--',
    'cmd/*.go',
    'pkg/*.go',
  );
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_]\w*)\s+(?:\w+\s+)?=\s+"([^"]*)"/.exec(line);
    if (!m) continue;
    const seen = out.get(m[1]);
    out.set(m[1], seen === undefined || seen === m[2] ? m[2] : null); // null: two values, not resolvable by name
  }
  return out;
}

/** Enum values: string literals, or constants (`string(pkg.Name)`) the release defines once; undefined if any is not. */
function enumValues(args, consts) {
  const values = [];
  for (const raw of args.split(',').map((a) => a.trim())) {
    if (raw === '') continue;
    let m = /^"([^"]*)"$/.exec(raw);
    if (m) {
      values.push(m[1]);
      continue;
    }
    m = /^(?:string\()?(?:\w+\.)?(\w+)\)?$/.exec(raw);
    const value = m ? consts.get(m[1]) : undefined;
    if (typeof value !== 'string') return undefined;
    values.push(value);
  }
  return values;
}

/** The index just past the parenthesis that closes the one opened before `start` (Go strings skipped). */
function closeParen(text, start) {
  let depth = 1;
  let i = start;
  for (; i < text.length && depth > 0; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '`') i = text.indexOf('`', i + 1);
  }
  return i;
}

/** The method calls chained on `Flag(...)` at `start` (the index of its opening parenthesis + 1): [name, args][]. */
function chain(text, start) {
  const calls = [];
  let i = closeParen(text, start);
  for (;;) {
    const m = /^\s*\.\s*([A-Za-z]\w*)\(/.exec(text.slice(i, i + 200));
    if (!m) return calls;
    const open = i + m[0].length;
    i = closeParen(text, open);
    calls.push([m[1], text.slice(open, i - 1)]);
  }
}

function fieldTypes(files) {
  const out = new Map();
  for (const text of files) {
    for (const m of text.matchAll(/^\s*(\w+(?:\s*,\s*\w+)*)\s+\*?((?:\w+\.)?\w+)\s*(?:`[^`]*`)?\s*(?:\/\/.*)?$/gm)) {
      for (const name of m[1].split(',')) out.set(name.trim(), m[2]);
    }
  }
  return out;
}

function readRelease(tag) {
  const paths = git('ls-tree', '-r', '--name-only', tag, '--', 'cmd/thanos', 'pkg/extkingpin', 'pkg/extflag', 'pkg/model')
    .split('\n')
    .filter((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
  const files = paths.map((p) => [p, git('show', `${tag}:${p}`)]);
  const consts = constants(tag);
  const fields = fieldTypes(files.map(([, t]) => t));
  const types = {};
  for (const [path, text] of files) {
    const base = path.split('/').pop();
    if (path.startsWith('cmd/thanos/') && /^tools/.test(base)) continue;
    const command = path.startsWith('cmd/thanos/') ? (FILE_COMMAND[base] ?? 'shared') : 'shared';
    // A field of the file's own config struct first: compact's consistencyDelay is a time.Duration, store's a model.Duration.
    const local = fieldTypes([text]);
    for (const m of text.matchAll(/\bFlag\("([a-z0-9][a-z0-9._-]*)"/g)) {
      const calls = chain(text, m.index + 'Flag('.length);
      const terminal = calls.find(([call]) => TERMINAL.test(call));
      const before = text.slice(Math.max(0, m.index - 60), m.index);
      let type;
      if (/ModelDuration\(\s*\w*\.?$/.test(before)) type = 'model-duration';
      else if (/TimeOrDuration\(\s*\w*\.?$/.test(before)) type = 'time-or-duration';
      else if (terminal) {
        const [name, args] = terminal;
        const call = name.replace(/Var$/, '');
        if (call === 'SetValue') {
          const field = /&?([\w.]+)/.exec(args)?.[1].split('.').pop() ?? '';
          const goType = local.get(field) ?? fields.get(field);
          type = /model\.Duration$/.test(goType ?? '')
            ? 'model-duration'
            : /TimeOrDurationValue$/.test(goType ?? '')
              ? 'time-or-duration'
              : undefined;
        } else if (call === 'Enum') {
          const values = enumValues(name === 'EnumVar' ? args.slice(args.indexOf(',') + 1) : args, consts);
          type = values ? { enum: values } : undefined;
        } else type = KIND[call];
      }
      if (type === undefined) continue;
      const name = `--${m[1]}`;
      types[command] ??= {};
      const prior = types[command][name];
      if (prior !== undefined && JSON.stringify(prior) !== JSON.stringify(type)) types[command][name] = 'conflict';
      else types[command][name] = type;
    }
  }
  return types;
}

/** Per command and flag: [type, [[from, to], ...]] runs over the releases, like the by-version `present` ranges. */
const merged = {};
for (const tag of releases) {
  const types = readRelease(tag);
  for (const [command, flags] of Object.entries(types)) {
    for (const [name, type] of Object.entries(flags)) {
      const key = JSON.stringify(type);
      merged[command] ??= {};
      merged[command][name] ??= [];
      const runs = merged[command][name];
      const last = runs[runs.length - 1];
      const prev = releases[releases.indexOf(tag) - 1];
      if (last && last.key === key && last.to === prev) last.to = tag;
      else runs.push({ key, type, from: tag, to: tag });
    }
  }
  process.stderr.write(`${tag} `);
}
const flags = {};
for (const command of Object.keys(merged).sort()) {
  flags[command] = {};
  for (const name of Object.keys(merged[command]).sort()) {
    flags[command][name] = merged[command][name].map(({ type, from, to }) => ({ type, releases: [from, to] }));
  }
}
const kingpin = {};
for (const tag of releases) {
  const mod = git('show', `${tag}:go.mod`);
  kingpin[tag] = /github\.com\/alecthomas\/kingpin\/v2 v2\.\d+\.\d+/.test(mod)
    ? 'str2duration'
    : /gopkg\.in\/alecthomas\/kingpin\.v2 v/.test(mod)
      ? 'time.ParseDuration'
      : 'unknown';
}
const out = {
  source:
    'thanos-io/thanos at each release of thanos-flags-by-version.json: the kingpin clause of every flag in cmd/thanos/*.go, pkg/extkingpin, pkg/extflag and pkg/model (read by scripts/read-thanos-flag-types.mjs), and the kingpin module each go.mod requires',
  note: 'types: duration = kingpin .Duration() (parsed by the kingpin the release builds on: see kingpinDuration), model-duration = extkingpin.ModelDuration or SetValue on a model.Duration (prometheus/common model.ParseDuration in every release), time-or-duration = RFC3339 or a model duration with an optional minus, int = kingpin Int (strconv.ParseFloat, then truncated: 5e7 and 1.5 pass), integer = kingpin Int64/Int32 (strconv.ParseInt base 0), unsigned = kingpin Uint* (strconv.ParseUint base 0), float, bytes = kingpin .Bytes() (alecthomas/units ParseBase2Bytes), bool = kingpin .Bool() (takes no value; --no-x turns it off: the only record of hidden booleans, which --help does not list), {enum: [...]} = kingpin Enum with the values the release defines (enums given as a Go slice are left out). Per command = the flag is registered in cmd/thanos/<command>.go; shared = registered by helpers several commands call (config.go, pkg/extkingpin): a command-specific entry wins. conflict = the same file registers the name with two types (not judged). Booleans shown in --help are also marked in thanos-flags-by-version.json.',
  kingpinDuration: kingpin,
  flags,
};
writeFileSync(new URL('thanos-flag-types-by-version.json', reference), `${JSON.stringify(out, null, 2)}\n`);
process.stderr.write('\n');
