import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { startService } from '../src/app/service';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { createLogger } from '../src/logger';
import { clusterCpuUs } from './database-cpu';
import type { CapturedStatement } from './protocol';
import type { ServerHost } from './server-host';

/**
 * The service as `npm start` runs it, on an embedded PostgreSQL of its own in a temporary
 * directory (removed at stop), with fresh secrets and no logging. Other settings (pool size,
 * limits) come from the bench's environment, so a run can try them; rate limits default to
 * budgets the bench cannot spend.
 */
export async function startServiceHost(): Promise<ServerHost> {
  const directory = await mkdtemp(join(tmpdir(), 'tessera-bench-pg-'));
  const embedded = await startEmbeddedPostgres({ directory, password: randomBytes(18).toString('base64url'), database: 'tessera' }).catch(
    async (error: unknown) => {
      await rm(directory, { recursive: true, force: true });
      throw error;
    },
  );
  const removeDatabase = async () => {
    await embedded.stop();
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const config = loadConfig({
      // The rate limiter runs (its cost is part of every request) but never refuses the load generator.
      RATE_LIMIT_PER_IP: '100000000',
      RATE_LIMIT_PER_CALLER: '100000000',
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: embedded.url,
      TOKEN_PEPPER: randomBytes(32).toString('hex'),
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      AUTH_JWKS_URL: '',
      AUTH_ISSUER: '',
      AUTH_AUDIENCE: '',
      BOOTSTRAP_ADMIN_SUBJECT: 'admin',
      LOG_LEVEL: 'silent',
    });
    const service = await startService(config, createLogger({ level: 'silent' }));

    // The counter is the DataSource's TypeORM logger: wrapping its logQuery sees every statement with its parameters.
    const counter = service.queryCounter as TypeOrmLogger;
    const countQuery = counter.logQuery.bind(counter);
    let captured: CapturedStatement[] | null = null;
    counter.logQuery = (sql: string, parameters?: unknown[], queryRunner?) => {
      captured?.push({ sql, parameters: parameters ?? [] });
      countQuery(sql, parameters, queryRunner);
    };

    return {
      info: { url: service.url, pid: process.pid, nodeEnv: config.environment, databaseUrl: embedded.url, jwtSecret: service.jwtSecret },
      queryCount: () => service.queryCounter.count,
      databaseCpuUs: () => clusterCpuUs(directory),
      capture: {
        // Nothing cached: the statements captured are what the request sends when it finds no cached token,
        // user, grant or setting, which are the statements that meet the table's size.
        start: (emptyCaches) => {
          if (emptyCaches) for (const cache of service.caches) cache.clear();
          captured = [];
        },
        stop: () => {
          const statements = captured ?? [];
          captured = null;
          return statements;
        },
      },
      stop: async () => {
        await service.stop();
        await removeDatabase();
      },
    };
  } catch (error) {
    await removeDatabase().catch(() => undefined);
    throw error;
  }
}
