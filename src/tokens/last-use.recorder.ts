import type { DataSource } from 'typeorm';

export interface LastUse {
  at: Date;
  ip: string;
}

/** How many recent addresses each token keeps. */
export const ADDRESSES_KEPT = 5;

/**
 * Keeps the uses of each token in memory and writes them in a few statements every `flushMs`
 * and at shutdown, so authenticating a request costs no database write. Reads on this instance
 * see the newest uses at once through `lastUse` and `unsavedUses`.
 */
export class LastUseRecorder {
  /** token id → address → time of the latest use from it. */
  private pending = new Map<string, Map<string, Date>>();
  /** The batch being written: still what reads must see until the write has committed. */
  private writing = new Map<string, Map<string, Date>>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly flushMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.onError), this.flushMs);
    this.timer.unref();
  }

  record(tokenId: string, ip: string, at = new Date()): void {
    let addresses = this.pending.get(tokenId);
    if (!addresses) this.pending.set(tokenId, (addresses = new Map()));
    const known = addresses.get(ip);
    if (!known || known < at) addresses.set(ip, at);
  }

  /** The newest use not yet written. */
  lastUse(tokenId: string): LastUse | undefined {
    const uses = this.unsavedUses(tokenId);
    return uses.length > 0 ? uses.reduce((newest, use) => (use.at > newest.at ? use : newest)) : undefined;
  }

  /** Every address with a use not yet written (or being written). */
  unsavedUses(tokenId: string): LastUse[] {
    const latest = new Map(this.writing.get(tokenId));
    for (const [ip, at] of this.pending.get(tokenId) ?? []) if (!(latest.get(ip)! >= at)) latest.set(ip, at);
    return [...latest].map(([ip, at]) => ({ ip, at }));
  }

  /** Writes every pending use; a failed write keeps them for the next flush, unless newer uses came meanwhile. */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      this.writing = batch;
      const uses = [...batch].flatMap(([id, addresses]) => [...addresses].map(([ip, at]) => ({ id, ip, at })));
      const latest = [...batch].map(([id, addresses]) => ({ id, ...this.newest(addresses) }));
      try {
        await this.dataSource.transaction(async (manager) => {
          await manager.query(
            `UPDATE access_token t SET last_used_at = u.at, last_used_ip = u.ip
               FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
              WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.at)`,
            [latest.map((use) => use.id), latest.map((use) => use.at), latest.map((use) => use.ip)],
          );
          await manager.query(
            `INSERT INTO access_token_ip (token_id, ip, last_used_at)
             SELECT u.id, u.ip, u.at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(id, ip, at)
               JOIN access_token t ON t.id = u.id
             ON CONFLICT (token_id, ip) DO UPDATE SET last_used_at = GREATEST(access_token_ip.last_used_at, EXCLUDED.last_used_at)`,
            [uses.map((use) => use.id), uses.map((use) => use.ip), uses.map((use) => use.at)],
          );
          await manager.query(
            `DELETE FROM access_token_ip a USING (
               SELECT token_id, ip, row_number() OVER (PARTITION BY token_id ORDER BY last_used_at DESC) AS position
                 FROM access_token_ip WHERE token_id = ANY($1::text[])) ranked
              WHERE a.token_id = ranked.token_id AND a.ip = ranked.ip AND ranked.position > $2`,
            [latest.map((use) => use.id), ADDRESSES_KEPT],
          );
        });
      } catch (error) {
        for (const use of uses) {
          if (!this.pending.get(use.id)?.has(use.ip)) this.record(use.id, use.ip, use.at);
        }
        throw error;
      } finally {
        this.writing = new Map();
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private newest(addresses: Map<string, Date>): LastUse {
    let newest: LastUse | undefined;
    for (const [ip, at] of addresses) if (!newest || at > newest.at) newest = { ip, at };
    return newest!;
  }
}
