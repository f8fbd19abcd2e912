// Reads, for each release in core/reference/thanos-flags-by-version.json, which objstore configs Thanos parses
// strictly, and writes core/reference/objstore-strict-by-version.json.
// Usage: node scripts/read-objstore-strictness.mjs <thanos git dir> <thanos-io/objstore git dir>
// A one-off reader, not part of the build: re-run it when a release is added to the by-version file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [thanosDir, objstoreDir] = process.argv.slice(2);
if (!thanosDir || !objstoreDir) throw new Error('usage: node scripts/read-objstore-strictness.mjs <thanos git dir> <objstore git dir>');
const show = (dir, spec) => {
  try {
    return execFileSync('git', ['--git-dir', dir, 'show', spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};
const reference = new URL('../core/reference/', import.meta.url);
const { releases } = JSON.parse(readFileSync(new URL('thanos-flags-by-version.json', reference), 'utf8'));

/** The objstore `type` (client/factory.go switches on its upper case) and the provider's source file. */
const PROVIDERS = {
  S3: 's3/s3.go',
  GCS: 'gcs/gcs.go',
  AZURE: 'azure/azure.go',
  SWIFT: 'swift/swift.go',
  COS: 'cos/cos.go',
  ALIYUNOSS: 'oss/oss.go',
  BOS: 'bos/bos.go',
  FILESYSTEM: 'filesystem/filesystem.go',
  OCI: 'oci/oci.go',
  OBS: 'obs/obs.go',
};

/** strict: yaml.UnmarshalStrict (an unknown key stops the process); lenient: yaml.Unmarshal (ignored); absent: no such type. */
const strictness = (text) => (text === undefined ? 'absent' : /yaml\.UnmarshalStrict\(/.test(text) ? 'strict' : 'lenient');

/**
 * The yaml keys of a provider's `type Config struct` (its top level; nested structs check their own keys). A
 * field with a lower-case Go name is unexported, and yaml.v2 skips it whatever its tag says (getStructInfo: "Private
 * field"): GCS `noAuth bool \`yaml:"no_auth"\`` (objstore@71d60dfee488 providers/gcs/gcs.go:56) is no key, and a strict
 * GCS config that sets no_auth stops the process ("field no_auth not found in type gcs.Config").
 */
function configKeys(text, struct = 'Config') {
  const body = new RegExp(`^type ${struct} struct \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text ?? '')?.[1];
  if (!body) return undefined;
  return [...body.matchAll(/^\s*(\w+)\b[^\n]*?yaml:"([^",]+)/gm)]
    .filter(([, field]) => /^[A-Z]/.test(field))
    .map((m) => m[2])
    .filter((k) => k !== '-');
}

const out = {};
/** type -> key -> [from, to] runs of releases, like the by-version flag lists. */
const keys = {};
const addKey = (type, key, tag) => {
  keys[type] ??= {};
  keys[type][key] ??= [];
  const runs = keys[type][key];
  const last = runs[runs.length - 1];
  if (last && last[1] === releases[releases.indexOf(tag) - 1]) last[1] = tag;
  else runs.push([tag, tag]);
};
for (const tag of releases) {
  const commit = /github\.com\/thanos-io\/objstore v\S+-([0-9a-f]{12})\b/.exec(show(thanosDir, `${tag}:go.mod`) ?? '')?.[1];
  // Before v0.28 the object store clients live in the Thanos tree (pkg/objstore).
  const file = (path) => (commit ? show(objstoreDir, `${commit}:${path}`) : show(thanosDir, `${tag}:pkg/objstore/${path}`));
  const providers = {};
  for (const [type, path] of Object.entries(PROVIDERS)) {
    const text = file(commit ? `providers/${path}` : path);
    providers[type] = strictness(text);
    for (const key of configKeys(text) ?? []) addKey(type, key, tag);
  }
  const factory = file('client/factory.go');
  for (const key of configKeys(factory, 'BucketConfig') ?? []) addKey('wrapper', key, tag);
  out[tag] = { objstore: commit ? `thanos-io/objstore@${commit}` : 'thanos pkg/objstore', wrapper: strictness(factory), providers };
}
writeFileSync(
  new URL('objstore-strict-by-version.json', reference),
  `${JSON.stringify(
    {
      source:
        'thanos-io/thanos at each release of thanos-flags-by-version.json (go.mod names the thanos-io/objstore commit; before v0.28 pkg/objstore in the Thanos tree): client/factory.go and each provider file, read by scripts/read-objstore-strictness.mjs',
      note: 'wrapper: the type/config/prefix document; providers: the config under `config:`. strict = yaml.UnmarshalStrict (gopkg.in/yaml.v2: an unknown or misplaced key is an error, the process exits), lenient = yaml.Unmarshal (an unknown key is ignored), absent = the release has no such type ("bucket with type X is not supported"). keys: the yaml keys of each provider\'s Config struct (its top level), as runs of releases.',
      releases: out,
      keys,
    },
    null,
    2,
  )}\n`,
);
