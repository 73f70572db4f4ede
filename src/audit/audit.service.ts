import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';
import { type SqlRunner, SqlParameters, rows } from '../database/sql';
import { badInput } from '../graphql/errors';
import { isPlainText } from '../validation';
import { AuditAction } from './audit-action.enum';
import { AuditEvent } from './audit-event.entity';

export type AuditTargetType = 'ACCESS_TOKEN' | 'FEATURE' | 'MANAGEMENT_ZONE' | 'GROUP' | 'USER' | 'TOKEN_POLICY';

/** What changed. Details hold names, scopes, flags: never a secret or a hash. */
export interface AuditEntry {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  /** The user the change is about (a token's owner): it may read the entry. */
  subjectUserId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  actions?: AuditAction[] | null;
  targetId?: string | null;
  actorUserId?: string | null;
  occurredAfter?: Date | null;
  occurredBefore?: Date | null;
}

export interface AuditPage {
  events: AuditEvent[];
  hasNextPage: boolean;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Text PostgreSQL stores as sent (no NUL, no control characters), else BAD_USER_INPUT on `field`. */
function plainText(text: string, field: string): string {
  if (!isPlainText(text)) throw badInput(`${field} is not valid text`, field);
  return text;
}

const COLUMNS = `id::text AS id, occurred_at AS "occurredAt", action, actor_user_id AS "actorUserId",
  actor_token_id AS "actorTokenId", client_ip AS "clientIp", target_type AS "targetType", target_id AS "targetId",
  subject_user_id AS "subjectUserId", details`;

/**
 * The audit log. `record` runs on the transaction of the change it describes, so an entry exists
 * exactly when its change was committed: a rolled-back change leaves no entry.
 */
export class AuditService {
  private readonly dataSource: DataSource;

  constructor(dependencies: { dataSource: DataSource }) {
    this.dataSource = dependencies.dataSource;
  }

  async record(transaction: SqlRunner, caller: Caller | null, ...entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await transaction.query(
      `INSERT INTO audit_event (action, actor_user_id, actor_token_id, client_ip, target_type, target_id, subject_user_id, details)
       SELECT e.action::audit_action, $1, $2, $3, e.target_type, e.target_id, e.subject_user_id, e.details
         FROM jsonb_to_recordset($4::jsonb)
           AS e(action text, target_type text, target_id text, subject_user_id uuid, details jsonb)`,
      [
        caller?.user?.id ?? null,
        caller?.token?.id ?? null,
        caller?.ip ?? null,
        JSON.stringify(
          entries.map((entry) => ({
            action: entry.action,
            target_type: entry.targetType,
            target_id: entry.targetId,
            subject_user_id: entry.subjectUserId ?? null,
            details: entry.details ?? {},
          })),
        ),
      ],
    );
  }

  /**
   * Newest first. Admins see every entry; anybody else the entries about its own tokens and account,
   * without the address and token of whoever else acted on them (see `redacted`).
   */
  async list(caller: Caller, filter: AuditFilter, first: number, after: string | null | undefined): Promise<AuditPage> {
    const conditions: string[] = [];
    const parameters = new SqlParameters();
    const { bind } = parameters;
    const administers = await caller.administersTokens();
    if (!administers) conditions.push(`subject_user_id = ${bind(caller.user!.id)}`);
    if (filter.actions?.length) conditions.push(`action = ANY(${bind(filter.actions)}::audit_action[])`);
    if (filter.targetId != null) conditions.push(`target_id = ${bind(plainText(filter.targetId, 'targetId'))}`);
    if (filter.actorUserId != null) conditions.push(`actor_user_id::text = ${bind(plainText(filter.actorUserId, 'actorUserId'))}`);
    if (filter.occurredAfter) conditions.push(`occurred_at > ${bind(filter.occurredAfter)}`);
    if (filter.occurredBefore) conditions.push(`occurred_at < ${bind(filter.occurredBefore)}`);
    if (after != null) {
      // An event's id, a bigint: a longer or larger number is no event's.
      if (!/^[1-9][0-9]{0,18}$/.test(after) || BigInt(after) > MAX_BIGINT) throw badInput('after is not a cursor returned by this list', 'after');
      conditions.push(`id < ${bind(after)}::bigint`);
    }
    const found = await rows<AuditEvent>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM audit_event WHERE ${conditions.join(' AND ') || 'true'} ORDER BY audit_event.id DESC LIMIT ${bind(first + 1)}`,
      parameters.values,
    );
    const repository = this.dataSource.getRepository(AuditEvent);
    const events = found.slice(0, first).map((row) => repository.create(administers ? row : redacted(row, caller.user!.id)));
    return { events, hasNextPage: found.length > first };
  }
}

/** Entries recorded when somebody used the reader's own token: the address is where the token is. */
const USES_OF_THE_TOKEN: ReadonlySet<AuditAction> = new Set([AuditAction.TOKEN_REUSE_DETECTED, AuditAction.TOKEN_EXPIRED]);

/**
 * An entry as a user who is not an admin reads it. The client address and access token of whoever
 * acted are theirs, not the reader's: another user acting (an admin revoking the reader's token, say)
 * or a leak's reporter, signed in or not, reads as null in both. The reader's own actions keep them,
 * and so do the uses of the reader's token with a replaced or expired secret, which have no acting
 * user: that address is where the token is, what its owner needs to find the leak.
 */
function redacted(event: AuditEvent, readerId: string): AuditEvent {
  if (event.actorUserId === readerId || (event.actorUserId === null && USES_OF_THE_TOKEN.has(event.action))) return event;
  return { ...event, clientIp: null, actorTokenId: null };
}
