// Reads, for each release in core/reference/thanos-flags-by-version.json, how Thanos parses the config files its
// processes take besides objstore and caches (the ruler's alertmanagers and query configs, Query's endpoint SD
// config, the tracing and request-logging configs) and writes core/reference/thanos-config-files-by-version.json.
// Usage: node scripts/read-thanos-config-files.mjs <thanos git dir>
// A one-off reader, not part of the build: re-run it when a release is added to the by-version file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [thanosDir] = process.argv.slice(2);
if (!thanosDir) throw new Error('usage: node scripts/read-thanos-config-files.mjs <thanos git dir>');
const git = (...args) => {
  try {
    return execFileSync('git', ['--git-dir', thanosDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};
const reference = new URL('../core/reference/', import.meta.url);
const { releases } = JSON.parse(readFileSync(new URL('thanos-flags-by-version.json', reference), 'utf8'));

/**
 * Each document: the files (or folders) its Go types live in, in lookup order (a type name is taken from the
 * first file that declares it), the root type, and the function whose yaml call parses it.
 */
const DOCS = {
  alertmanagers: {
    paths: ['pkg/alert/config.go', 'pkg/clientconfig/http.go', 'pkg/httpconfig/http.go', 'pkg/http/http.go'],
    root: '#AlertingConfig',
    loader: /func LoadAlertingConfig\(/,
  },
  query: {
    paths: [
      'pkg/clientconfig/config.go',
      'pkg/clientconfig/http.go',
      'pkg/clientconfig/grpc.go',
      'pkg/httpconfig/config.go',
      'pkg/httpconfig/http.go',
      'pkg/query/config.go',
      'pkg/http/http.go',
    ],
    root: '[]#Config',
    loader: /func LoadConfigs\(/,
  },
  endpoints: { paths: ['cmd/thanos/endpointset.go'], root: '#EndpointConfig', loader: /\) parse\(configFile/ },
  tracing: { paths: ['pkg/tracing/client/factory.go'], root: '#TracingConfig', loader: /func NewTracer\(/ },
  'request-logging': {
    paths: ['pkg/logging/yaml_parser.go', 'pkg/logging/grpc.go'],
    root: '#RequestConfig',
    loader: /func NewRequestConfig\(/,
  },
};
/** Each tracing provider's `config:` (tracing/<TYPE>): the provider package's Config, parsed by its own yaml call. */
const PROVIDER_DIRS = {
  STACKDRIVER: ['google_cloud', 'stackdriver'],
  GOOGLE_CLOUD: ['google_cloud'],
  JAEGER: ['jaeger'],
  ELASTIC_APM: ['elasticapm'],
  LIGHTSTEP: ['lightstep'],
  OTLP: ['otlp'],
};
for (const [type, dirs] of Object.entries(PROVIDER_DIRS)) {
  const files = ['config_yaml.go', ...dirs.map((d) => `${d}.go`), 'elastic_apm.go'];
  DOCS[`tracing/${type}`] = {
    paths: dirs.flatMap((d) => files.map((f) => `pkg/tracing/${d}/${f}`)),
    root: '#Config',
    loader: /yaml\.Unmarshal(?:Strict)?\(/,
  };
}

const SCALARS = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  int32: 'int',
  int64: 'int',
  uint: 'uint',
  uint32: 'uint',
  uint64: 'uint',
  float64: 'float',
  'model.Duration': 'model-duration',
  'time.Duration': 'go-duration',
  any: 'open',
  'interface{}': 'open',
};

/** Every `type X struct {...}` of the texts: name -> [{ key, type, inline }] (yaml.v2/v3 lower-case an untagged field's name). */
function structs(texts) {
  const out = {};
  for (const text of texts) {
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      if (out[m[1]]) continue;
      const fields = [];
      for (const line of m[2].split('\n')) {
        const f = /^\s*(\w+)\s+([^\s`]+)\s*(?:`[^`]*?yaml:"([^"]*)"[^`]*`)?/.exec(line);
        if (!f || /^\s*\/\//.test(line)) continue;
        const [name, opts = ''] = [f[1], f[3]];
        if (f[3] === '-' || !/^[A-Z]/.test(name)) continue;
        const [key, ...flags] = opts.split(',');
        fields.push({ key: key || name.toLowerCase(), goType: f[2], inline: flags.includes('inline') });
      }
      out[m[1]] = fields;
    }
  }
  return out;
}

/** A custom string type checked against a list of its constants (alert.APIVersion: supportedAPIVersions). */
function enums(texts) {
  const out = {};
  for (const text of texts) {
    for (const m of text.matchAll(/var supported(\w+)s = \[\](\w+)\{([^}]*)\}/g)) {
      const values = m[3]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((name) => new RegExp(`\\b${name}\\s+${m[2]}\\s*=\\s*"([^"]*)"`).exec(text)?.[1]);
      if (values.every(Boolean)) out[m[2]] = `enum:${values.join('|')}`;
    }
  }
  return out;
}

/** The Go type as the schema writes it: a scalar kind, `[]T`, `#Struct` (a struct of the same document), or `open`. */
function typeOf(goType, known, enumTypes) {
  const t = goType.replace(/^\*/, '');
  if (t.startsWith('[]')) return `[]${typeOf(t.slice(2), known, enumTypes)}`;
  if (t.startsWith('map[')) return 'open';
  if (SCALARS[t]) return SCALARS[t];
  const local = t.replace(/^\w+\./, '');
  if (enumTypes[local]) return enumTypes[local];
  if (known[local]) return `#${local}`;
  // A named string type (tracing's TracingProvider) or a type from another module: read as a plain value.
  return /Provider$|Version$/.test(local) ? 'string' : 'open';
}

const schemas = [];
const schemaIndex = new Map();
const out = {};
for (const tag of releases) {
  const tree =
    git(
      'ls-tree',
      '-r',
      '--name-only',
      tag,
      'pkg/alert',
      'pkg/clientconfig',
      'pkg/httpconfig',
      'pkg/http',
      'pkg/query',
      'pkg/tracing',
      'pkg/logging',
      'cmd/thanos',
    ) ?? '';
  const files = new Set(tree.split('\n'));
  out[tag] = {};
  for (const [doc, spec] of Object.entries(DOCS)) {
    const texts = spec.paths.filter((p) => files.has(p)).map((p) => git('show', `${tag}:${p}`) ?? '');
    const loaderText = texts.find((t) => spec.loader.test(t));
    if (!loaderText) {
      out[tag][doc] = { parser: 'absent' };
      continue;
    }
    const body = loaderText.slice(loaderText.search(spec.loader)).split(/^}/m)[0];
    const strict = /yaml\.UnmarshalStrict\(/.test(body);
    const yamlModule = /"gopkg\.in\/yaml\.v3"/.test(loaderText) ? 'yaml.v3' : 'yaml.v2';
    const declared = structs(texts);
    const enumTypes = enums(texts);
    // Only the structs reachable from the root, so a document lists what it reads.
    const schema = {};
    const visit = (type) => {
      const name = /#(\w+)$/.exec(type)?.[1];
      if (!name || schema[name]) return;
      schema[name] = {};
      for (const f of declared[name]) {
        const t = typeOf(f.goType, declared, enumTypes);
        if (f.inline) schema[name][`...${f.key || ''}`] = t;
        else schema[name][f.key] = t;
        visit(t);
      }
    };
    visit(spec.root);
    const text = JSON.stringify(schema);
    if (!schemaIndex.has(text)) {
      schemaIndex.set(text, schemas.length);
      schemas.push(schema);
    }
    out[tag][doc] = { parser: strict ? 'strict' : 'lenient', yaml: yamlModule, root: spec.root, schema: schemaIndex.get(text) };
    // The API version an Alertmanager entry without api_version speaks (DefaultAlertmanagerConfig).
    const apiDefault = /APIVersion:\s*APIv(\d)/.exec(loaderText.slice(loaderText.indexOf('func DefaultAlertmanagerConfig')))?.[1];
    if (doc === 'alertmanagers' && apiDefault) out[tag][doc].defaultApiVersion = `v${apiDefault}`;
    // NewTracer switches on strings.ToUpper(type): the provider names, any case.
    if (doc === 'tracing') out[tag][doc].types = [...loaderText.matchAll(/^\s+(\w+)\s+TracingProvider = "([A-Z_]+)"/gm)].map((m) => m[2]);
  }
}
writeFileSync(
  new URL('thanos-config-files-by-version.json', reference),
  `${JSON.stringify(
    {
      source:
        'thanos-io/thanos at each release of thanos-flags-by-version.json: pkg/alert/config.go LoadAlertingConfig (thanos rule --alertmanagers.config), pkg/clientconfig|httpconfig|query LoadConfigs (thanos rule --query.config), cmd/thanos/endpointset.go parse (thanos query --endpoint.sd-config, from v0.38), pkg/tracing/client/factory.go NewTracer (--tracing.config) and each provider Config (tracing/<TYPE>), pkg/logging NewRequestConfig (--request.logging-config); read by scripts/read-thanos-config-files.mjs',
      note: 'parser: strict = yaml.UnmarshalStrict (an unknown key is an error: the process exits), lenient = yaml.Unmarshal (an unknown key is ignored), absent = the release has no such config. schema: an index into schemas; a schema maps each Go struct reachable from root to its yaml keys and types (string, bool, int, uint, float, model-duration = prometheus model.ParseDuration, go-duration = time.ParseDuration, enum:a|b, []T a list, #Name a struct, open = any value; a key ...x is an inline struct whose keys belong to the parent).',
      releases: out,
      schemas,
    },
    null,
    1,
  )}\n`,
);
