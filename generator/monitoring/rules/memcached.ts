import { JOBS } from '../scrape.js';
import { RATE_WINDOW, sel, type AlertRule, type RuleContext, type RuleGroup } from './types.js';

const job = JOBS.memcached;

/**
 * Failure share of the cache clients' operations, per client process and cache. The Store's two
 * caches (index cache, caching bucket) use Thanos' own client: `thanos_memcached_operations_total`
 * and `..._operation_failures_total` (thanos v0.42.4 pkg/cacheutil/memcached_client.go:317, :324),
 * registered with the cache's `name` (:254; "index-cache" pkg/store/cache/factory.go:64,
 * "caching-bucket" caching_bucket_factory.go:113). The Query Frontend's response cache uses the
 * Cortex client, which counts each request in `cortex_memcache_request_duration_seconds` by
 * `status_code`, "500" for every failure but a miss or a malformed key
 * (internal/cortex/chunk/cache/memcached.go:66-71, :124-135).
 */
function clientFailureShare(): string {
  const by = 'job, namespace, name';
  const share = (failed: string, all: string) =>
    `sum by (${by}) (rate(${failed}[${RATE_WINDOW}])) / sum by (${by}) (rate(${all}[${RATE_WINDOW}])) > 0.05`;
  const store = share(sel('thanos_memcached_operation_failures_total', JOBS.store), sel('thanos_memcached_operations_total', JOBS.store));
  const frontend = share(
    sel('cortex_memcache_request_duration_seconds_count', JOBS.queryFrontend, 'status_code="500"'),
    sel('cortex_memcache_request_duration_seconds_count', JOBS.queryFrontend),
  );
  return `(${store}) or (${frontend})`;
}

/**
 * The shared caches: the stack's memcached pods (through memcached_exporter v0.17.0,
 * pkg/exporter/exporter.go:157 `memcached_up`, :205 and :211 the connection gauges) and, for any
 * memcached backend, the clients' view. Caches only make reads faster and cheaper: nothing here
 * loses data, so nothing here pages.
 */
export function memcachedRules({ stack }: RuleContext): RuleGroup {
  // The in-memory caches have no client to fail and no server to lose.
  const clients = stack.cache.backend !== 'in-memory' && (stack.store.enabled || stack.queryFrontend.enabled);
  const rules: AlertRule[] = [];
  if (stack.cache.backend === 'memcached') {
    const replicas = stack.cache.replicas;
    rules.push(
      {
        alert: 'MemcachedDown',
        // Counted per pod (both Prometheus replicas scrape each one). The exporter reports 0 while it
        // cannot reach memcached, and a pod that is gone has no series at all, so "fewer than the
        // StatefulSet's replicas answering" covers both, and `or vector(0)` every pod gone.
        expr: `(count(max by (pod) (${sel('memcached_up', job)}) == 1) or vector(0)) < ${replicas}`,
        for: '5m',
        severity: 'warning',
        summary: `Fewer than ${replicas} memcached pods answer.`,
        description: `Fewer than ${replicas} memcached pods answer their exporter: the keys they held (the clients hash each key to one pod) now miss and go to the bucket, so queries are slower and the bucket sees more requests. Check the memcached pods.`,
        window:
          'fires within 10m of a memcached pod going away (5m for, a scrape and an evaluation); a rolling restart under 5m per pod stays silent',
        runbook: {
          meaning:
            'A memcached pod is down, crash-looping, pending or unreachable from its exporter. The Store and the Query Frontend keep answering; the share of keys that hashed to that pod is fetched from the bucket (or recomputed) instead, which costs latency and bucket requests until the pod is back and warm.',
          confirm: [
            `max by (pod) (memcached_up{job="${job}"})`,
            'kubectl -n <namespace> get pods -l app.kubernetes.io/name=memcached -o wide',
            'kubectl -n <namespace> describe pod <memcached pod>',
          ],
          fix: [
            'OOMKilled: memcached holds what -m allows plus connection buffers; raise overrides.cache.resources.memoryLimit (-m follows it).',
            'Pending: node capacity (the pods prefer distinct nodes); see the pod events.',
            'Running but memcached_up is 0: the memcached container itself is failing; read kubectl logs <pod> -c memcached.',
          ],
          escalate: 'Working hours. Escalate if query latency alerts fire at the same time and the pods do not come back.',
        },
      },
      {
        alert: 'MemcachedConnectionsNearLimit',
        expr: `max by (namespace, pod) (${sel('memcached_current_connections', job)} / ${sel('memcached_max_connections', job)}) > 0.9`,
        for: '10m',
        severity: 'warning',
        summary: 'memcached {{ $labels.pod }} uses more than 90% of its connections.',
        description:
          'memcached {{ $labels.pod }} has more than 90% of its -c connection limit open: new client connections will be refused and those cache operations fail. Check how many Store and Query Frontend pods connect, and their max_idle_connections.',
        window: 'fires within 15m of connections nearing the limit',
        runbook: {
          meaning:
            'Every Store and Query Frontend pod keeps up to max_idle_connections (100) open to each memcached pod, plus more under load. At the -c limit memcached refuses new connections: clients count failures and go to the bucket instead.',
          confirm: [
            `memcached_current_connections{job="${job}"}`,
            `memcached_max_connections{job="${job}"}`,
            `rate(memcached_connections_rejected_total{job="${job}"}[5m])`,
          ],
          fix: [
            'More client pods than planned (Store shards, Query Frontend replicas): add memcached replicas (overrides.cache.replicas) so each holds fewer keys and connections.',
            'A client leaking connections: restart it and look for timeouts in its log (a client that times out reconnects).',
          ],
          escalate: 'Working hours; with ThanosMemcachedClientErrors firing as well, queries are already affected.',
        },
      },
    );
  }
  if (clients) {
    rules.push({
      alert: 'ThanosMemcachedClientErrors',
      expr: clientFailureShare(),
      for: '10m',
      severity: 'warning',
      summary: '{{ $labels.job }} fails more than 5% of its memcached operations ({{ $labels.name }}).',
      description:
        'More than 5% of the operations of {{ $labels.job }} in {{ $labels.namespace }} on its memcached cache {{ $labels.name }} fail (timeouts, refused connections, server errors): those reads go to the bucket or are recomputed. Check the memcached pods and the NetworkPolicy between them.',
      window: 'fires within 15m of cache operations starting to fail',
      runbook: {
        meaning:
          "The client side of the cache: the Store's index cache and caching bucket, and the Query Frontend's response cache. Failed reads are treated as misses, so answers stay right, but each one costs a bucket request or a query; failed writes leave the cache colder.",
        confirm: [
          `sum by (name, operation, reason) (rate(thanos_memcached_operation_failures_total{job="${JOBS.store}"}[5m]))`,
          `sum by (name, method, status_code) (rate(cortex_memcache_request_duration_seconds_count{job="${JOBS.queryFrontend}"}[5m]))`,
          'kubectl -n <namespace> logs <client pod> | grep -i memcached',
        ],
        fix: [
          'reason="timeout": memcached overloaded or far away; see MemcachedDown and the memcached pods CPU, or raise the client timeout.',
          'reason="network-error" or refused connections: a memcached pod is gone (MemcachedDown), at its connection limit (MemcachedConnectionsNearLimit), or the NetworkPolicy memcached does not admit the client on 11211.',
          'An external cache (cache.backend external): the addresses in the overlay and its reachability from the namespace.',
        ],
        escalate: 'Working hours; escalate if query latency alerts fire at the same time.',
      },
    });
  }
  return { name: 'memcached', rules };
}
