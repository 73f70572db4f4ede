import { DataSource, In } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/caller';
import { type Changes, ChangeTopic } from '../database/change-notifier';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { type SqlRunner, rows } from '../database/sql';
import { badInput, notFound } from '../graphql/errors';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, isUuid, sqlState, validateName } from '../validation';
import type { EffectiveGrant } from './effective-grant';
import { GroupMember } from './group-member.entity';
import { Group } from './group.entity';
import { ManagementZone } from './management-zone.entity';
import { PermissionGrant } from './permission-grant.entity';
import { Permission } from './permission.enum';
import { User, userColumns } from './user.entity';

export interface GrantInput {
  permission: Permission;
  managementZoneId?: string | null;
}

export interface SignInClaims {
  subject: string;
  email?: string | null;
  name?: string | null;
}

/** Users, groups, management zones and the permissions groups grant. */
export interface DirectoryDependencies {
  dataSource: DataSource;
  audit: AuditService;
  /** Announces whose permissions may have changed; and tells this instance's caches of anybody's change. */
  changes: Changes;
  /** Users by subject, for sign-ins; and each user's effective grants. Both dropped on changes of users and groups. */
  caches: { usersBySubject: ChangeAwareCache<User>; grants: ChangeAwareCache<EffectiveGrant[]> };
  /** The `sub` that holds ADMIN whatever its groups say. */
  bootstrapAdminSubject?: string;
}

export class DirectoryService {
  private readonly dataSource: DataSource;
  private readonly audit: AuditService;
  private readonly changes: Changes;
  private readonly usersBySubject: ChangeAwareCache<User>;
  private readonly grants: ChangeAwareCache<EffectiveGrant[]>;
  private readonly bootstrapAdminSubject?: string;
  private bootstrapAdminId: string | null = null;

  constructor(dependencies: DirectoryDependencies) {
    ({ dataSource: this.dataSource, audit: this.audit, changes: this.changes, bootstrapAdminSubject: this.bootstrapAdminSubject } = dependencies);
    ({ usersBySubject: this.usersBySubject, grants: this.grants } = dependencies.caches);
    // A user's id: its memberships, activation or profile changed; null: a group's grants, so anybody's.
    this.changes.subscribe(ChangeTopic.USER, (id) => {
      if (id === null) {
        this.grants.clear();
        this.usersBySubject.clear();
        return;
      }
      this.grants.delete(id);
      this.usersBySubject.deleteWhere((user) => user.id === id);
    });
  }

  /** Creates the bootstrap administrator's user, so it holds ADMIN from the first request. */
  async ensureBootstrapAdmin(): Promise<User | null> {
    if (!this.bootstrapAdminSubject) return null;
    const admin = await this.signIn({ subject: this.bootstrapAdminSubject });
    this.bootstrapAdminId = admin.id;
    return admin;
  }

  /**
   * The user of a verified sign-in; the first sign-in of a subject creates its user, with no
   * groups. A known subject whose profile claims have not changed costs no database work, and a
   * deactivated user's claims are not written.
   */
  async signIn(claims: SignInClaims): Promise<User> {
    const generation = this.usersBySubject.currentGeneration ?? 0;
    const cached = this.usersBySubject.get(claims.subject);
    if (cached && !this.profileChanges(cached, claims)) return cached;
    const users = this.dataSource.getRepository(User);
    const existing = cached ?? (await users.findOneBy({ subject: claims.subject }));
    if (!existing) {
      const [created] = await rows<User>(
        this.dataSource,
        `INSERT INTO app_user (subject, email, name) VALUES ($1, $2, $3)
         ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
         RETURNING ${userColumns('app_user')}`,
        [claims.subject, claims.email ?? null, claims.name ?? null],
      );
      return users.create(created);
    }
    // A deactivated user is refused (by the authenticator) before anything of its profile is written.
    if (!existing.active) return existing;
    const changes = this.profileChanges(existing, claims);
    if (!changes) {
      this.usersBySubject.set(claims.subject, existing, generation);
      return existing;
    }
    await users.update({ id: existing.id }, changes);
    await this.changes.publish(ChangeTopic.USER, existing.id);
    return users.merge(users.create(existing), changes);
  }

  private profileChanges(user: User, claims: SignInClaims): Partial<User> | null {
    const changes: Partial<User> = {};
    if (claims.email !== undefined && claims.email !== user.email) changes.email = claims.email;
    if (claims.name !== undefined && claims.name !== user.name) changes.name = claims.name;
    return Object.keys(changes).length > 0 ? changes : null;
  }

  /** A page's owners at once (the users loader): plain SQL, as TypeORM's query building costs more than the query here. */
  async usersByIds(ids: readonly string[]): Promise<User[]> {
    const found = await rows<User>(
      this.dataSource,
      `SELECT ${userColumns('u')} FROM app_user u WHERE id = ANY($1::uuid[])`,
      [ids.filter(isUuid)],
    );
    return found.map((row) => Object.assign(new User(), row));
  }

  async requireUser(id: string): Promise<User> {
    const user = isUuid(id) ? await this.dataSource.getRepository(User).findOneBy({ id }) : null;
    if (!user) throw notFound(`User ${id}`);
    return user;
  }

  /** A user's grants when this instance has them cached; undefined when they must be read. */
  cachedGrants(userId: string): EffectiveGrant[] | undefined {
    return this.grants.peek(userId);
  }

  /** Every grant each user holds through its groups, plus ADMIN for the bootstrap administrator. */
  async grantsOfUsers(userIds: readonly string[]): Promise<Map<string, EffectiveGrant[]>> {
    const byUser = new Map<string, EffectiveGrant[]>();
    const missing: string[] = [];
    for (const id of userIds) {
      const cached = this.grants.get(id);
      if (cached) byUser.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return byUser;
    const generation = this.grants.currentGeneration ?? 0;
    const found: { userId: string; permission: Permission; managementZoneId: string | null }[] = await this.dataSource.query(
      `SELECT DISTINCT m.user_id AS "userId", g.permission, g.management_zone_id AS "managementZoneId"
         FROM group_member m JOIN permission_grant g ON g.group_id = m.group_id
        WHERE m.user_id = ANY($1::uuid[])`,
      [missing],
    );
    for (const id of missing) byUser.set(id, []);
    for (const row of found) byUser.get(row.userId)!.push({ permission: row.permission, managementZoneId: row.managementZoneId });
    if (this.bootstrapAdminId && missing.includes(this.bootstrapAdminId)) {
      const grants = byUser.get(this.bootstrapAdminId)!;
      if (!grants.some((grant) => grant.permission === Permission.ADMIN && grant.managementZoneId === null)) {
        grants.unshift({ permission: Permission.ADMIN, managementZoneId: null });
      }
    }
    for (const id of missing) this.grants.set(id, byUser.get(id)!, generation);
    return byUser;
  }

  async managementZones(): Promise<ManagementZone[]> {
    return this.dataSource.getRepository(ManagementZone).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  async zonesByIds(ids: readonly string[]): Promise<ManagementZone[]> {
    return this.dataSource.getRepository(ManagementZone).findBy({ id: In([...ids]) });
  }

  async requireZone(id: string): Promise<ManagementZone> {
    const zone = isUuid(id) ? await this.dataSource.getRepository(ManagementZone).findOneBy({ id }) : null;
    if (!zone) throw notFound(`Management zone ${id}`);
    return zone;
  }

  async createManagementZone(caller: Caller, name: string): Promise<ManagementZone> {
    validateName(name, 'name');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const zone = await manager.getRepository(ManagementZone).save({ name });
        await this.audit.record(manager, caller, {
          action: AuditAction.MANAGEMENT_ZONE_CREATED,
          targetType: 'MANAGEMENT_ZONE',
          targetId: zone.id,
          details: { name },
        });
        return zone;
      });
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw badInput(`A management zone named ${JSON.stringify(name)} exists`, 'name');
      throw error;
    }
  }

  async groups(): Promise<Group[]> {
    return this.dataSource.getRepository(Group).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  async createGroup(caller: Caller, name: string, grants: readonly GrantInput[]): Promise<Group> {
    validateName(name, 'name');
    const wanted = this.validateGrants(grants, 'permissions');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const group = await manager.getRepository(Group).save({ name });
        await this.insertGrants(manager, group.id, wanted);
        await this.audit.record(manager, caller, {
          action: AuditAction.GROUP_CREATED,
          targetType: 'GROUP',
          targetId: group.id,
          details: { name, permissions: wanted },
        });
        return group;
      });
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw badInput(`A group named ${JSON.stringify(name)} exists`, 'name');
      throw this.unknownZone(error);
    }
  }

  /** Replaces the group's grants as a whole, atomically. */
  async setGroupPermissions(caller: Caller, groupId: string, grants: readonly GrantInput[]): Promise<Group> {
    const wanted = this.validateGrants(grants, 'permissions');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const group = await this.lockGroup(manager, groupId);
        await manager.delete(PermissionGrant, { groupId: group.id });
        await this.insertGrants(manager, group.id, wanted);
        // Any member's permissions may have changed.
        await this.changes.publish(ChangeTopic.USER, null, manager);
        await this.audit.record(manager, caller, {
          action: AuditAction.GROUP_PERMISSIONS_CHANGED,
          targetType: 'GROUP',
          targetId: group.id,
          details: { permissions: wanted },
        });
        return group;
      });
    } catch (error) {
      throw this.unknownZone(error);
    }
  }

  /** Idempotent: adding a member twice keeps one membership (and records one change). */
  async addGroupMember(caller: Caller, groupId: string, userId: string): Promise<Group> {
    const group = await this.requireGroup(groupId);
    const user = await this.requireUser(userId);
    await this.dataSource.transaction(async (manager) => {
      const added = await rows(
        manager,
        'INSERT INTO group_member (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id',
        [group.id, user.id],
      );
      if (added.length > 0) await this.recordMembership(manager, caller, AuditAction.GROUP_MEMBER_ADDED, group, user);
      if (added.length > 0) await this.changes.publish(ChangeTopic.USER, user.id, manager);
    });
    return group;
  }

  /** Idempotent: removing a user that is not a member changes nothing. */
  async removeGroupMember(caller: Caller, groupId: string, userId: string): Promise<Group> {
    const group = await this.requireGroup(groupId);
    const user = await this.requireUser(userId);
    await this.dataSource.transaction(async (manager) => {
      const removed = await rows(manager, 'DELETE FROM group_member WHERE group_id = $1 AND user_id = $2 RETURNING user_id', [
        group.id,
        user.id,
      ]);
      if (removed.length > 0) await this.recordMembership(manager, caller, AuditAction.GROUP_MEMBER_REMOVED, group, user);
      if (removed.length > 0) await this.changes.publish(ChangeTopic.USER, user.id, manager);
    });
    return group;
  }

  /**
   * A deactivated user cannot sign in and its PATs are SUSPENDED until it is reactivated; its
   * classic API tokens, checked on their scopes alone, keep working. Nobody deactivates itself.
   */
  async setUserActive(caller: Caller, userId: string, active: boolean): Promise<User> {
    const user = await this.requireUser(userId);
    if (!active && user.id === caller.user?.id) throw badInput('You cannot deactivate yourself', 'id');
    return this.dataSource.transaction(async (manager) => {
      const changed = await rows(manager, 'UPDATE app_user SET active = $2 WHERE id = $1 AND active <> $2 RETURNING id', [
        user.id,
        active,
      ]);
      if (changed.length > 0) {
        await this.audit.record(manager, caller, {
          action: active ? AuditAction.USER_REACTIVATED : AuditAction.USER_DEACTIVATED,
          targetType: 'USER',
          targetId: user.id,
          subjectUserId: user.id,
          details: { subject: user.subject },
        });
        await this.changes.publish(ChangeTopic.USER, user.id, manager);
      }
      return manager.getRepository(User).merge(user, { active });
    });
  }

  async users(): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ order: { subject: 'ASC' } });
  }

  async grantsOfGroups(groupIds: readonly string[]): Promise<PermissionGrant[]> {
    return this.dataSource.getRepository(PermissionGrant).find({
      where: { groupId: In([...groupIds]) },
      order: { permission: 'ASC', managementZoneId: 'ASC' },
    });
  }

  async membersOfGroups(groupIds: readonly string[]): Promise<{ groupId: string; user: User }[]> {
    const members = await this.dataSource.getRepository(GroupMember).find({
      where: { groupId: In([...groupIds]) },
      relations: { user: true },
      order: { createdAt: 'ASC' },
    });
    return members.map((member) => ({ groupId: member.groupId, user: member.user! }));
  }

  private async requireGroup(id: string): Promise<Group> {
    const group = isUuid(id) ? await this.dataSource.getRepository(Group).findOneBy({ id }) : null;
    if (!group) throw notFound(`Group ${id}`);
    return group;
  }

  private async lockGroup(manager: DataSource['manager'], id: string): Promise<Group> {
    const group = isUuid(id)
      ? await manager.getRepository(Group).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!group) throw notFound(`Group ${id}`);
    return group;
  }

  private validateGrants(grants: readonly GrantInput[], field: string): GrantInput[] {
    const distinct = new Map<string, GrantInput>();
    grants.forEach((grant, index) => {
      const zoneId = grant.managementZoneId ?? null;
      if (zoneId !== null && !isUuid(zoneId)) {
        throw badInput(`Unknown management zone ${JSON.stringify(zoneId.slice(0, 100))}`, `${field}[${index}].managementZoneId`);
      }
      distinct.set(`${grant.permission}/${zoneId}`, { permission: grant.permission, managementZoneId: zoneId });
    });
    return [...distinct.values()];
  }

  private async insertGrants(manager: DataSource['manager'], groupId: string, grants: readonly GrantInput[]): Promise<void> {
    if (grants.length === 0) return;
    await manager.insert(
      PermissionGrant,
      grants.map((grant) => ({ groupId, permission: grant.permission, managementZoneId: grant.managementZoneId ?? null })),
    );
  }

  private async recordMembership(manager: SqlRunner, caller: Caller, action: AuditAction, group: Group, user: User) {
    await this.audit.record(manager, caller, {
      action,
      targetType: 'GROUP',
      targetId: group.id,
      subjectUserId: user.id,
      details: { userId: user.id, subject: user.subject },
    });
  }

  private unknownZone(error: unknown): unknown {
    return sqlState(error) === FOREIGN_KEY_VIOLATION ? badInput('Unknown management zone in permissions', 'permissions') : error;
  }
}
