import { cpus, loadavg } from 'node:os';
import { describeError } from '../src/describe-error';
import { AUTHORIZE_QUERY, LIST_PAGE_SIZE, LIST_QUERY, SCOPES_QUERY, type CaseKey, serviceCases } from './cases';
import { SERVER_NODE_ENV, stopChildrenOnInterrupt, withServer, withServers } from './child-server';
import { prepareActors, seedTokensThroughApi } from './fixture';
import { httpRequest, send } from './graphql-client';
import { type Measurement, measureRounds, sqlPerRequest, statementsOf } from './measure';
import { type BenchOptions, USAGE, parseOptions } from './options';
import { printProfile } from './profile-summary';
import type { CapturedStatement, ScopeRow, ServerKind } from './protocol';
import { type Target, elapsed, fixed, log, megabytes, percent, round, table, targetLines, thousands } from './report';
import { runScale } from './scale';
import { Seeder } from './seed';
import { statementHead, writeTransactions } from './statements';

/**
 * `npm run bench`: the service's cases (a)–(e) on an embedded PostgreSQL, and the baselines (bare
 * Apollo Server 5, mercurius + graphql-jit answering the same `scopes` payload, Apollo's pipeline
 * alone answering the queries of (a), (c) and (d) with constants); each server in a child process of its own, all loaded in turn, one
 * at a time, by autocannon from this process on 127.0.0.1.
 * The last line printed is one JSON object, for comparing runs.
 */

const SEEDED_TOKENS = 200;
const SEEDED_OWNERS = 5;
const PAGE_SIZES = [10, 50, 100];

/** The targets of issue 13, as ratios to the production bare Apollo of the same run (informational). */
const MIN_RATIO: Record<'a' | 'b' | 'c' | 'd', number> = { a: 2.0, b: 2.0, c: 3.0, d: 0.3 };
const MAX_PAT_OVERHEAD = 0.05;
const MAX_LIST_SQL = 3;
const MAX_CREATE_SQL = 5;

type BaselineKey = 'apollo' | 'mercurius' | 'floor' | 'floor-a' | 'floor-d';

/** The baselines: each served by a server kind, loaded with one query. */
const BASELINES: Record<BaselineKey, { server: Exclude<ServerKind, 'service'>; title: string; query: string; variables?: Record<string, unknown> }> = {
  apollo: { server: 'apollo', title: 'bare Apollo Server 5, standalone, static resolver', query: SCOPES_QUERY },
  mercurius: { server: 'mercurius', title: 'mercurius + graphql-jit, static resolver', query: SCOPES_QUERY },
  floor: { server: 'floor', title: "Apollo Server 5's pipeline alone: (c)'s query, constant answer", query: AUTHORIZE_QUERY },
  'floor-a': { server: 'floor', title: "Apollo Server 5's pipeline alone: (a)'s query, constant rows", query: SCOPES_QUERY },
  'floor-d': {
    server: 'floor',
    title: "Apollo Server 5's pipeline alone: (d)'s query, constant page",
    query: LIST_QUERY,
    variables: { first: LIST_PAGE_SIZE },
  },
};

const BASELINE_ENTRIES = Object.entries(BASELINES) as [BaselineKey, (typeof BASELINES)[BaselineKey]][];

/** Which floor bounds each case's ratio: what Apollo Server alone answers the same query at. */
const CEILING_OF: Partial<Record<CaseKey, BaselineKey>> = { a: 'floor-a', b: 'floor-a', c: 'floor', d: 'floor-d' };

interface CaseResult {
  key: CaseKey | BaselineKey;
  title: string;
  measurement: Measurement;
  bytes: number;
  sql?: number;
}

function progress(result: CaseResult): void {
  const { load } = result.measurement;
  log(
    `  ${result.key.padEnd(9)} ${thousands(load.rps).padStart(7)} req/s  p50 ${fixed(load.p50, 2)} ms  p99 ${fixed(load.p99, 2)} ms` +
      `  ${thousands(load.cpuUsPerRequest)} µs CPU/req` +
      (result.sql === undefined ? '' : `  ${fixed(result.sql, 2)} SQL/req`) +
      (load.non2xx + load.errors + load.timeouts > 0 ? `  (${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts)` : ''),
  );
}

async function runCases(options: BenchOptions): Promise<Record<string, unknown>> {
  const results: CaseResult[] = [];
  const sqlBySize: Record<string, number> = {};
  const rounds = { rounds: options.rounds, roundS: options.durationS / options.rounds, pick: 'combine' as const };
  let scopes: ScopeRow[] = [];
  let page: unknown = null;
  let memory = { rss: 0, heapUsed: 0 };
  let created: CapturedStatement[] = [];
  /** As each server reported it (ChildServer.start refuses any other than production). */
  const nodeEnv: Partial<Record<ServerKind, string | null>> = {};

  let started = performance.now();
  log('service: starting it on a fresh embedded PostgreSQL…');
  await withServer('service', {}, async (service) => {
    const { url, jwtSecret } = service.info;
    nodeEnv.service = service.info.nodeEnv;
    log(`service: ready at ${url} (pid ${service.info.pid}, NODE_ENV=${service.info.nodeEnv}) in ${elapsed(started)}`);
    started = performance.now();
    const actors = await prepareActors(url, jwtSecret!);
    await seedTokensThroughApi(url, jwtSecret!, SEEDED_TOKENS, SEEDED_OWNERS);
    // As autovacuum leaves a database that has been running (and as pgbench does before it measures):
    // plans see the real sizes, and index-only scans the visibility map. --scale does the same.
    const seeder = await Seeder.connect(service.info.databaseUrl!);
    try {
      await seeder.analyze();
    } finally {
      await seeder.close();
    }
    log(`service: ${SEEDED_TOKENS} tokens over ${SEEDED_OWNERS} users created through the API, then VACUUM ANALYZE, in ${elapsed(started)}`);
    const cases = serviceCases(url, actors).map((serviceCase) => ({ ...serviceCase, name: `service-${serviceCase.key}`, http: httpRequest(serviceCase.request) }));
    const bytes = new Map<string, number>();
    for (const serviceCase of cases) {
      const answer = await send(serviceCase.http);
      serviceCase.check(answer.data);
      bytes.set(serviceCase.key, answer.bytes);
      if (serviceCase.key === 'a') scopes = answer.data.scopes;
      if (serviceCase.key === 'd') page = answer.data.accessTokens;
    }
    // Every baseline stays up beside the service, idle but for its turns: the rounds then take the
    // service's cases and the baselines in turn, and a change in the machine's speed meets both alike.
    await withServers(['apollo', 'mercurius', 'floor'], { scopes, page }, async (servers) => {
      const targets = cases.map((serviceCase) => ({ name: serviceCase.name, request: serviceCase.http, server: service }));
      for (const [kind, server] of servers) {
        nodeEnv[kind] = server.info.nodeEnv;
        log(`${kind}: ready at ${server.info.url} (NODE_ENV=${server.info.nodeEnv})`);
      }
      for (const [key, baseline] of BASELINE_ENTRIES) {
        const server = servers.get(baseline.server)!;
        const request = httpRequest({ url: server.info.url, query: baseline.query, variables: baseline.variables });
        const answer = await send<{ scopes?: ScopeRow[]; accessTokens?: unknown }>(request);
        const expected = baseline.query === SCOPES_QUERY ? [answer.data.scopes, scopes] : baseline.query === LIST_QUERY ? [answer.data.accessTokens, page] : null;
        if (expected && JSON.stringify(expected[0]) !== JSON.stringify(expected[1])) throw new Error(`${key} answers another payload than the service`);
        bytes.set(key, answer.bytes);
        targets.push({ name: key, request, server });
      }
      log(`cases ${targets.map((target) => target.name).join(', ')} in ${options.rounds} interleaved rounds of ${fixed(rounds.roundS, 1)} s, after ${options.warmupS} s of warm-up each…`);
      const measured = await measureRounds(targets, options, rounds);
      for (const [key, baseline] of BASELINE_ENTRIES) {
        const result: CaseResult = { key, title: baseline.title, measurement: measured.get(key)!, bytes: bytes.get(key)! };
        results.push(result);
        progress(result);
      }
      for (const serviceCase of cases) {
        const sql = await sqlPerRequest(service, serviceCase.http, options.sqlRequests);
        const result = { key: serviceCase.key, title: serviceCase.title, measurement: measured.get(serviceCase.name)!, bytes: bytes.get(serviceCase.key)!, sql };
        results.push(result);
        progress(result);
      }
    });
    for (const first of PAGE_SIZES) {
      const request = httpRequest({ url, query: LIST_QUERY, variables: { first }, authorization: actors.admin });
      sqlBySize[`d@${first}`] = await sqlPerRequest(service, request, options.sqlRequests);
    }
    created = await statementsOf(service, cases.find((serviceCase) => serviceCase.key === 'e')!.http);
    memory = await service.request('memory');
  });

  const byKey = new Map(results.map((result) => [result.key, result]));
  const apollo = byKey.get('apollo')!.measurement.load;
  const ratio = (key: CaseResult['key']) => byKey.get(key)!.measurement.load.rps / apollo.rps;
  /** The same ratio from the servers' CPU time per request: steadier on a busy machine, blind to PostgreSQL's share. */
  const cpuRatio = (key: CaseResult['key']) => apollo.cpuUsPerRequest / byKey.get(key)!.measurement.load.cpuUsPerRequest;
  const ordered = ['apollo', 'mercurius', 'floor', 'floor-a', 'floor-d', 'a', 'b', 'c', 'd', 'e'].map((key) => byKey.get(key as CaseResult['key'])!);

  log();
  log(
    `Results (${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s per case in ${options.rounds} rounds, 127.0.0.1;` +
      ` NODE_ENV as the servers reported it: ${Object.entries(nodeEnv).map(([kind, value]) => `${kind} ${value}`).join(', ')}):`,
  );
  log(
    table(
      ['case', 'what', 'req/s', 'p50 ms', 'p99 ms', 'x Apollo', 'CPU µs/req', 'x Apollo', 'PG µs/req', 'SQL/req', 'bytes', 'failed'],
      ordered.map((result) => {
        const { load } = result.measurement;
        return [
          result.key,
          result.title,
          thousands(load.rps),
          fixed(load.p50, 2),
          fixed(load.p99, 2),
          fixed(ratio(result.key), 3),
          thousands(load.cpuUsPerRequest),
          fixed(cpuRatio(result.key), 3),
          Number.isNaN(load.databaseCpuUsPerRequest) ? '-' : thousands(load.databaseCpuUsPerRequest),
          fixed(result.sql, 2),
          String(result.bytes),
          String(load.non2xx + load.errors + load.timeouts),
        ];
      }),
      [false, false, true, true, true, true, true, true, true, true, true, true],
    ),
  );
  log('x Apollo: req/s divided by bare Apollo\'s; the second, the same from CPU time per request of the server process (PostgreSQL not included).');
  log('PG µs/req: CPU time of the service\'s PostgreSQL per request, on the same two cores as the service and the load generator.');
  log(
    `floor: Apollo Server's own pipeline with nothing behind it (the service's executor, no authentication, rule, limit, audit, log or metric) answers` +
      ` (c)'s query at ${fixed(ratio('floor'), 3)}x bare Apollo, (a)'s at ${fixed(ratio('floor-a'), 3)}x and (d)'s at ${fixed(ratio('floor-d'), 3)}x in this run:` +
      ' no service on Apollo Server answers them faster.',
  );
  log(`SQL statements per request of (d) by page size: ${Object.entries(sqlBySize).map(([size, sql]) => `${size} ${fixed(sql, 2)}`).join(', ')}`);
  const createTransactions = writeTransactions(created);
  log(`SQL statements of one (e), in ${createTransactions} writing transaction(s): ${created.map((statement) => statementHead(statement.sql)).join(', ')}`);
  log(`service process after the cases, after a full GC: RSS ${megabytes(memory.rss)}, heap used ${megabytes(memory.heapUsed)}`);

  const profiled = ordered.filter((result) => result.measurement.profile);
  if (profiled.length > 0) {
    log();
    log('Where the time goes (CPU profile of each server during its measured rounds):');
    for (const result of profiled) printProfile(`${result.key} (${result.title})`, result.measurement.profile!.summary, result.measurement.profile!.files);
  }

  const a = byKey.get('a')!.measurement.load;
  const b = byKey.get('b')!.measurement.load;
  const patOverhead = a.rps / b.rps - 1;
  const patCpuOverhead = b.cpuUsPerRequest / a.cpuUsPerRequest - 1;
  const signed = (share: number) => `${share >= 0 ? '+' : ''}${percent(share)}`;
  const maxListSql = Math.max(...Object.values(sqlBySize));
  const createSql = byKey.get('e')!.sql!;
  const targets: (Target & { key: string })[] = [
    ...(['a', 'b', 'c', 'd'] as const).map((key) => ({
      key,
      name: `(${key}) ${byKey.get(key)!.title} >= ${fixed(MIN_RATIO[key], 1)}x bare Apollo`,
      pass: ratio(key) >= MIN_RATIO[key],
      detail:
        `${fixed(ratio(key), 3)}x (by CPU time per request: ${fixed(cpuRatio(key), 3)}x)` +
        (CEILING_OF[key] ? `; Apollo Server alone answers this query at ${fixed(ratio(CEILING_OF[key]!), 3)}x in this run` : ''),
    })),
    {
      key: 'patAuthCost',
      name: `PAT authentication costs <= ${percent(MAX_PAT_OVERHEAD)} more than sign-in on the same query (b vs a)`,
      pass: patOverhead <= MAX_PAT_OVERHEAD,
      detail:
        `${signed(patOverhead)} time per request (${thousands(b.rps)} vs ${thousands(a.rps)} req/s; p50 ${fixed(b.p50, 2)} vs ${fixed(a.p50, 2)} ms);` +
        ` ${signed(patCpuOverhead)} service CPU per request (${thousands(b.cpuUsPerRequest)} vs ${thousands(a.cpuUsPerRequest)} µs)`,
    },
    {
      key: 'dSql',
      name: `(d) <= ${MAX_LIST_SQL} SQL statements per request whatever the page size`,
      pass: maxListSql <= MAX_LIST_SQL,
      detail: Object.entries(sqlBySize).map(([size, sql]) => `${size}: ${fixed(sql, 2)}`).join(', '),
    },
    {
      key: 'eSql',
      name: `(e) <= ${MAX_CREATE_SQL} SQL statements per request, its writes in one transaction`,
      pass: createSql <= MAX_CREATE_SQL && createTransactions === 1,
      detail: `${fixed(createSql, 2)} statements per request; writes in ${createTransactions} transaction(s)`,
    },
  ];
  log();
  log('Targets (informational):');
  log(targetLines(targets));

  const keys = ['a', 'b', 'c', 'd', 'e'] as const;
  const perCase = (value: (result: CaseResult) => number) =>
    Object.fromEntries(ordered.map((result) => [result.key, round(value(result), 2)]));
  return {
    ratios: Object.fromEntries(keys.map((key) => [key, round(ratio(key))])),
    sqlPerRequest: Object.fromEntries(keys.map((key) => [key, round(byKey.get(key)!.sql!, 2)])),
    sqlPerRequestByPageSize: Object.fromEntries(Object.entries(sqlBySize).map(([size, sql]) => [size, round(sql, 2)])),
    cpuRatios: Object.fromEntries(keys.map((key) => [key, round(cpuRatio(key))])),
    mercuriusRatio: round(ratio('mercurius')),
    floorRatio: round(ratio('floor')),
    floorRatios: { a: round(ratio('floor-a')), c: round(ratio('floor')), d: round(ratio('floor-d')) },
    rps: perCase((result) => result.measurement.load.rps),
    p50Ms: perCase((result) => result.measurement.load.p50),
    p99Ms: perCase((result) => result.measurement.load.p99),
    cpuUsPerRequest: perCase((result) => result.measurement.load.cpuUsPerRequest),
    databaseCpuUsPerRequest: Object.fromEntries(keys.map((key) => [key, round(byKey.get(key)!.measurement.load.databaseCpuUsPerRequest, 2)])),
    createStatements: created.map((statement) => statementHead(statement.sql)),
    targets: Object.fromEntries(targets.map((target) => [target.key, target.pass])),
    nodeEnv,
    run: { mode: options.label, connections: options.connections, warmupS: options.warmupS, durationS: options.durationS, rounds: options.rounds },
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  stopChildrenOnInterrupt();
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  log(
    `Tessera benchmark (${options.mode === 'scale' ? 'scale' : options.label}): node ${process.version}, ${cpus().length} CPUs, ` +
      `load average ${loadavg()[0].toFixed(2)} (figures are noisy while other work uses the CPUs)`,
  );
  log(
    `Every server runs with NODE_ENV=${SERVER_NODE_ENV}, whatever the bench's own (${process.env.NODE_ENV ?? 'unset'}): ` +
      'each reports the NODE_ENV it runs under, and one that reports another stops the bench.',
  );
  const summary = options.mode === 'scale' ? await runScale(options) : await runCases(options);
  log(`bench finished in ${elapsed(started)}`);
  const machine = { cpus: cpus().length, loadAverage: [round(loadAtStart, 2), round(loadavg()[0], 2)], elapsedS: round((performance.now() - started) / 1000, 1) };
  // The last line: one JSON object, for comparing runs.
  log(JSON.stringify({ ...summary, machine }));
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${describeError(error)}\n`);
  process.exit(1);
});
