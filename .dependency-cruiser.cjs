/**
 * The architecture, checked on every `npm run lint`: imports point down the layers and never back.
 *
 *   cli/        commands only (yargs)
 *   review/     two commits -> affected overlays and a rendered diff
 *   generator/  settings -> files          policies/  rendered YAML -> findings
 *   settings/   what a fork edits (registry, GitOps, monitoring, versions, profiles) and its schema
 *   core/       the kernel both sides use (Kubernetes objects, kubectl, units, Thanos references)
 *
 * Test files and test helpers are outside the layers: they may import anything.
 */
const layer = (from, notTo, comment) => ({ name: `layer-${from}`, comment, severity: 'error', from: { path: `^${from}/` }, to: { path: `^(${notTo.join('|')})/` } });

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'A cycle means two modules are one; split what they share into the lower one.', severity: 'error', from: {}, to: { circular: true } },
    layer('core', ['settings', 'generator', 'policies', 'review', 'cli'], 'core/ is the kernel: it knows nothing of the pins, the generator, the policies or the commands.'),
    layer('settings', ['generator', 'policies', 'review', 'cli'], 'settings/ is data and its schema; only core/ is below it.'),
    layer('generator', ['policies', 'review', 'cli'], 'The generator turns settings into files; it never reads the policies or the review.'),
    layer('policies', ['generator', 'review', 'cli'], 'Policies judge rendered YAML on its own; what they share with the generator lives in core/.'),
    layer('review', ['cli'], 'review/ is a library the cli calls.'),
    {
      name: 'generator-operations-on-top',
      comment: 'generator/operations/ (generate, new-overlay, remove-overlay) is what the CLI runs; nothing below calls back into it.',
      severity: 'error',
      from: { path: '^generator/', pathNot: '^generator/operations/' },
      to: { path: '^generator/operations/' },
    },
    {
      name: 'writer-at-the-bottom',
      comment: 'generator/write/ (the one writer, its lock and interrupt handling) knows files, not what is in them.',
      severity: 'error',
      from: { path: '^generator/write/' },
      to: { path: '^generator/', pathNot: '^generator/write/' },
    },
    {
      name: 'components-and-monitoring-apart',
      comment:
        'Components build objects, monitoring builds scrape configs, rules and dashboards; build-stack.ts passes what monitoring builds into the components. Shared names and ports live in core/, the Prometheus config types in generator/lib/.',
      severity: 'error',
      from: { path: '^generator/(components|monitoring)/' },
      to: { path: '^generator/(components|monitoring)/', pathNot: '^generator/$1/' },
    },
    {
      name: 'rules-are-independent',
      comment: 'A rule never imports another rule (kube-linter): shared helpers live in policies/lib/.',
      severity: 'error',
      from: { path: '^policies/rules/([^/]+)\\.ts$', pathNot: '\\.test\\.ts$' },
      to: { path: '^policies/rules/', pathNot: '^policies/rules/$1\\.ts$' },
    },
    {
      name: 'policy-lib-below-rules-and-engine',
      comment: 'policies/lib/ is what rules and the engine share; it imports neither.',
      severity: 'error',
      from: { path: '^policies/lib/' },
      to: { path: '^policies/(rules|engine|testing|build)/' },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(cli|core|generator|policies|review|settings)/', pathNot: '(\\.test\\.ts$|^policies/testing/)' },
      to: { path: '(\\.test\\.ts$|^test/|^policies/testing/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|node_modules|^dist/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
