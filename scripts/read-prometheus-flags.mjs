// Reads the command line of Prometheus and Alertmanager from the Go source of each release and writes
// core/reference/prometheus-flags-by-version.json and core/reference/alertmanager-flags-by-version.json,
// and the yaml keys of Alertmanager's configuration structs (config/*.go) to alertmanager-config-by-version.json.
// Usage: node scripts/read-prometheus-flags.mjs <mirror dir>, where <mirror dir> holds git dirs (clones or
// mirrors with their tags) named prometheus+prometheus, prometheus+alertmanager, prometheus+common,
// prometheus+exporter-toolkit and alecthomas+kingpin, each with a `repo` git dir inside (what the fetch tool
// writes), or pass the five git dirs in that order.
// A one-off reader, not part of the build: re-run it when a release is added to RELEASES below.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPOS = [
  'prometheus+prometheus',
  'prometheus+alertmanager',
  'prometheus+common',
  'prometheus+exporter-toolkit',
  'alecthomas+kingpin',
];
const args = process.argv.slice(2);
if (args.length !== 1 && args.length !== 5)
  throw new Error(
    'usage: node scripts/read-prometheus-flags.mjs <mirror dir> | <prometheus> <alertmanager> <common> <exporter-toolkit> <kingpin> git dirs',
  );
const dirs = args.length === 1 ? REPOS.map((r) => join(args[0], r, 'repo')) : args;
const [prometheusDir, alertmanagerDir, commonDir, toolkitDir, kingpinDir] = dirs;
const git = (dir, ...a) =>
  execFileSync('git', ['--git-dir', dir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
const reference = new URL('../core/reference/', import.meta.url);

/**
 * The latest patch of each minor release read. Prometheus v2.55 (the last v2) is read only so that a
 * flag v3 removed can be named as removed; Alertmanager from v0.25 (the release Debian's amtool is).
 */
const RELEASES = {
  prometheus: ['v2.55.1', ...range(0, 14).map((m) => latest(prometheusDir, `v3.${m}.`))],
  alertmanager: range(25, 34).map((m) => latest(alertmanagerDir, `v0.${m}.`)),
};

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The highest non-rc tag starting with `prefix` ("v3.5." -> "v3.5.5"). */
function latest(dir, prefix) {
  const tags = git(dir, 'tag', '-l', `${prefix}*`)
    .split('\n')
    .filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
  tags.sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  if (tags.length === 0) throw new Error(`no tag ${prefix}* in ${dir}`);
  return tags[tags.length - 1];
}

/** The version go.mod requires of a module path (its first match), or undefined. */
function required(mod, path) {
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(mod)?.[1];
}

/** The tag of a pseudo-version or release in a module's repository ("v0.65.1-0.2025...-7f8b2a0d32d3" -> the commit). */
function revision(version) {
  const pseudo = /-(?:\d+\.)?\d{14}-([0-9a-f]{12})$/.exec(version);
  return pseudo ? pseudo[1] : version.replace(/\+incompatible$/, '');
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

/** The method calls chained on the call whose arguments start at `start`: [name, args][]. */
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

/** Go struct fields and their types, by field name. */
function fieldTypes(texts) {
  const out = new Map();
  for (const text of texts) {
    for (const m of text.matchAll(/^\s*(\w+(?:\s*,\s*\w+)*)\s+\*?((?:\w+\.)?\w+)\s*(?:`[^`]*`)?\s*(?:\/\/.*)?$/gm)) {
      for (const name of m[1].split(',')) out.set(name.trim(), m[2]);
    }
  }
  return out;
}

/**
 * kingpin's value types (values_generated.go of kingpin v2.2.6 and v2.4.0): Int parses with
 * strconv.ParseFloat (so 5e7 and 1.5 pass), the sized ints with ParseInt base 0, uints with ParseUint.
 */
const KIND = {
  Bool: 'boolean',
  String: 'string',
  Strings: 'string',
  Duration: 'duration',
  Bytes: 'bytes',
  Int: 'int',
  Int64: 'integer',
  Int32: 'integer',
  Int16: 'integer',
  Int8: 'integer',
  Uint: 'unsigned',
  Uint64: 'unsigned',
  Uint32: 'unsigned',
  Uint16: 'unsigned',
  Uint8: 'unsigned',
  Float: 'float',
  Float64: 'float',
  Float32: 'float',
  ExistingFile: 'string',
  ExistingDir: 'string',
  URL: 'string',
  TCP: 'string',
  IP: 'string',
  Regexp: 'string',
};
/** The terminal calls whose value kingpin accumulates: the flag may be given more than once. */
const CUMULATIVE = new Set([
  'Strings',
  'Enums',
  'StringMap',
  'Int64List',
  'IntsVar',
  'Ints',
  'TCPList',
  'IPList',
  'URLList',
  'ExistingFiles',
]);

/** `name = "value"` constants of some Go files (compression.Snappy = "snappy"). */
function constants(texts) {
  const out = new Map();
  for (const text of texts) {
    for (const m of text.matchAll(/^\s*([A-Za-z_]\w*)\s+(?:\w+\s+)?=\s+"([^"]*)"/gm)) {
      const seen = out.get(m[1]);
      out.set(m[1], seen === undefined || seen === m[2] ? m[2] : null);
    }
  }
  return out;
}

/**
 * The flags registered in `text`: every `Flag("name"` (also `Flag(\n"name"`) and Prometheus'
 * serverOnlyFlag/agentOnlyFlag(app, "name"), with the type their clause ends in.
 */
function readFlags(text, { fields, consts, setValueType }) {
  const flags = {};
  for (const m of text.matchAll(/\b(Flag|serverOnlyFlag|agentOnlyFlag)\(\s*(?:\w+\s*,\s*)?"([a-z0-9][a-z0-9._-]*)"/g)) {
    const start = m.index + m[0].indexOf('(') + 1;
    const calls = chain(text, start);
    const names = calls.map(([c]) => c);
    const entry = {};
    const terminal = calls.find(([c]) => KIND[c.replace(/Var$/, '')] || /^(Enums?|EnumsVar|EnumVar|SetValue|StringMap|Counter)$/.test(c));
    if (terminal) {
      const [call, callArgs] = terminal;
      const base = call.replace(/Var$/, '');
      if (base === 'Enum' || base === 'Enums') {
        const list = call.endsWith('Var') ? callArgs.slice(callArgs.indexOf(',') + 1) : callArgs;
        const values = list
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
          .map((a) => a.replace(/^string\((.*)\)$/, '$1'))
          .map((a) => /^"([^"]*)"$/.exec(a)?.[1] ?? consts.get(a.split('.').pop()) ?? undefined);
        entry.type = values.every((v) => typeof v === 'string') ? { enum: values } : 'string';
      } else if (call === 'SetValue') entry.type = setValueType(callArgs, fields);
      else entry.type = KIND[base] ?? 'string';
      if (CUMULATIVE.has(base) || (call === 'SetValue' && entry.type === 'string-list')) entry.repeatable = true;
      if (entry.type === 'string-list') entry.type = 'string';
    } else {
      // No value call: kingpin's HelpFlag, a clause kingpin treats as a boolean.
      entry.type = 'boolean';
    }
    if (names.includes('Hidden')) entry.hidden = true;
    if (m[1] === 'serverOnlyFlag') entry.mode = 'server';
    if (m[1] === 'agentOnlyFlag') entry.mode = 'agent';
    flags[`--${m[2]}`] = entry;
  }
  return flags;
}

/** A SetValue target's Go type: a model.Duration field is a model duration; anything else any string. */
function setValueByField(callArgs, fields) {
  const field = /&([\w.]+)\)?\s*$/.exec(callArgs.trim())?.[1]?.split('.').pop();
  const goType = field ? fields.get(field) : undefined;
  if (/model\.Duration$/.test(goType ?? '')) return 'model-duration';
  if (/^rwProtoMsgFlagValue|MsgFlagValue/.test(callArgs.trim())) return 'string-list';
  return 'string';
}

/** The flags kingpin's own app adds (help, version, completion), from app.go of the kingpin release. */
function kingpinFlags(version) {
  const text = git(kingpinDir, 'show', `${version}:app.go`);
  const flags = readFlags(text, { fields: new Map(), consts: new Map(), setValueType: () => 'string' });
  for (const entry of Object.values(flags)) entry.type = 'boolean';
  return flags;
}

/** How kingpin's `.Duration()` parses, from its values.go: time.ParseDuration (no d, w) or str2duration (d, w). */
function kingpinDuration(version) {
  const text = git(kingpinDir, 'show', `${version}:values.go`);
  const body = /func \(d \*durationValue\) Set\(s string\) error \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
  if (/time\.ParseDuration/.test(body)) return 'time.ParseDuration';
  if (/str2duration\./.test(body)) return 'str2duration';
  throw new Error(`kingpin ${version}: durationValue.Set uses neither time.ParseDuration nor str2duration`);
}

/** The kingpin module and version a go.mod requires. */
function kingpinOf(mod) {
  const v2 = required(mod, 'github.com/alecthomas/kingpin/v2');
  if (v2) return { module: `github.com/alecthomas/kingpin/v2 ${v2}`, tag: v2 };
  const old = required(mod, 'gopkg.in/alecthomas/kingpin.v2');
  if (old) return { module: `gopkg.in/alecthomas/kingpin.v2 ${old}`, tag: old };
  throw new Error('go.mod requires no kingpin');
}

/**
 * --log.level and --log.format from prometheus/common at the version go.mod requires: promlog/flag
 * (go-kit, before v0.28 of Alertmanager) or promslog/flag; the values are the cases of each Set method.
 */
function logFlags(mod, usesSlog) {
  const version = revision(required(mod, 'github.com/prometheus/common'));
  const file = usesSlog ? 'promslog/slog.go' : 'promlog/log.go';
  const text = git(commonDir, 'show', `${version}:${file}`);
  const setBody = (type) => new RegExp(`func \\(\\w+ \\*${type}\\) Set\\(s string\\) error \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
  const options = (types) => {
    const type = types.find((t) => setBody(t));
    if (!type) throw new Error(`common ${version} ${file}: no ${types.join(' or ')}.Set`);
    const body = setBody(type);
    const values = [...body.matchAll(/case ([^:]+):/g)].flatMap((c) => [...c[1].matchAll(/"([^"]*)"/g)].map((v) => v[1]));
    return { enum: values, ...(/strings\.ToLower\(s\)/.test(body) ? { caseInsensitive: true } : {}) };
  };
  return {
    common: version,
    flags: {
      '--log.level': { type: options(['Level', 'AllowedLevel']) },
      '--log.format': { type: options(['Format', 'AllowedFormat']) },
    },
  };
}

/** exporter-toolkit's web flags (--web.listen-address, --web.config.file, --web.systemd-socket on Linux). */
function toolkitFlags(mod) {
  const version = revision(required(mod, 'github.com/prometheus/exporter-toolkit'));
  const text = git(toolkitDir, 'show', `${version}:web/kingpinflag/flag.go`);
  return { toolkit: version, flags: readFlags(text, { fields: new Map(), consts: new Map(), setValueType: () => 'string' }) };
}

function readPrometheus(tag) {
  const main = git(prometheusDir, 'show', `${tag}:cmd/prometheus/main.go`);
  const mod = git(prometheusDir, 'show', `${tag}:go.mod`);
  const extra = ['scrape/manager.go', 'tsdb/compression/compression.go', 'util/compression/compression.go', 'tsdb/wlog/wlog.go']
    .map((p) => {
      try {
        return git(prometheusDir, 'show', `${tag}:${p}`);
      } catch {
        return '';
      }
    })
    .filter(Boolean);
  const fields = fieldTypes([main, ...extra]);
  const consts = constants(extra);
  const kingpin = kingpinOf(mod);
  const own = readFlags(main, { fields, consts, setValueType: setValueByField });
  // v2.55 calls promlogflag.AddFlags, v3 promslogflag.AddFlags.
  const slog = /promslogflag\.AddFlags/.test(main);
  if (!/prom(s)?logflag\.AddFlags/.test(main)) throw new Error(`${tag}: no promlog flags`);
  const log = logFlags(mod, slog);
  return {
    modules: { kingpin: kingpin.module, common: log.common },
    duration: kingpinDuration(kingpin.tag),
    flags: { ...kingpinFlags(kingpin.tag), ...own, ...log.flags },
  };
}

/**
 * The values Alertmanager's --enable-feature takes: the constants NewFlags switches over
 * (featurecontrol/featurecontrol.go); any other value makes it exit ("unknown option ... for --enable-feature").
 */
function featureNames(tag) {
  const text = git(alertmanagerDir, 'show', `${tag}:featurecontrol/featurecontrol.go`);
  const consts = constants([text]);
  const body = /func NewFlags\([\s\S]*?\n\}/.exec(text)?.[0] ?? '';
  return [...body.matchAll(/case (\w+):/g)].map((m) => consts.get(m[1])).filter((v) => typeof v === 'string');
}

function readAlertmanager(tag) {
  const main = git(alertmanagerDir, 'show', `${tag}:cmd/alertmanager/main.go`);
  const mod = git(alertmanagerDir, 'show', `${tag}:go.mod`);
  const kingpin = kingpinOf(mod);
  const own = readFlags(main, { fields: fieldTypes([main]), consts: new Map(), setValueType: setValueByField });
  const slog = /promslogflag\.AddFlags/.test(main);
  const log = logFlags(mod, slog);
  const web = /webflag\.AddFlags/.test(main) ? toolkitFlags(mod) : { toolkit: undefined, flags: {} };
  return {
    modules: { kingpin: kingpin.module, common: log.common, ...(web.toolkit ? { exporterToolkit: web.toolkit } : {}) },
    ...(/featurecontrol\.NewFlags/.test(main) ? { features: featureNames(tag) } : {}),
    duration: kingpinDuration(kingpin.tag),
    flags: { ...kingpinFlags(kingpin.tag), ...own, ...web.flags, ...log.flags },
  };
}

/** Per flag, runs of consecutive releases with the same entry: [{ releases: [from, to], type, ... }]. */
function merge(releases, read) {
  const merged = {};
  const perRelease = {};
  for (const tag of releases) {
    const { flags, ...rest } = read(tag);
    perRelease[tag] = rest;
    for (const [name, entry] of Object.entries(flags)) {
      const key = JSON.stringify(entry);
      merged[name] ??= [];
      const runs = merged[name];
      const last = runs[runs.length - 1];
      const prev = releases[releases.indexOf(tag) - 1];
      if (last && last.key === key && last.to === prev) last.to = tag;
      else runs.push({ key, entry, from: tag, to: tag });
    }
    process.stderr.write(`${tag} `);
  }
  const flags = {};
  for (const name of Object.keys(merged).sort()) {
    flags[name] = merged[name].map(({ entry, from, to }) => ({ releases: [from, to], ...entry }));
  }
  return { perRelease, flags };
}

const NOTE =
  'types: boolean (kingpin Bool: a bare --x, or --no-x; --x=value is refused), string (any value), duration (kingpin .Duration(): the parser of releases[tag].duration), model-duration (SetValue on a prometheus/common model.Duration: y, w, d, h, m, s, ms), bytes (alecthomas/units ParseBase2Bytes: a unit is required), int (kingpin Int: strconv.ParseFloat, so 5e7 passes), integer (Int64/Int32: strconv.ParseInt base 0), unsigned (Uint*: strconv.ParseUint base 0), float, {enum: [...]} (kingpin Enum, or a Set method that switches over these values; caseInsensitive when it lowercases first). repeatable: kingpin accumulates the values; any other flag given twice stops the process ("flag \'x\' cannot be repeated"). hidden: accepted but not in --help. mode: Prometheus serverOnlyFlag/agentOnlyFlag.';

function write(file, program, sources, releases, read) {
  const { perRelease, flags } = merge(releases, read);
  const out = { source: sources, note: NOTE, releases, modules: perRelease, flags };
  writeFileSync(new URL(file, reference), `${JSON.stringify(out, null, 2)}\n`);
  process.stderr.write(`\n${program}: ${Object.keys(flags).length} flags\n`);
}

write(
  'prometheus-flags-by-version.json',
  'prometheus',
  'prometheus/prometheus cmd/prometheus/main.go at each release (Flag, serverOnlyFlag, agentOnlyFlag clauses), prometheus/common promslog/flag (promlog/flag in v2.55) at the version its go.mod requires, and alecthomas/kingpin app.go and values.go at the kingpin its go.mod requires (read by scripts/read-prometheus-flags.mjs)',
  RELEASES.prometheus,
  readPrometheus,
);
write(
  'alertmanager-flags-by-version.json',
  'alertmanager',
  'prometheus/alertmanager cmd/alertmanager/main.go at each release, prometheus/exporter-toolkit web/kingpinflag and prometheus/common promlog/flag or promslog/flag at the versions its go.mod requires, and alecthomas/kingpin app.go and values.go at the kingpin its go.mod requires (read by scripts/read-prometheus-flags.mjs)',
  RELEASES.alertmanager,
  readAlertmanager,
);

/** Go structs of some files: name -> { keys: yaml names, inline: embedded types read inline }. */
function goStructs(texts) {
  const out = new Map();
  for (const text of texts) {
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const keys = [];
      const inline = [];
      const fields = {};
      for (const line of m[2].split('\n')) {
        const tag = /`[^`]*yaml:"([^"]*)"/.exec(line)?.[1];
        if (tag === undefined) continue;
        // "Name Type `...`" or an embedded "Type `...`"; the type's own name is its last identifier.
        const tokens = line.split('`')[0].trim().split(/\s+/);
        const type = /(\w+)$/.exec(tokens[tokens.length - 1])?.[1] ?? '';
        const [name, ...options] = tag.split(',');
        if (name === '-') continue;
        if (name === '' && options.includes('inline')) inline.push(type);
        else if (name !== '') {
          keys.push(name);
          fields[name] = type;
        }
      }
      out.set(m[1], { keys, inline, fields });
    }
  }
  return out;
}

/** The keys of a struct with its inline structs' keys; open when an inline type is not in the files read. */
function structKeys(structs, name) {
  const s = structs.get(name);
  if (!s) return undefined;
  let keys = [...s.keys];
  let open = false;
  for (const inner of s.inline) {
    const k = structKeys(structs, inner);
    if (!k) open = true;
    else {
      keys = [...keys, ...k.keys];
      open ||= k.open;
    }
  }
  return { keys: [...new Set(keys)].sort(), open };
}

function readAlertmanagerConfig(tag) {
  // From v0.33 each notifier's config lives in its own package (notify/discord/config.go).
  const paths = git(alertmanagerDir, 'ls-tree', '-r', '--name-only', tag, '--', 'config', 'notify')
    .split('\n')
    .filter((p) => (p.startsWith('config/') || /^notify\/\w+\/config\.go$/.test(p)) && p.endsWith('.go') && !p.endsWith('_test.go'));
  const structs = goStructs(paths.map((p) => git(alertmanagerDir, 'show', `${tag}:${p}`)));
  const receiver = structs.get('Receiver');
  const notifiers = Object.fromEntries(Object.entries(receiver.fields).filter(([key]) => key.endsWith('_configs')));
  const wanted = [
    'Config',
    'GlobalConfig',
    'Route',
    'InhibitRule',
    'Receiver',
    'TimeInterval',
    'MuteTimeInterval',
    ...Object.values(notifiers),
  ];
  const out = {};
  for (const name of wanted) {
    const keys = structKeys(structs, name);
    if (keys) out[name] = keys;
  }
  const strict = /yaml\.UnmarshalStrict\(\[\]byte\(s\), cfg\)/.test(git(alertmanagerDir, 'show', `${tag}:config/config.go`));
  return { strict, notifiers, structs: out };
}

{
  const releases = RELEASES.alertmanager;
  const structs = {};
  const notifiers = {};
  const strict = {};
  for (const tag of releases) {
    const read = readAlertmanagerConfig(tag);
    strict[tag] = read.strict;
    for (const [key, type] of Object.entries(read.notifiers)) notifiers[key] = type;
    for (const [name, entry] of Object.entries(read.structs)) {
      structs[name] ??= [];
      const runs = structs[name];
      const last = runs[runs.length - 1];
      const prev = releases[releases.indexOf(tag) - 1];
      if (last && JSON.stringify(last.entry) === JSON.stringify(entry) && last.releases[1] === prev) last.releases[1] = tag;
      else runs.push({ releases: [tag, tag], entry });
    }
  }
  const out = {
    source:
      'prometheus/alertmanager config/*.go at each release of alertmanager-flags-by-version.json: the yaml tags of the structs config.Load reads (inline structs merged), read by scripts/read-prometheus-flags.mjs',
    note: 'strict: config.Load uses yaml.UnmarshalStrict (an unknown key fails the load). structs: the keys each struct takes, as runs of releases; open = an inline struct from another module, whose keys are not listed (unknown keys not judged). notifiers: the Receiver field of each notifier list and its struct.',
    releases,
    strict,
    notifiers: Object.fromEntries(Object.entries(notifiers).sort()),
    structs: Object.fromEntries(
      Object.keys(structs)
        .sort()
        .map((name) => [name, structs[name].map(({ releases: r, entry }) => ({ releases: r, ...entry }))]),
    ),
  };
  writeFileSync(new URL('alertmanager-config-by-version.json', reference), `${JSON.stringify(out, null, 2)}\n`);
  process.stderr.write(`alertmanager config: ${Object.keys(structs).length} structs\n`);
}
