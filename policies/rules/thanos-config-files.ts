import { minor, releaseFor, THANOS_RELEASES } from '../../core/thanos/flags.js';
import { type ConfigDoc, configDocAt, readConfigDoc } from '../lib/config-files.js';
import { imageRelease, parseImage } from '../lib/images.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, asString, type Container, type Index, type Workload } from '../lib/model.js';
import { yamlIn } from '../lib/thanos.js';
import type { CheckSettings, Diagnostic, Policy } from '../lib/types.js';

/** The config files each command reads, by the flag pair (inline, file) extflag.RegisterPathOrContent makes. */
const SOURCES: readonly { doc: ConfigDoc; flag: string; commands?: readonly string[]; where: string }[] = [
  { doc: 'alertmanagers', flag: '--alertmanagers.config', commands: ['rule'], where: 'pkg/alert/config.go:84' },
  { doc: 'query', flag: '--query.config', commands: ['rule'], where: 'pkg/clientconfig/config.go:48' },
  { doc: 'endpoints', flag: '--endpoint.sd-config', commands: ['query'], where: 'cmd/thanos/endpointset.go:178' },
  { doc: 'tracing', flag: '--tracing.config', where: 'pkg/tracing/client/factory.go:46' },
  { doc: 'request-logging', flag: '--request.logging-config', where: 'pkg/logging/grpc.go:20' },
];

const at = (release: string, from: string) => THANOS_RELEASES.indexOf(release) >= THANOS_RELEASES.indexOf(from);

/** Each config text a container passes, inline or from a file the input shows. */
function texts(index: Index, workload: Workload, c: Container, flag: string): { flag: string; value: unknown }[] {
  const out: { flag: string; value: unknown }[] = [];
  for (const text of c.flags.values(flag)) out.push({ flag, value: yamlIn(index, text) });
  for (const path of c.flags.values(`${flag}-file`)) {
    const { text } = index.fileText(workload, c, path);
    if (text !== undefined) out.push({ flag: `${flag}-file=${path}`, value: yamlIn(index, text) });
  }
  return out;
}

/** The Alertmanager releases the input runs (containers of an alertmanager image, Alertmanager resources' spec.version). */
function alertmanagerVersions(index: Index): [number, number][] {
  const out: [number, number][] = [];
  const add = (tag: string | undefined) => {
    const m = /^v?0\.(\d+)\./.exec(tag ?? '');
    if (m) out.push([0, Number(m[1])]);
  };
  for (const w of index.workloads)
    for (const c of w.containers) {
      const { name, tag } = parseImage(c.image);
      if (/(^|\/)alertmanager$/.test(name)) add(tag);
    }
  for (const am of index.ofKind('Alertmanager')) add(asString(asRecord(am.object.spec)?.version));
  return out;
}

/** The ruler's alertmanagers: API version against the Alertmanagers of the input, addresses, the --alertmanagers.url form. */
function alertmanagerProblems(index: Index, c: Container, release: string, docs: { flag: string; value: unknown }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exits = `thanos rule ${minor(release)} exits at start`;
  const urls = c.flags.values('--alertmanagers.url');
  if (urls.length > 0 && (c.flags.has('--alertmanagers.config') || c.flags.has('--alertmanagers.config-file')))
    out.push({
      message: `${exits}: --alertmanagers.url and --alertmanagers.config* are given together, which it refuses (cmd/thanos/rule.go:239-241@v0.42.4); keep one: the config file when you need TLS or api_version`,
    });
  // The start-up check on the URL's scheme and host came in v0.27.0 (thanos #5405, 22aefd6); before it the ruler
  // starts and posts every alert to a URL without a host (T@v0.26.0:pkg/alert/config.go:91-125), which never arrives.
  const checked = THANOS_RELEASES.indexOf(release) >= THANOS_RELEASES.indexOf('v0.27.0');
  for (const url of urls) {
    // url.Parse: "am:9093" has the scheme "am" and no host; "dnssrv+_web._tcp.am" has no scheme.
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?/i.exec(url);
    if (!m?.[2]) {
      const what = `--alertmanagers.url=${url} has ${m ? 'no host' : 'no scheme'}`;
      const fix = 'write it as http://host:9093 or dnssrv+http://_web._tcp.<service>.<namespace>.svc';
      out.push({
        message: checked
          ? `${exits}: ${what} ("alertmanagers.url contains empty ${m ? 'host' : 'scheme'}", pkg/alert/config.go:97-105@v0.42.4); ${fix}`
          : `thanos rule ${minor(release)} starts but delivers no alert: ${what}, and it posts alerts to that URL (the start-up check that stops v0.27 and later came with thanos #5405); ${fix}`,
      });
    }
  }
  const amVersions = alertmanagerVersions(index);
  const apiDefault = configDocAt('alertmanagers', release).defaultApiVersion ?? 'v2';
  for (const { flag, value } of docs) {
    asArray(asRecord(value)?.alertmanagers).forEach((item, i) => {
      const entry = asRecord(item);
      if (!entry) return;
      const explicit = asString(entry.api_version);
      const api = explicit ?? apiDefault;
      if (api === 'v1') {
        // Alertmanager v0.27.0 answers every /api/v1 request with 410 Gone (api/api.go:165-166@v0.27.0, CHANGELOG #2970).
        const newer = amVersions.filter(([, m]) => m >= 27);
        const how = explicit
          ? 'api_version: v1'
          : `no api_version (thanos rule ${minor(release)} defaults to v1; v2 is the default from v0.35, pkg/alert/config.go:70@v0.35.1)`;
        if (newer.length > 0 || amVersions.length === 0)
          out.push({
            message: `${flag}: alertmanagers[${i}] has ${how}, and Alertmanager v0.27 and later answer API v1 with 410 Gone: thanos rule sends no alert${newer.length ? ' to the Alertmanager of this input' : ' to a current Alertmanager'}; write api_version: v2`,
            ...(newer.length ? {} : { severity: 'warning' as const }),
          });
      }
    });
  }
  return out;
}

/** The ruler's query API addresses: one way of naming them, at least one from v0.34, no address twice. */
function queryProblems(c: Container, release: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exits = `thanos rule ${minor(release)} exits at start`;
  const listed = [...c.flags.values('--query'), ...c.flags.values('--query.sd-files'), ...c.flags.values('--grpc-query-endpoint')];
  const config = c.flags.has('--query.config') || c.flags.has('--query.config-file');
  if (listed.length > 0 && config)
    out.push({
      message: `${exits}: --query/--query.sd-files and --query.config* are given together, which it refuses (cmd/thanos/rule.go:230-232@v0.42.4); keep one`,
    });
  if (listed.length === 0 && !config && at(release, 'v0.34.1'))
    out.push({
      message: `${exits}: it has no query API to evaluate rules against ("no query configuration parameter was given", cmd/thanos/rule.go:227-229@v0.42.4); add --query=dnssrv+_http._tcp.<query service>.<namespace>.svc`,
    });
  const seen = new Set<string>();
  for (const q of c.flags.values('--query')) {
    if (seen.has(q))
      out.push({
        message: `${exits}: --query=${q} is given twice ("Address ${q} is duplicated for --query flag.", cmd/thanos/rule.go:215-217@v0.42.4); give it once`,
      });
    seen.add(q);
  }
  return out;
}

/** Whether Thanos treats an address as discovered (dns.IsDynamicNode: anything with a `+`, pkg/discovery/dns/provider.go:96-99). */
const dynamic = (address: string) => address.includes('+');

/** Query's strict endpoints, groups and per-endpoint settings, as validateEndpointConfig judges them (cmd/thanos/endpointset.go:211-224@v0.42.4). */
function endpointProblems(c: Container, release: string, docs: { flag: string; value: unknown }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exits = `thanos query ${minor(release)} exits at start`;
  const strictFlags = [
    ['--store-strict', 'v0.20.2'],
    ['--endpoint-strict', 'v0.24.0'],
    // Before v0.38 strict groups were not validated (cmd/thanos/query.go:486-496@v0.37.2 checks stores and endpoints only).
    ['--endpoint-group-strict', 'v0.38.0'],
  ] as const;
  for (const [flag, from] of strictFlags) {
    if (!at(release, from)) continue;
    for (const address of c.flags.values(flag))
      if (dynamic(address))
        out.push({
          message: `${exits}: ${flag}=${address} is a discovered address, and strict mode takes only static ones ("not permitted under strict mode"); use ${flag.replace('-strict', '')} for a discovered address, or name each pod statically`,
        });
  }
  for (const { flag, value } of docs) {
    asArray(asRecord(value)?.endpoints).forEach((item, i) => {
      const e = asRecord(item);
      const address = asString(e?.address) ?? '';
      if (!e) return;
      if (e.strict === true && dynamic(address))
        out.push({
          message: `${exits}: ${flag}: endpoints[${i}] ${address} is strict and discovered ("is a dynamically specified endpoint i.e. it uses SD and that is not permitted under strict mode", cmd/thanos/endpointset.go:214-216@v0.42.4); drop strict: true, or list each pod's static address as a strict endpoint`,
        });
      if (at(release, 'v0.40.1') && e.service_config !== undefined && e.service_config !== '' && e.group !== true)
        out.push({
          message: `${exits}: ${flag}: endpoints[${i}] ${address} has service_config without group: true ("service_config is only valid for endpoint groups", cmd/thanos/endpointset.go:217-219@v0.42.4); add group: true or remove service_config`,
        });
      const compression = asString(asRecord(e.client_config)?.compression);
      if (at(release, 'v0.42.4') && compression !== undefined && compression !== '' && compression !== 'none' && compression !== 'snappy')
        out.push({
          message: `${exits}: ${flag}: endpoints[${i}] ${address} has client_config.compression: ${compression} ("invalid compression", cmd/thanos/endpointset.go:153-160@v0.42.4); write none or snappy`,
        });
    });
  }
  return out;
}

/**
 * The tracing provider named by `type`, matched in any case (strings.ToUpper, pkg/tracing/client/factory.go:59@v0.42.4),
 * and its `config:`, which every provider reads with yaml.Unmarshal (jaeger/jaeger.go:24, otlp/otlp.go:40...): an
 * unknown key is ignored, a value of the wrong type stops the process (cmd/thanos/main.go:113-116).
 */
function tracingProblems(subcommand: string, release: string, docs: { flag: string; value: unknown }[]): Diagnostic[] {
  const types = configDocAt('tracing', release).types ?? [];
  const out: Diagnostic[] = [];
  for (const { flag, value } of docs) {
    const type = asString(asRecord(value)?.type);
    if (type !== undefined && types.includes(type.toUpperCase())) {
      const provider = `tracing/${type.toUpperCase()}` as const;
      for (const problem of readConfigDoc(provider, asRecord(value)?.config, release))
        out.push(
          problem.kind === 'type'
            ? {
                message: `thanos ${subcommand} ${minor(release)} exits at start: ${flag}: config.${problem.message}, which the ${type} tracer's YAML decoder refuses; write the value as the message says`,
              }
            : {
                message: `${flag}: config.${problem.message}: the ${type} tracer of thanos ${subcommand} ${minor(release)} reads its config leniently (yaml.Unmarshal) and ignores the key, so the setting has no effect`,
                severity: 'warning',
              },
        );
    }
    // A file with content but no type: the switch falls through to its default (factory.go:85-86@v0.42.4); an
    // empty file is the no-op tracer (cmd/thanos/main.go:110-111).
    const fields = asRecord(value);
    if (type === undefined && fields && Object.keys(fields).length > 0) {
      out.push({
        message: `${flag}: thanos ${minor(release)} exits at start: the tracing config has no type ("tracing with type  is not supported", pkg/tracing/client/factory.go:85-86@v0.42.4; cmd/thanos/main.go:113-116 exits); add type: one of ${types.join(', ')}`,
      });
      continue;
    }
    if (type === undefined || type.includes('$(') || types.includes(type.toUpperCase())) continue;
    const later = THANOS_RELEASES.find((r) => at(r, release) && (configDocAt('tracing', r).types ?? []).includes(type.toUpperCase()));
    out.push({
      message: `${flag}: thanos ${minor(release)} exits at start: tracing type ${type} is not one it has ("tracing with type ${type} is not supported", pkg/tracing/client/factory.go:85-86@v0.42.4; cmd/thanos/main.go:113-116 exits)${later ? `; ${type} first appears in ${minor(later)}` : ''}; use one of ${types.join(', ')}`,
    });
  }
  return out;
}

/** Every config file of one container as its release reads it; `tag` prefixes the messages of an --upgrade-to run. */
function containerProblems(index: Index, workload: Workload, c: Container & { thanos: string }, release: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byDoc = new Map<ConfigDoc, { flag: string; value: unknown }[]>();
  for (const source of SOURCES) {
    if (source.commands && !source.commands.includes(c.thanos)) continue;
    const docs = texts(index, workload, c, source.flag);
    byDoc.set(source.doc, docs);
    const parser = configDocAt(source.doc, release).parser;
    if (parser === 'absent') continue;
    for (const { flag, value } of docs) {
      for (const problem of readConfigDoc(source.doc, value, release)) {
        if (problem.kind === 'type')
          out.push({
            message: `thanos ${c.thanos} ${minor(release)} exits at start: ${flag}: ${problem.message}, which the YAML decoder refuses (${source.where}@v0.42.4); write the value as the message says`,
          });
        else if (parser === 'strict')
          out.push({
            message: `thanos ${c.thanos} ${minor(release)} exits at start: ${flag}: ${problem.message}, and this file is parsed strictly (yaml.UnmarshalStrict, ${source.where}@v0.42.4); remove or rename the key`,
          });
        else
          out.push({
            message: `${flag}: ${problem.message}: thanos ${c.thanos} ${minor(release)} reads this file leniently (yaml.Unmarshal, ${source.where}@v0.42.4) and ignores the key, so the setting has no effect; remove it or run a release that has it`,
            severity: 'warning',
          });
      }
    }
  }
  if (c.thanos === 'rule') {
    out.push(...alertmanagerProblems(index, c, release, byDoc.get('alertmanagers') ?? []));
    out.push(...queryProblems(c, release));
  }
  if (c.thanos === 'query') out.push(...endpointProblems(c, release, byDoc.get('endpoints') ?? []));
  out.push(...tracingProblems(c.thanos, release, byDoc.get('tracing') ?? []));
  return out;
}

/** What the target of `check --upgrade-to` says that the running release does not: new errors, and keys it ignores. */
function upgradeProblems(
  index: Index,
  workload: Workload,
  c: Container & { thanos: string },
  release: string,
  settings: CheckSettings,
  now: Diagnostic[],
): Diagnostic[] {
  if (!settings.upgradeTo) return [];
  const match = releaseFor(settings.upgradeTo);
  if (match.state === 'unknown' || match.release === release) return [];
  const target = match.release;
  // The same problem said for two releases differs only in the release named: compare without it.
  const plain = (d: Diagnostic) => d.message.replaceAll(minor(release), '@').replaceAll(minor(target), '@');
  const known = new Set(now.map(plain));
  return containerProblems(index, workload, c, target)
    .filter((d) => !known.has(plain(d)))
    .map((d) => ({ ...d, message: `upgrading to ${settings.upgradeTo}: ${d.message}` }));
}

/**
 * The config files a Thanos process reads at start besides objstore and caches, as the image's release reads
 * them (core/reference/thanos-config-files-by-version.json): the ruler's alertmanagers and query configs and
 * tracing and request-logging configs are parsed strictly (an unknown key stops the process), Query's endpoint
 * SD config leniently (an unknown key, e.g. client_config on a release before v0.42, is ignored: a warning);
 * a value of the wrong type stops every one. Then what each process validates: strict endpoints that are
 * discovered, service_config without group, compression, the ruler's query and Alertmanager flags, tracing types;
 * and what misbehaves: Alertmanager API v1 against Alertmanager v0.27+ (addresses: discovery-headless).
 */
export const thanosConfigFiles: Policy = {
  id: 'thanos-config-files',
  severity: 'error',
  description:
    "Thanos alertmanagers, query, endpoint SD, tracing and request-logging configs parse and validate as the image's release reads them; `--upgrade-to` also judges them by the target release.",
  remediation:
    'Rename or remove the key, or write the value, as the message says; for a discovered address drop strict, and set api_version: v2.',
  kinds: WORKLOAD_KINDS,
  check({ input, index, settings }) {
    const out: Diagnostic[] = [];
    for (const { workload, container } of index.thanosContainersOf(input)) {
      const { release } = imageRelease(container.image);
      const now = containerProblems(index, workload, container, release);
      for (const d of [...now, ...upgradeProblems(index, workload, container, release, settings, now)])
        out.push({ ...d, message: `container ${container.name}: ${d.message}` });
    }
    return out;
  },
};
