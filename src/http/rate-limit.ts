import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config';
import type { Context } from '../app/context';
import { ErrorCode, rateLimited, ServiceError } from '../graphql/errors';

/**
 * One fixed-window budget per key, kept in this process's memory: behind a load balancer with N
 * instances a client gets up to N times the budget (see README, "Rate limits").
 */
class Budget {
  private readonly limiter?: RateLimiterMemory;

  constructor(points: number, windowSeconds: number) {
    if (points > 0) this.limiter = new RateLimiterMemory({ points, duration: windowSeconds });
  }

  /** Whether the budget of `key` is spent now, without taking from it. */
  async spent(key: string): Promise<boolean> {
    const result = await this.limiter?.get(key);
    return Boolean(result && this.limiter && result.consumedPoints >= this.limiter.points);
  }

  /** Takes from the budget; the seconds to wait when it was already spent, else 0. */
  async take(key: string, points = 1): Promise<number> {
    if (!this.limiter) return 0;
    try {
      await this.limiter.consume(key, points);
      return 0;
    } catch (result) {
      if (result instanceof RateLimiterRes) return secondsUntil(result);
      throw result;
    }
  }
}

function secondsUntil(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

function isInvalidCredentials(error: unknown): boolean {
  return error instanceof ServiceError && error.extensions.code === ErrorCode.UNAUTHENTICATED;
}

/** The rate limits of one instance: see RateLimitSettings for what each budget counts. */
export class RateLimits {
  private readonly perIp: Budget;
  private readonly perCaller: Budget;
  private readonly authFailures: Budget;
  private readonly leakReports: Budget;

  constructor(settings: RateLimitSettings) {
    this.perIp = new Budget(settings.perIp, settings.windowSeconds);
    this.perCaller = new Budget(settings.perCaller, settings.windowSeconds);
    this.authFailures = new Budget(settings.authFailuresPerIp, settings.windowSeconds);
    this.leakReports = new Budget(settings.leakReportsPerIp, settings.windowSeconds);
  }

  /** Takes from the address's budget, before the body is even read: the seconds to wait when it is spent, else 0. */
  fromAddress(ip: string): Promise<number> {
    return this.perIp.take(ip);
  }

  /**
   * Builds the request's context (which authenticates the caller) within the budgets that need
   * to know who is calling: failed authentications per address, then the caller's own budget.
   *
   * Once an address has spent its failure budget, only credentials that verify without the
   * database are checked (`cachedOnly`): a JWT whose signature verifies, an access token this
   * instance verified a moment ago (its cache) whose secret matches. So a valid user behind a
   * shared address (a NAT, a proxy without TRUST_PROXY) is not locked out by someone else's
   * failures, while guesses cost no database work and answer 429, whatever they are, until the
   * window ends. A valid token not in the cache waits for the window too: it cannot be told from
   * a guess without the database.
   */
  async context(ip: string, create: (options: { cachedOnly: boolean }) => Promise<Context>): Promise<Context> {
    const cachedOnly = await this.authFailures.spent(ip);
    let context: Context;
    try {
      context = await create({ cachedOnly });
    } catch (error) {
      if (isInvalidCredentials(error)) {
        const waitSeconds = await this.authFailures.take(ip);
        if (waitSeconds > 0) throw rateLimited(waitSeconds);
      }
      throw error;
    }
    const { caller } = context;
    const key = caller.token ? `token:${caller.token.id}` : caller.user ? `user:${caller.user.id}` : `ip:${ip}`;
    const waitSeconds = await this.perCaller.take(key);
    if (waitSeconds > 0) throw rateLimited(waitSeconds);
    return context;
  }

  /** Takes one leak report per `reportLeakedToken` in the operation (aliases make several). */
  async leakReportsFrom(ip: string, count: number): Promise<void> {
    const waitSeconds = await this.leakReports.take(ip, count);
    if (waitSeconds > 0) throw rateLimited(waitSeconds);
  }
}
