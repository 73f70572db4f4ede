import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value === 'true' || value === '1'));

/**
 * A whole number in [min, max]. Empty counts as unset: `PORT=` in an env file means the default,
 * not 0 (which Number('') would give, and which for PORT means "any free port").
 */
const integer = (fallback: number, min: number, max: number) => {
  const problem = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number({ error: problem }).int({ error: problem }).min(min, { error: problem }).max(max, { error: problem }).optional().default(fallback),
  );
};

/** A whole number in [min, max], or undefined when unset or empty. */
const optionalInteger = (min: number, max: number) => {
  const problem = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number({ error: problem }).int({ error: problem }).min(min, { error: problem }).max(max, { error: problem }).optional(),
  );
};

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
    PORT: integer(4000, 0, 65535),
    HOST: z.string().trim().min(1).optional().default('127.0.0.1'),
    DATA_DIR: z.string().trim().min(1).optional().default('.data'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    ),
    DB_POOL_MAX: integer(10, 1, 200),
    DB_CONNECTION_TIMEOUT_MS: integer(5000, 100, 120_000),
    DB_STATEMENT_TIMEOUT_MS: integer(10_000, 100, 600_000),
    DB_CONNECT_ATTEMPTS: integer(8, 1, 1000),
    AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    AUTH_JWKS_URL: optionalString.pipe(z.url().optional()),
    AUTH_ISSUER: optionalString,
    AUTH_AUDIENCE: optionalString,
    AUTH_MAX_LIFETIME_S: integer(86_400, 60, 30 * 86_400),
    AUTH_CLOCK_SKEW_S: integer(60, 0, 600),
    BOOTSTRAP_ADMIN_SUBJECT: optionalString,
    TOKEN_PEPPER: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    TRUST_PROXY: z
      .string()
      .trim()
      .optional()
      .transform((value, issue): TrustProxy => {
        if (value === undefined || value === '' || value === 'false' || value === '0') return false;
        if (value === 'true') return true;
        if (/^[1-9][0-9]?$/.test(value)) return Number(value);
        const entries = value.split(',').map((entry) => entry.trim());
        const address = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/[0-9]{1,3})?)$/;
        if (entries.every((entry) => address.test(entry))) return entries;
        issue.addIssue({ code: 'custom', message: 'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses/subnets' });
        return z.NEVER;
      }),
    GRAPHQL_INTROSPECTION: booleanFlag(true),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    // The metrics listener, apart from the public one: off unless METRICS_PORT is set; loopback by default.
    METRICS_PORT: optionalInteger(0, 65535),
    METRICS_HOST: optionalString,
    LAST_USED_FLUSH_MS: integer(5000, 100, 600_000),
    CACHE_TTL_MS: integer(30_000, 0, 600_000),
    SHUTDOWN_TIMEOUT_MS: integer(10_000, 100, 120_000),
    HTTP_BODY_LIMIT_BYTES: integer(100 * 1024, 1024, 10 * 1024 * 1024),
    GRAPHQL_MAX_TOKENS: integer(1000, 50, 100_000),
    GRAPHQL_MAX_DEPTH: integer(8, 2, 100),
    GRAPHQL_MAX_ALIASES: integer(15, 0, 10_000),
    GRAPHQL_MAX_DIRECTIVES: integer(50, 0, 10_000),
    GRAPHQL_MAX_COST: integer(20_000, 10, 100_000_000),
    GRAPHQL_MAX_FIELD_REPEATS: integer(10, 1, 10_000),
    GRAPHQL_MAX_ERRORS: integer(25, 1, 1000),
    RATE_LIMIT_WINDOW_S: integer(60, 1, 86_400),
    RATE_LIMIT_PER_IP: integer(6000, 0, 100_000_000),
    RATE_LIMIT_PER_CALLER: integer(1200, 0, 100_000_000),
    RATE_LIMIT_AUTH_FAILURES: integer(60, 0, 100_000_000),
    RATE_LIMIT_LEAK_REPORTS: integer(60, 0, 100_000_000),
  })
  .superRefine((env, issues) => {
    if (env.DATABASE_URL && !env.TOKEN_PEPPER) {
      issues.addIssue({ code: 'custom', path: ['TOKEN_PEPPER'], message: 'is required with DATABASE_URL (it is made for you only in embedded mode)' });
    }
    if (env.DATABASE_URL && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
      issues.addIssue({ code: 'custom', path: ['AUTH_JWT_SECRET'], message: 'or AUTH_JWKS_URL is required with DATABASE_URL (a secret is made for you only in embedded mode)' });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      issues.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT: metrics get a listener of their own' });
    }
    if (env.METRICS_HOST !== undefined && env.METRICS_PORT === undefined) {
      issues.addIssue({ code: 'custom', path: ['METRICS_HOST'], message: 'needs METRICS_PORT, which turns the metrics listener on' });
    }
    if (env.AUTH_JWT_SECRET && env.AUTH_JWKS_URL) {
      issues.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'set either AUTH_JWT_SECRET or AUTH_JWKS_URL, not both' });
    }
    if (env.AUTH_JWKS_URL) {
      // Tokens of an identity provider are meant for many services: without issuer and audience
      // checks, a token it issued for any other application would sign in here.
      for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
        if (!env[name]) issues.addIssue({ code: 'custom', path: [name], message: 'is required with AUTH_JWKS_URL' });
      }
      const url = new URL(env.AUTH_JWKS_URL);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        issues.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'must be an https:// URL (http:// only on loopback): the keys decide who signs in' });
      }
    }
  });

/** The size of query the service agrees to parse, validate and run; see README, "Query limits". */
export interface QueryLimits {
  /** Lexical tokens of the query text: bounds every other cost before anything is built. */
  maxTokens: number;
  /** Nesting of fields, counting through fragments as if they were written inline. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Fields weighted by depth, pages by their size, variables included: see query-cost.ts. */
  maxCost: number;
  /** How often one response key may appear in one selection set. */
  maxFieldRepeats: number;
  /** Validation stops after this many errors, so a broken query cannot make a huge answer. */
  maxErrors: number;
}

/** Requests allowed per window; 0 turns a budget off. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** Every /graphql request of one client address, before anything else is done. */
  perIp: number;
  /** Every request of one access token or signed-in user; an anonymous caller by its address. */
  perCaller: number;
  /** Requests with credentials that are not valid, per address; once spent, such requests get 429 instead of 401. */
  authFailuresPerIp: number;
  /** `reportLeakedToken` calls per address: it needs no authentication and looks tokens up. */
  leakReportsPerIp: number;
}

export type TrustProxy = boolean | number | string[];

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface Config {
  environment: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** Unset: an embedded PostgreSQL in dataDir. */
  databaseUrl?: string;
  database: { poolMax: number; connectionTimeoutMs: number; statementTimeoutMs: number; connectAttempts: number };
  auth: {
    jwtSecret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    bootstrapAdminSubject?: string;
    /** The longest sign-in token lifetime accepted. */
    maxLifetimeSeconds: number;
    clockSkewSeconds: number;
  };
  tokenPepper?: string;
  /**
   * Express's "trust proxy": which proxies' X-Forwarded-For to believe. A hop count or the load
   * balancer's subnets are safe; `true` believes any client that sends the header.
   */
  trustProxy: TrustProxy;
  introspection: boolean;
  logLevel: string;
  /**
   * When set, GET /metrics needs `Authorization: Bearer <metricsToken>`, on both listeners; the
   * public listener serves /metrics only then.
   */
  metricsToken?: string;
  /** The listener that serves /metrics alone (METRICS_PORT, METRICS_HOST); null: none. */
  metricsListener: { port: number; host: string } | null;
  lastUsedFlushMs: number;
  /** How long cached tokens, users, grants and settings live without a change notification; 0: no caching. */
  cacheTtlMs: number;
  shutdownTimeoutMs: number;
  /** Hostile input and load: request body size, query size, request rates. */
  limits: { bodyBytes: number; query: QueryLimits; rate: RateLimitSettings };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment once; every bad value is reported, each on its own line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const embedded = e.DATABASE_URL === undefined;
  return {
    environment: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    database: {
      poolMax: e.DB_POOL_MAX,
      connectionTimeoutMs: e.DB_CONNECTION_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      connectAttempts: e.DB_CONNECT_ATTEMPTS,
    },
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      bootstrapAdminSubject: e.BOOTSTRAP_ADMIN_SUBJECT ?? (embedded ? 'admin' : undefined),
      maxLifetimeSeconds: e.AUTH_MAX_LIFETIME_S,
      clockSkewSeconds: e.AUTH_CLOCK_SKEW_S,
    },
    tokenPepper: e.TOKEN_PEPPER,
    trustProxy: e.TRUST_PROXY,
    introspection: e.GRAPHQL_INTROSPECTION,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    metricsListener: e.METRICS_PORT === undefined ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1' },
    lastUsedFlushMs: e.LAST_USED_FLUSH_MS,
    cacheTtlMs: e.CACHE_TTL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    limits: {
      bodyBytes: e.HTTP_BODY_LIMIT_BYTES,
      query: {
        maxTokens: e.GRAPHQL_MAX_TOKENS,
        maxDepth: e.GRAPHQL_MAX_DEPTH,
        maxAliases: e.GRAPHQL_MAX_ALIASES,
        maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
        maxCost: e.GRAPHQL_MAX_COST,
        maxFieldRepeats: e.GRAPHQL_MAX_FIELD_REPEATS,
        maxErrors: e.GRAPHQL_MAX_ERRORS,
      },
      rate: {
        windowSeconds: e.RATE_LIMIT_WINDOW_S,
        perIp: e.RATE_LIMIT_PER_IP,
        perCaller: e.RATE_LIMIT_PER_CALLER,
        authFailuresPerIp: e.RATE_LIMIT_AUTH_FAILURES,
        leakReportsPerIp: e.RATE_LIMIT_LEAK_REPORTS,
      },
    },
  };
}
