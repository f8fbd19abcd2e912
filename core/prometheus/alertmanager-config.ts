import reference from '../reference/alertmanager-config-by-version.json' with { type: 'json' };

/**
 * An Alertmanager configuration judged as config.Load of the release reads it (prometheus/alertmanager
 * config/config.go, lines at v0.32.1 unless named): yaml.UnmarshalStrict (:120), so an unknown key at any
 * level of the structs read is refused; then the checks of Config.UnmarshalYAML and Route.UnmarshalYAML.
 * A refused file stops Alertmanager at start, and is ignored on a reload (the old one stays).
 */

type Range = [string, string];
interface StructRun {
  readonly releases: Range;
  readonly keys: readonly string[];
  readonly open: boolean;
}
const RELEASES: readonly string[] = reference.releases;
const STRUCTS = reference.structs as unknown as Record<string, StructRun[]>;
const NOTIFIERS = reference.notifiers as Record<string, string>;

function keysAt(struct: string, release: string): StructRun | undefined {
  const i = RELEASES.indexOf(release);
  return STRUCTS[struct]?.find(({ releases: [from, to] }) => RELEASES.indexOf(from) <= i && i <= RELEASES.indexOf(to));
}

/** The first release whose `struct` has `key`, if any. */
function firstWith(struct: string, key: string): string | undefined {
  return STRUCTS[struct]?.find((r) => r.keys.includes(key))?.releases[0];
}

type Data = Record<string, unknown>;
const record = (v: unknown): Data | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** prometheus/common model.ParseDuration (route and global durations are model.Duration). */
const MODEL_DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;
/** model.LabelName's legacy check in Route.UnmarshalYAML group_by (config.go:885-892). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Whether `release` takes `label` in group_by. From v0.27 Route.UnmarshalYAML asks compat.IsValidLabelName
 * (config.go:817 at v0.27.0, :890 at v0.32.1), which the server sets from its feature flags: any non-empty
 * UTF-8 name unless --enable-feature=classic-mode (matchers/compat/parse.go:59-73 at v0.27.0,
 * matcher/compat/parse.go:59-73 and :198-205 at v0.32.1); before v0.27, and in classic mode, the legacy pattern.
 */
function classicParsing(release: string | undefined, classicMode: boolean): boolean {
  return classicMode || (release !== undefined && Number(/^v0\.(\d+)\./.exec(release)?.[1] ?? 99) < 27);
}

function groupByLabelOk(label: string, release: string | undefined, classicMode: boolean): boolean {
  return classicParsing(release, classicMode) ? LABEL_NAME.test(label) : label.length > 0;
}

/**
 * Whether `release` reads an inhibit rule's `equal` as legacy label names: up to v0.27 it is model.LabelNames,
 * whose UnmarshalYAML asks the legacy LabelName.IsValid (config.go:869 at v0.27.0, common v0.46.0
 * model/labels.go:103-122); from v0.28 compat.IsValidLabelName, UTF-8 unless classic-mode (config.go:997-1000
 * at v0.28.0, config/common/inhibitrule.go:72-77 at v0.32.1).
 */
function equalIsLegacy(release: string | undefined): boolean {
  return release !== undefined && Number(/^v0\.(\d+)\./.exec(release)?.[1] ?? 99) < 28;
}

function equalLabelOk(label: string, release: string | undefined, classicMode: boolean): boolean {
  return classicMode || equalIsLegacy(release) ? LABEL_NAME.test(label) : label.length > 0;
}

/** The classic matcher of pkg/labels/parse.go:27 (v0.25.0; the same in v0.32.1 pkg/labels/parse.go): a legacy label name, then the operator. */
const CLASSIC_MATCHER = /^\s*[a-zA-Z_:][a-zA-Z0-9_:]*\s*(=~|=|!=|!~)/;

/**
 * The matchers of one `matchers` list item the classic parser refuses ("bad matcher format"): ParseMatchers
 * trims one `{` and `}`, splits on commas outside double quotes (a `\"` does not toggle), and ParseMatcher
 * needs a legacy label name (pkg/labels/parse.go:56-95, :118-122 at v0.25.0). Only the name and operator are
 * judged here. Route and inhibit matchers go through it (config/config.go:990-1000 at v0.25.0,
 * config/common/matchers.go:105-115 at v0.32.1); the classic parser is what v0.25-v0.26 and --enable-feature=classic-mode use
 * (matcher/compat/parse.go:59-63 at v0.32.1); the default mode from v0.27 falls back to it only after the
 * UTF-8 parser, so a quoted or dotted name passes there.
 */
function classicMatcherRefusals(item: string): string[] {
  const s = item.replace(/^\{/, '').replace(/\}$/, '');
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',' && !quoted) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (!escaped) quoted = !quoted;
      else escaped = false;
    } else if (c === '\\') escaped = !escaped;
    else escaped = false;
    token += c;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.filter((t) => !CLASSIC_MATCHER.test(t));
}

function minor(release: string): string {
  return release.replace(/^(v\d+\.\d+)\..*$/, '$1');
}

function nearest(key: string, keys: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  return keys.find((k) => norm(k) === norm(key)) ?? keys.find((k) => norm(k).startsWith(norm(key)) || norm(key).startsWith(norm(k)));
}

/**
 * Why config.Load of `release` refuses `doc` (each a sentence: where, what Alertmanager says, what to
 * write), in the order Alertmanager would meet them. `release` is a reference release
 * (core/reference/alertmanager-config-by-version.json); undefined judges everything but unknown keys.
 */
export function alertmanagerConfigProblems(doc: unknown, release: string | undefined, options: { classicMode?: boolean } = {}): string[] {
  const out: string[] = [];
  const root = record(doc);
  if (!root) return ['the file holds no configuration ("no route provided in config", config.go:127-129)'];
  const unknown = (value: unknown, struct: string, where: string) => {
    const fields = record(value);
    if (!fields || !release) return;
    const run = keysAt(struct, release);
    if (!run || run.open) return;
    for (const key of Object.keys(fields)) {
      if (run.keys.includes(key)) continue;
      const since = firstWith(struct, key);
      const near = nearest(key, run.keys);
      const instead = since
        ? `; it first appears in ${minor(since)}: remove it or run ${minor(since)} or later`
        : near
          ? `; write ${near}`
          : '; remove it';
      out.push(
        `${where}: field ${key} not found (Alertmanager ${minor(release)} parses its configuration strictly, config.go:120)${instead}`,
      );
    }
  };
  unknown(root, 'Config', 'top level');
  unknown(root.global, 'GlobalConfig', 'global');
  const global = record(root.global) ?? {};
  const duration = (value: unknown, where: string) => {
    if (value === undefined || value === null) return;
    if (!MODEL_DURATION.test(String(value)))
      out.push(`${where}: ${String(value)} is not a duration (whole numbers of y, w, d, h, m, s, ms in that order, e.g. 5m or 4h)`);
  };
  duration(global.resolve_timeout, 'global.resolve_timeout');

  // Receivers: unique names (config.go:355-358), a name each (:955-957), their notifier configs.
  const names = new Set<string>();
  list(root.receivers).forEach((item, i) => {
    const receiver = record(item);
    const where = `receivers[${i}]`;
    if (!receiver) return;
    unknown(receiver, 'Receiver', where);
    const name = receiver.name;
    if (typeof name !== 'string' || name === '') out.push(`${where} has no name ("missing name in receiver"); give it one`);
    else if (names.has(name))
      out.push(`${where}: receiver name ${name} is used twice ("notification config name "${name}" is not unique"); rename one`);
    else names.add(name);
    for (const [field, struct] of Object.entries(NOTIFIERS)) {
      list(receiver[field]).forEach((config, j) => {
        unknown(config, struct, `${where}.${field}[${j}]`);
        const c = record(config) ?? {};
        if (field === 'email_configs') {
          if (!c.smarthost && !global.smtp_smarthost)
            out.push(
              `${where}.${field}[${j}] has no smarthost and global has no smtp_smarthost ("no global SMTP smarthost set", config.go:371-373); set one`,
            );
          if (!c.from && !global.smtp_from)
            out.push(
              `${where}.${field}[${j}] has no from and global has no smtp_from ("no global SMTP from set", config.go:375-377); set one`,
            );
        }
        // Each notifier's UnmarshalYAML refuses a config with nowhere to send (config/notifiers.go at v0.32.1:
        // :409-417 PagerDuty, :666-674 webhook, :979-988 and :1007-1016 MS Teams; v0.25.0 :308-316, :484-492).
        const none = (...keys: string[]) => keys.every((k) => c[k] === undefined || c[k] === null || c[k] === '');
        if (field === 'pagerduty_configs' && none('routing_key', 'service_key', 'routing_key_file', 'service_key_file'))
          out.push(
            `${where}.${field}[${j}] has no routing_key or service_key ("missing service or routing key in PagerDuty config", config/notifiers.go:415-417); set routing_key (Events API v2) or service_key`,
          );
        if (field === 'webhook_configs' && none('url', 'url_file'))
          out.push(
            `${where}.${field}[${j}] has no url ("one of url or url_file must be configured", config/notifiers.go:672-674); set url`,
          );
        if ((field === 'msteams_configs' || field === 'msteamsv2_configs') && none('webhook_url', 'webhook_url_file'))
          out.push(
            `${where}.${field}[${j}] has no webhook_url ("one of webhook_url or webhook_url_file must be configured", config/notifiers.go:986-988); set webhook_url`,
          );
        if (
          field === 'slack_configs' &&
          !c.api_url &&
          !c.api_url_file &&
          !c.app_token &&
          !c.app_token_file &&
          !global.slack_api_url &&
          !global.slack_api_url_file &&
          !global.slack_app_token &&
          !global.slack_app_token_file
        )
          out.push(
            `${where}.${field}[${j}] has no api_url and global has no slack_api_url ("no Slack API URL nor App token set either inline or in a file", config.go:412-414); set one`,
          );
      });
    }
  });

  // Time intervals: unique names across both lists (config.go:646-659).
  const intervals = new Set<string>();
  for (const [field, struct] of [
    ['mute_time_intervals', 'MuteTimeInterval'],
    ['time_intervals', 'TimeInterval'],
  ] as const) {
    list(root[field]).forEach((item, i) => {
      unknown(item, struct, `${field}[${i}]`);
      const name = record(item)?.name;
      if (typeof name !== 'string' || name === '')
        out.push(`${field}[${i}] has no name ("missing name in ${field === 'time_intervals' ? '' : 'mute '}time interval"); give it one`);
      else if (intervals.has(name))
        out.push(`${field}[${i}]: time interval ${name} is defined twice ("time interval "${name}" is not unique"); rename one`);
      else intervals.add(name);
    });
  }

  const classic = classicParsing(release, options.classicMode === true);
  // Route match and inhibit source_match/target_match keys: model.LabelNameRE, the legacy pattern, in every
  // release (config.go:793-797 and :866-876 at v0.25.0; config.go:879-883 and config/common/inhibitrule.go:58-68 at v0.32.1).
  const matchKeys = (value: unknown, where: string) => {
    for (const key of Object.keys(record(value) ?? {}))
      if (!LABEL_NAME.test(key))
        out.push(
          `${where}: ${key} is not a label name ("invalid label name "${key}"": match keys are letters, digits and _ in every release); write matchers: ['"${key}"="…"'] (UTF-8 names from v0.27) or a legacy name`,
        );
  };
  const matchers = (value: unknown, where: string) => {
    if (!classic) return;
    for (const item of list(value))
      for (const bad of classicMatcherRefusals(String(item)))
        out.push(
          `${where}: ${bad.trim()} is no classic matcher ("bad matcher format: ${bad}", pkg/labels/parse.go:27, :118-122): ${release !== undefined && !options.classicMode ? `${minor(release)} reads matchers with the classic parser, whose label names are letters, digits, _ and : only (UTF-8 names come with v0.27)` : 'classic-mode reads label names as letters, digits, _ and : only'}; write a legacy label name (e.g. service_name) or run v0.27 or later without classic-mode`,
        );
  };
  list(root.inhibit_rules).forEach((rule, i) => {
    unknown(rule, 'InhibitRule', `inhibit_rules[${i}]`);
    matchers(record(rule)?.source_matchers, `inhibit_rules[${i}].source_matchers`);
    matchers(record(rule)?.target_matchers, `inhibit_rules[${i}].target_matchers`);
    matchKeys(record(rule)?.source_match, `inhibit_rules[${i}].source_match`);
    matchKeys(record(rule)?.target_match, `inhibit_rules[${i}].target_match`);
    for (const label of list(record(rule)?.equal))
      if (!equalLabelOk(String(label), release, options.classicMode === true))
        out.push(
          `inhibit_rules[${i}].equal: ${String(label)} is not a label name (${options.classicMode ? `"invalid label name "${String(label)}" in equal list": classic-mode takes letters, digits and _ only` : `"${String(label)}" is not a valid label name: ${minor(release ?? '')} reads equal as legacy label names, letters, digits and _ (UTF-8 names from v0.28)`}); write a label name such as ${String(label).replace(/[^a-zA-Z0-9_]/g, '_')}`,
        );
  });

  // The routing tree (config.go:622-699, Route.UnmarshalYAML :872-921).
  const route = record(root.route);
  if (!route) {
    out.push('no route: Alertmanager refuses the file ("no route provided in config", config.go:127-129); add route: {receiver: <name>}');
    return out;
  }
  const rootWhere = 'route';
  if (typeof route.receiver !== 'string' || route.receiver === '')
    out.push(
      `${rootWhere} has no receiver ("root route must specify a default receiver", config.go:626-628); add receiver: <one of the receivers>`,
    );
  if (
    [route.match, route.match_re, route.matchers].some((m) =>
      Array.isArray(m) ? m.length > 0 : record(m) && Object.keys(record(m)!).length > 0,
    )
  )
    out.push(
      `${rootWhere} has matchers ("root route must not have any matchers", config.go:629-631); move them to a child route under routes`,
    );
  if (route.continue === true)
    out.push(`${rootWhere} has continue: true ("cannot have continue in root route", config.go:132-134); remove it`);
  if (list(route.mute_time_intervals).length > 0)
    out.push(
      `${rootWhere} has mute_time_intervals ("root route must not have any mute time intervals", config.go:632-634); move them to a child route`,
    );
  if (list(route.active_time_intervals).length > 0)
    out.push(
      `${rootWhere} has active_time_intervals ("root route must not have any active time intervals", config.go:636-638); move them to a child route`,
    );
  const walk = (r: Data, where: string) => {
    unknown(r, 'Route', where);
    matchers(r.matchers, `${where}.matchers`);
    matchKeys(r.match, `${where}.match`);
    if (typeof r.receiver === 'string' && r.receiver !== '' && !names.has(r.receiver))
      out.push(
        `${where}: receiver ${r.receiver} is not defined ("undefined receiver "${r.receiver}" used in route", config.go:676-678); define it under receivers${names.size ? ` or use one of ${[...names].join(', ')}` : ''}`,
      );
    for (const field of ['mute_time_intervals', 'active_time_intervals'])
      for (const t of list(r[field]))
        if (!intervals.has(String(t)))
          out.push(
            `${where}.${field}: time interval ${String(t)} is not defined ("undefined time interval "${String(t)}" used in route", config.go:689-698); define it under time_intervals`,
          );
    const groupBy = list(r.group_by).map(String);
    if (groupBy.includes('...') && groupBy.length > 1)
      out.push(
        `${where}.group_by mixes ... with labels ("cannot have wildcard group_by (\`...\`) and other labels at the same time", config.go:901-903); keep only ...`,
      );
    const seen = new Set<string>();
    for (const label of groupBy) {
      if (label !== '...' && !groupByLabelOk(label, release, options.classicMode === true))
        out.push(`${where}.group_by: ${label} is not a label name ("invalid label name "${label}" in group_by list", config.go:889-892)`);
      else if (seen.has(label))
        out.push(`${where}.group_by names ${label} twice ("duplicated label "${label}" in group_by", config.go:907-910); keep one`);
      seen.add(label);
    }
    for (const field of ['group_wait', 'group_interval', 'repeat_interval']) duration(r[field], `${where}.${field}`);
    for (const field of ['group_interval', 'repeat_interval'])
      if (r[field] !== undefined && /^0+(ms|s|m|h|d|w|y)?$/.test(String(r[field])))
        out.push(`${where}.${field} is zero ("${field} cannot be zero", config.go:914-919); write a positive duration such as 5m`);
    list(r.routes).forEach((child, i) => {
      const c = record(child);
      if (c) walk(c, `${where}.routes[${i}]`);
    });
  };
  walk(route, rootWhere);
  return out;
}

/** The reference releases of the configuration keys. */
export const ALERTMANAGER_CONFIG_RELEASES = RELEASES;

/** The struct of `release` (a reference release) that has `field` in this check's field lists, if one does. */
export function alertmanagerStructWithField(release: string, field: string): string | undefined {
  return Object.keys(STRUCTS).find((struct) => keysAt(struct, release)?.keys.includes(field));
}
