import type { DataSource } from 'typeorm';

export interface LastUse {
  at: Date;
  ip: string;
}

/**
 * Keeps the last use of each token in memory and writes them in one statement every
 * `flushMs` and at shutdown, so authenticating a request costs no database write.
 * Reads on this instance see the newest use at once through `lastUse`.
 */
export class LastUseRecorder {
  private pending = new Map<string, LastUse>();
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
    this.pending.set(tokenId, { at, ip });
  }

  lastUse(tokenId: string): LastUse | undefined {
    return this.pending.get(tokenId);
  }

  /** Writes every pending use; a failed write keeps them for the next flush, unless newer uses came meanwhile. */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      const entries = [...batch];
      try {
        await this.dataSource.query(
          `UPDATE access_token t SET last_used_at = u.at, last_used_ip = u.ip
             FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
            WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.at)`,
          [entries.map(([id]) => id), entries.map(([, use]) => use.at), entries.map(([, use]) => use.ip)],
        );
      } catch (error) {
        for (const [id, use] of entries) if (!this.pending.has(id)) this.pending.set(id, use);
        throw error;
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
