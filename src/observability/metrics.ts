import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type CacheMetrics, createCacheMetrics } from './cache-metrics';

export interface MetricsOptions {
  /** Node's own metrics (CPU, memory, event loop lag, GC); on by default. They describe the whole process, whatever runs in it. */
  processMetrics?: boolean;
  /** Operation names become labels; past this many distinct names, further ones count as `other`. */
  maxOperationNames?: number;
  /**
   * The label values counters start at 0 with, so rate() and alerts work before the first event
   * of a kind: the service's reasons for refusing credentials, kinds of token, causes of revocation.
   */
  knownLabels?: { authenticationFailures?: readonly string[]; tokenKinds?: readonly string[]; revocationCauses?: readonly string[] };
}

/** What happens to tokens, counted: the token service tells it once a change is committed. */
export interface TokenCounters {
  created(kind: string): void;
  revoked(cause: string, count?: number): void;
  rotated(): void;
}

/** The numbers a pg pool reports about itself. */
export interface PoolStatistics {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/**
 * The metrics of one service instance, in a registry of its own (never prom-client's global
 * one), so several services in one process (the tests) do not share or clash over series.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly tokenEvents: TokenCounters;
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestDuration: Histogram<'operation' | 'outcome'>;
  private readonly authenticationFailures: Counter<'reason'>;
  private readonly cacheHits: Counter<'cache'>;
  private readonly cacheMisses: Counter<'cache'>;
  private readonly operationNames = new Set<string>();
  private readonly requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();
  private readonly maxOperationNames: number;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.maxOperationNames = options.maxOperationNames ?? 100;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.requests = new Counter({
      name: 'tessera_graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (ok, or the code of the first error)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'tessera_graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to finishing its response',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.authenticationFailures = new Counter({
      name: 'tessera_authentication_failures_total',
      help: 'Credentials refused, by internal reason (clients are only ever told UNAUTHENTICATED)',
      labelNames: ['reason'],
      registers,
    });
    const known = options.knownLabels ?? {};
    for (const reason of known.authenticationFailures ?? []) this.authenticationFailures.inc({ reason }, 0);

    const created = new Counter({
      name: 'tessera_tokens_created_total',
      help: 'Access tokens created, by kind',
      labelNames: ['kind'],
      registers,
    });
    const revoked = new Counter({
      name: 'tessera_tokens_revoked_total',
      help: 'Access tokens revoked, by cause: revoke, bulk_revoke, leak_report, or reuse_detected (a rotated-out secret used after its grace period)',
      labelNames: ['cause'],
      registers,
    });
    const rotated = new Counter({ name: 'tessera_tokens_rotated_total', help: 'Access token secrets rotated', registers });
    for (const kind of known.tokenKinds ?? []) created.inc({ kind }, 0);
    for (const cause of known.revocationCauses ?? []) revoked.inc({ cause }, 0);
    this.tokenEvents = {
      created: (kind) => created.inc({ kind }),
      revoked: (cause, count = 1) => revoked.inc({ cause }, count),
      rotated: () => rotated.inc(),
    };

    this.cacheHits = new Counter({ name: 'tessera_cache_hits_total', help: 'Cache look-ups answered from the cache', labelNames: ['cache'], registers });
    this.cacheMisses = new Counter({ name: 'tessera_cache_misses_total', help: 'Cache look-ups that went to the source', labelNames: ['cache'], registers });
  }

  /** One GraphQL request, once its response is finished. */
  recordRequest(operationName: string, outcome: string, seconds: number): void {
    const key = `${operationName}\u0000${outcome}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      // The labelled children are looked up once per operation and outcome, not hashed at every request.
      const labels = { operation: this.operationLabel(operationName), outcome };
      series = { count: this.requests.labels(labels), duration: this.requestDuration.labels(labels) };
      if (labels.operation === operationName) this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  recordAuthenticationFailure(reason: string): void {
    this.authenticationFailures.inc({ reason });
  }

  /** The hit and miss counters of one named cache; the hit ratio is hits / (hits + misses). */
  cache(name: string): CacheMetrics {
    return createCacheMetrics(name, this.cacheHits, this.cacheMisses);
  }

  /** Gauges of a connection pool, read when scraped rather than updated on every checkout. */
  observePool(read: () => PoolStatistics | null): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, pick: (statistics: PoolStatistics) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const statistics = read();
          if (statistics) this.set(pick(statistics));
        },
      });
    gauge('tessera_db_pool_max_connections', 'Connections the database pool may open (DB_POOL_MAX)', (s) => s.max);
    gauge('tessera_db_pool_connections', 'Connections the database pool holds open, busy or idle', (s) => s.total);
    gauge('tessera_db_pool_idle_connections', 'Open connections waiting for work', (s) => s.idle);
    gauge('tessera_db_pool_waiting_requests', 'Queries waiting for a free connection', (s) => s.waiting);
  }

  /** Prometheus' text format. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Operation names come from clients; a bounded set keeps one caller from growing the series without limit. */
  private operationLabel(name: string): string {
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames) return 'other';
    this.operationNames.add(name);
    return name;
  }
}
