import { AUTHORIZE_QUERY, LIST_QUERY, ME_QUERY } from './cases';
import { type ChildServer, withServer } from './child-server';
import { type ExplainedStatement, explainStatements } from './explain';
import { type Actors, prepareActors } from './fixture';
import { type HttpRequest, httpRequest, send } from './graphql-client';
import { quantile, sequential } from './load';
import { type Measurement, measure } from './measure';
import type { BenchOptions } from './options';
import { printProfile } from './profile-summary';
import type { MemorySample } from './protocol';
import { type Target, elapsed, fixed, log, megabytes, round, table, targetLines, thousands } from './report';
import { Seeder } from './seed';

/**
 * `npm run bench -- --scale`: the hot paths at 10,000 tokens, then again after seeding up to
 * 1,000,000 tokens over 10,000 users, on the same service process; each must cost at most 1.5x
 * as much, with the process's memory flat, and every hot query must use an index (EXPLAIN ANALYZE).
 */

/** The bench user's own list: the same length at both sizes, so only the table around it grows. */
const OWNER_TOKENS = 200;
const OWNER_DEPTH = 100;
const PAGE = 50;
const WALK_PAGES = 40;
const SEQUENTIAL_REQUESTS = 200;
const MAX_COST_RATIO = 1.5;
const MAX_RSS_GROWTH = 1.25;

type ScaleKey = 'auth' | 'authorize' | 'adminPage' | 'ownerPage';

const TITLES: Record<ScaleKey, string> = {
  auth: 'token authentication: { me { id } }, PAT',
  authorize: 'authorize(scope:), PAT',
  adminPage: `accessTokens(first: ${PAGE}, after: cursor at 90% of all), admin`,
  ownerPage: `accessTokens(first: ${PAGE}, after: cursor at ${OWNER_DEPTH} of own ${OWNER_TOKENS}), owner's PAT`,
};

interface CaseAtSize {
  measurement: Measurement;
  /** Median and p99 of sequential requests, one at a time: the cost of one request with no queueing. */
  sequentialP50: number;
  sequentialP99: number;
}

interface SizeResult {
  tokens: number;
  cases: Record<ScaleKey, CaseAtSize>;
  requests: Record<ScaleKey, HttpRequest>;
  /** Following endCursor from the middle of the whole list: median milliseconds per page. */
  walkMsPerPage: number;
  memory: MemorySample;
}

interface PageAnswer {
  accessTokens: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

const OWNER_LIST_QUERY = `query($first: Int, $after: String, $owner: ID) {
  accessTokens(first: $first, after: $after, filter: { ownerId: $owner }) { edges { cursor node { id } } pageInfo { endCursor hasNextPage } }
}`;

/**
 * The cursor just after `token`, read from the API rather than built, so the bench does not depend
 * on the cursor's format: the token is found in its owner's short list, whose cursors hold for the
 * whole list in the same order.
 */
async function cursorAfter(url: string, admin: string, token: { id: string; ownerId: string }): Promise<string> {
  let after: string | null = null;
  for (let page = 0; page < 20; page += 1) {
    const { data }: { data: PageAnswer } = await send<PageAnswer>({ url, query: OWNER_LIST_QUERY, variables: { first: 100, after, owner: token.ownerId }, authorization: admin });
    const edge = data.accessTokens.edges.find((candidate) => candidate.node.id === token.id);
    if (edge) return edge.cursor;
    if (!data.accessTokens.pageInfo.hasNextPage) break;
    after = data.accessTokens.pageInfo.endCursor;
  }
  throw new Error(`token ${token.id} is not in its owner's list`);
}

async function requestsAt(url: string, seeder: Seeder, actors: Actors, total: number): Promise<Record<ScaleKey, HttpRequest>> {
  const adminAfter = await cursorAfter(url, actors.admin, await seeder.tokenAt(Math.floor(total * 0.9)));
  const ownerAfter = await cursorAfter(url, actors.admin, await seeder.tokenAt(OWNER_DEPTH, actors.userId));
  return {
    auth: httpRequest({ url, query: ME_QUERY, authorization: actors.pat }),
    authorize: httpRequest({ url, query: AUTHORIZE_QUERY, authorization: actors.pat }),
    adminPage: httpRequest({ url, query: LIST_QUERY, variables: { first: PAGE, after: adminAfter }, authorization: actors.admin }),
    ownerPage: httpRequest({ url, query: LIST_QUERY, variables: { first: PAGE, after: ownerAfter }, authorization: actors.pat }),
  };
}

async function walkPages(url: string, seeder: Seeder, actors: Actors, total: number): Promise<number> {
  let after: string | null = await cursorAfter(url, actors.admin, await seeder.tokenAt(Math.floor(total / 2)));
  const times: number[] = [];
  for (let page = 0; page < WALK_PAGES && after; page += 1) {
    const started = performance.now();
    const { data }: { data: PageAnswer } = await send<PageAnswer>({ url, query: LIST_QUERY, variables: { first: PAGE, after }, authorization: actors.admin });
    times.push(performance.now() - started);
    after = data.accessTokens.pageInfo.hasNextPage ? data.accessTokens.pageInfo.endCursor : null;
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

async function measureSize(service: ChildServer, seeder: Seeder, actors: Actors, options: BenchOptions, size: string): Promise<SizeResult> {
  const tokens = await seeder.tokenCount();
  log(`scale: measuring at ${thousands(tokens)} tokens…`);
  const requests = await requestsAt(service.info.url, seeder, actors, tokens);
  const cases = {} as Record<ScaleKey, CaseAtSize>;
  for (const key of Object.keys(TITLES) as ScaleKey[]) {
    const answer = await send(requests[key]);
    if ((key === 'adminPage' || key === 'ownerPage') && answer.data.accessTokens.edges.length !== PAGE) {
      throw new Error(`${key}: a page of ${answer.data.accessTokens.edges.length} tokens, not ${PAGE}`);
    }
    const latencies = await sequential(requests[key], SEQUENTIAL_REQUESTS, 30_000);
    const measurement = await measure(service, requests[key], options, `scale-${size}-${key}`);
    cases[key] = { measurement, sequentialP50: quantile(latencies, 0.5), sequentialP99: quantile(latencies, 0.99) };
    const { load } = measurement;
    log(
      `  ${key.padEnd(10)} ${thousands(load.rps).padStart(6)} req/s  p50 ${fixed(load.p50, 2)} ms  p99 ${fixed(load.p99, 2)} ms;` +
        ` one at a time p50 ${fixed(cases[key].sequentialP50, 2)} ms` +
        (load.non2xx + load.errors + load.timeouts > 0 ? `  (${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts)` : ''),
    );
  }
  const walkMsPerPage = await walkPages(service.info.url, seeder, actors, tokens);
  log(`  following endCursor from the middle of the list: ${fixed(walkMsPerPage, 2)} ms per page of ${PAGE}`);
  return { tokens, cases, requests, walkMsPerPage, memory: await service.request('memory') };
}

async function explainHotQueries(service: ChildServer, seeder: Seeder, requests: Record<ScaleKey, HttpRequest>): Promise<ExplainedStatement[]> {
  const captured = [];
  for (const key of Object.keys(TITLES) as ScaleKey[]) {
    await service.request('captureStart');
    try {
      await send(requests[key]);
    } finally {
      captured.push({ usedBy: key, statements: await service.request('captureStop') });
    }
  }
  return explainStatements(seeder.connection, captured);
}

function printExplained(explained: ExplainedStatement[]): void {
  for (const statement of explained) {
    const sql = statement.sql.replace(/\s+/g, ' ').trim();
    log(`  [${statement.usedBy.join(', ')}] ${sql.length > 150 ? `${sql.slice(0, 150)}…` : sql}`);
    log(`    ${statement.largeSeqScans.length === 0 ? 'indexed' : `NOT INDEXED: sequential scan of ${statement.largeSeqScans.join(', ')}`}; execution ${fixed(statement.executionMs, 3)} ms`);
    log(`    scans: ${statement.scans.join('; ') || 'none'}`);
    for (const line of statement.plan.filter((line) => !/^\s*(Planning|Execution)/.test(line)).slice(0, 8)) {
      log(`    | ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`);
    }
  }
}

export async function runScale(options: BenchOptions): Promise<Record<string, unknown>> {
  const baseUsers = Math.max(1, Math.round((options.users * options.baseTokens) / options.tokens));
  let started = performance.now();
  log('scale: starting the service on a fresh embedded PostgreSQL…');
  return withServer('service', {}, [], async (service) => {
    const { url, jwtSecret, databaseUrl } = service.info;
    log(`scale: service ready at ${url} (pid ${service.info.pid}) in ${elapsed(started)}`);
    const actors = await prepareActors(url, jwtSecret!);
    const seeder = await Seeder.connect(databaseUrl!);
    try {
      started = performance.now();
      await seeder.ownerTokens(actors.userId, OWNER_TOKENS);
      await seeder.users(baseUsers);
      await seeder.tokens(1, options.baseTokens, baseUsers);
      await seeder.analyze();
      log(`scale: seeded ${thousands(options.baseTokens)} tokens over ${thousands(baseUsers)} users (+${OWNER_TOKENS} of the bench user) in ${elapsed(started)}`);
      const memoryAtStart = await service.request('memory');
      const small = await measureSize(service, seeder, actors, options, 'small');

      started = performance.now();
      await seeder.users(options.users);
      await seeder.tokens(options.baseTokens + 1, options.tokens, options.users, (done) =>
        log(`scale: ${thousands(options.baseTokens + done)} of ${thousands(options.tokens)} tokens after ${elapsed(started)}`),
      );
      await seeder.analyze();
      log(`scale: seeded up to ${thousands(options.tokens)} tokens over ${thousands(options.users)} users in ${elapsed(started)}`);
      const large = await measureSize(service, seeder, actors, options, 'large');

      log();
      log(`EXPLAIN (ANALYZE, BUFFERS) of the SELECTs these requests send, at ${thousands(large.tokens)} tokens:`);
      const explained = await explainHotQueries(service, seeder, large.requests);
      printExplained(explained);

      const keys = Object.keys(TITLES) as ScaleKey[];
      const rpsCost = (key: ScaleKey) => small.cases[key].measurement.load.rps / large.cases[key].measurement.load.rps;
      const latencyCost = (key: ScaleKey) => large.cases[key].sequentialP50 / small.cases[key].sequentialP50;
      const walkCost = large.walkMsPerPage / small.walkMsPerPage;
      log();
      log(`Cost at ${thousands(large.tokens)} tokens relative to ${thousands(small.tokens)} tokens (1.00 = the same; time per request, so higher is worse):`);
      log(
        table(
          ['case', 'what', 'req/s small', 'req/s large', 'cost x', 'one-at-a-time p50 ms', 'cost x'],
          [
            ...keys.map((key) => [
              key,
              TITLES[key],
              thousands(small.cases[key].measurement.load.rps),
              thousands(large.cases[key].measurement.load.rps),
              fixed(rpsCost(key), 2),
              `${fixed(small.cases[key].sequentialP50, 2)} -> ${fixed(large.cases[key].sequentialP50, 2)}`,
              fixed(latencyCost(key), 2),
            ]),
            ['walk', `follow endCursor ${WALK_PAGES} pages from the middle, admin`, '-', '-', '-', `${fixed(small.walkMsPerPage, 2)} -> ${fixed(large.walkMsPerPage, 2)}`, fixed(walkCost, 2)],
          ],
          [false, false, true, true, true, true, true],
        ),
      );
      log(
        `service RSS: ${megabytes(memoryAtStart.rss)} before any load, ${megabytes(small.memory.rss)} after the small size, ${megabytes(large.memory.rss)} after the large size` +
          ` (heap used ${megabytes(memoryAtStart.heapUsed)}, ${megabytes(small.memory.heapUsed)}, ${megabytes(large.memory.heapUsed)})`,
      );

      const profiled = keys.flatMap((key) =>
        [['small', small], ['large', large]].flatMap(([size, result]) => {
          const profile = (result as SizeResult).cases[key].measurement.profile;
          return profile ? [{ name: `${key} at ${size}`, profile }] : [];
        }),
      );
      if (profiled.length > 0) {
        log();
        log('Where the time goes (CPU profile of the service during the measured run):');
        for (const { name, profile } of profiled) printProfile(name, profile.summary, profile.file);
      }

      const unindexed = explained.filter((statement) => statement.largeSeqScans.length > 0);
      const targets: (Target & { key: string })[] = [
        ...keys.map((key) => ({
          key,
          name: `${TITLES[key]} within ${MAX_COST_RATIO}x of its cost at ${thousands(small.tokens)} tokens`,
          pass: rpsCost(key) <= MAX_COST_RATIO && latencyCost(key) <= MAX_COST_RATIO,
          detail: `${fixed(rpsCost(key), 2)}x under load, ${fixed(latencyCost(key), 2)}x one at a time`,
        })),
        {
          key: 'walk',
          name: `keyset pagination deep into the list within ${MAX_COST_RATIO}x`,
          pass: walkCost <= MAX_COST_RATIO,
          detail: `${fixed(small.walkMsPerPage, 2)} -> ${fixed(large.walkMsPerPage, 2)} ms per page (${fixed(walkCost, 2)}x)`,
        },
        {
          key: 'memory',
          name: `service memory flat (RSS after the large size <= ${MAX_RSS_GROWTH}x after the small size)`,
          pass: large.memory.rss <= small.memory.rss * MAX_RSS_GROWTH,
          detail: `${megabytes(small.memory.rss)} -> ${megabytes(large.memory.rss)}`,
        },
        {
          key: 'indexed',
          name: 'every hot query uses an index',
          pass: unindexed.length === 0,
          detail: unindexed.length === 0 ? `${explained.length} statements explained` : `${unindexed.length} of ${explained.length} scan a large table sequentially`,
        },
      ];
      log();
      log('Targets (informational):');
      log(targetLines(targets));

      return {
        scale: {
          tokens: { small: small.tokens, large: large.tokens },
          costUnderLoad: Object.fromEntries(keys.map((key) => [key, round(rpsCost(key), 2)])),
          costOneAtATime: Object.fromEntries(keys.map((key) => [key, round(latencyCost(key), 2)])),
          walkCost: round(walkCost, 2),
          rps: Object.fromEntries(keys.map((key) => [key, [round(small.cases[key].measurement.load.rps, 0), round(large.cases[key].measurement.load.rps, 0)]])),
          rssMb: [memoryAtStart.rss, small.memory.rss, large.memory.rss].map((rss) => round(rss / 1024 / 1024, 1)),
          unindexed: unindexed.map((statement) => ({ usedBy: statement.usedBy, tables: statement.largeSeqScans })),
          targets: Object.fromEntries(targets.map((target) => [target.key, target.pass])),
        },
        run: { mode: 'scale', connections: options.connections, warmupS: options.warmupS, durationS: options.durationS },
      };
    } finally {
      await seeder.close();
    }
  });
}
