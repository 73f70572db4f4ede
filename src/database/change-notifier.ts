import { Client } from 'pg';
import type { SqlRunner } from './sql';

/** What changed. Subscribers drop what they cached about the key; a null key: about anything of the topic. */
export enum ChangeTopic {
  /** Key: the token's id. A token was revoked, disabled, enabled, rotated, renamed, rescoped or deleted. */
  ACCESS_TOKEN = 'access_token',
  /** Key: the feature's name. A feature was switched on or off. */
  FEATURE = 'feature',
  /**
   * Key: the user's id. Its group memberships, activation or profile changed, so its permissions
   * may have; null: a group's permissions changed, so anybody's may have.
   */
  USER = 'user',
  /** Key: null. The expiry policy changed. */
  TOKEN_POLICY = 'token_policy',
}

/** The half of the notifier the services use. */
export interface ChangePublisher {
  /**
   * Given the transaction that makes the change, the notification is sent if and only if it
   * commits, and only then; without one it goes at once.
   */
  publish(topic: ChangeTopic, key: string | null, transaction?: SqlRunner): Promise<void>;
}

/**
 * Told the key that changed, or null when anything of the topic may have changed: after the
 * listener (re)connects, since notifications sent while it was away are lost for good.
 */
export type ChangeListener = (key: string | null) => void;

/** What a service that caches needs of the notifier: to announce its changes, and to hear everybody's. */
export interface Changes extends ChangePublisher {
  /** Calls `listener` with the key of every change of `topic`; the returned function stops it. */
  subscribe(topic: ChangeTopic, listener: ChangeListener): () => void;
}

export interface ChangeNotifierOptions {
  /** The database every instance shares. */
  url: string;
  /** Sends notifications: the service's pool, so publishing does not depend on the listener's connection. */
  publisher: SqlRunner;
  channel?: string;
  /** Longest pause between two attempts to get the listener's connection back. */
  maxReconnectDelayMs?: number;
  /** How often the listener's connection is checked: a silently dead connection would hear nothing. */
  heartbeatMs?: number;
  onError?: (error: unknown, during: 'listen' | 'publish' | 'deliver') => void;
}

const DEFAULT_CHANNEL = 'tessera_changes';
const MAX_KEY_LENGTH = 1000; // NOTIFY payloads must stay under 8000 bytes

/**
 * Invalidation across instances, over PostgreSQL LISTEN/NOTIFY. Every instance of the service on
 * one database hears every change published by any of them (itself included), within
 * milliseconds of the commit, so an in-process cache can drop a revoked token or a switched-off
 * feature at once. Published within the change's transaction, a notification goes out exactly
 * when the change commits. Caches must still keep a short time-to-live as the backstop for a
 * notification lost while a listener was away (they are also told `null` when it comes back).
 *
 * Listening takes one dedicated connection, outside the pool (a pooled one changes hands); it is
 * re-established with bounded backoff whenever it is lost, and each subscriber is then told
 * `null` to start afresh.
 */
export class ChangeNotifier implements Changes {
  private readonly listeners = new Map<ChangeTopic, Set<ChangeListener>>();
  private readonly channel: string;
  private readonly maxReconnectDelayMs: number;
  private readonly heartbeatMs: number;
  private client?: Client;
  private connected = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(private readonly options: ChangeNotifierOptions) {
    this.channel = options.channel ?? DEFAULT_CHANNEL;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 5000;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
  }

  /** Whether the listener's connection is up and listening now. */
  get listening(): boolean {
    return this.connected;
  }

  /** Makes the first attempt to listen; when it fails, retries go on in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  subscribe(topic: ChangeTopic, listener: ChangeListener): () => void {
    let forTopic = this.listeners.get(topic);
    if (!forTopic) this.listeners.set(topic, (forTopic = new Set()));
    forTopic.add(listener);
    return () => forTopic.delete(listener);
  }

  async publish(topic: ChangeTopic, key: string | null, transaction?: SqlRunner): Promise<void> {
    const payload = JSON.stringify({ topic, key: key?.slice(0, MAX_KEY_LENGTH) ?? null });
    // This instance's own caches hear it at once, not only when the notification comes back
    // around: the next request here, even one sent before the NOTIFY arrives, sees the change.
    // (Before the commit is harmless: a cache that refills meanwhile is emptied again by the
    // notification, which comes after the commit.)
    this.deliver(payload);
    if (transaction) {
      // Part of the change: if this fails, so does the transaction, and nothing was changed.
      await transaction.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
      return;
    }
    try {
      await this.options.publisher.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
    } catch (error) {
      this.options.onError?.(error, 'publish');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'tessera-changes',
      keepAlive: true,
      connectionTimeoutMillis: this.maxReconnectDelayMs,
    });
    this.client = client;
    let heartbeat: NodeJS.Timeout | undefined;
    let lost = false;
    const lose = (error?: unknown) => {
      if (lost) return;
      lost = true;
      clearInterval(heartbeat);
      if (error !== undefined && !this.stopped) this.options.onError?.(error, 'listen');
      void client.end().catch(() => undefined);
      if (this.client !== client) return;
      this.client = undefined;
      this.connected = false;
      this.reconnectLater();
    };
    // Kept for the client's whole life: an 'error' event with no listener would end the process.
    client.on('error', lose);
    client.on('end', () => lose());
    client.on('notification', (message) => this.deliver(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      lose(error);
      return;
    }
    if (lost) return;
    heartbeat = setInterval(() => {
      const deadline = setTimeout(() => lose(new Error('the change listener\'s connection stopped answering')), this.heartbeatMs);
      client.query('SELECT 1').then(
        () => clearTimeout(deadline),
        (error: unknown) => {
          clearTimeout(deadline);
          lose(error);
        },
      );
    }, this.heartbeatMs);
    heartbeat.unref();
    this.attempt = 0;
    this.connected = true;
    this.resync();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delayMs = Math.min(250 * 2 ** (this.attempt - 1), this.maxReconnectDelayMs);
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
    this.reconnectTimer.unref();
  }

  private resync(): void {
    for (const forTopic of this.listeners.values()) for (const listener of forTopic) this.call(listener, null);
  }

  private deliver(payload: string | undefined): void {
    let change: { topic?: unknown; key?: unknown };
    try {
      change = JSON.parse(payload ?? '');
    } catch {
      return; // not one of ours
    }
    if (typeof change.key !== 'string' && change.key !== null) return;
    for (const listener of this.listeners.get(change.topic as ChangeTopic) ?? []) this.call(listener, change.key);
  }

  private call(listener: ChangeListener, key: string | null): void {
    try {
      listener(key);
    } catch (error) {
      this.options.onError?.(error, 'deliver');
    }
  }
}
