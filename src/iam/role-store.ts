import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';

export interface Tag {
  Key: string;
  Value: string;
}

/** A role as stored (table iam_roles); documents are kept as they were sent. */
export interface RoleRecord {
  roleId: string;
  roleName: string;
  path: string;
  arn: string;
  assumeRolePolicy: string;
  description: string | undefined;
  maxSessionDuration: number;
  permissionsBoundary: string | undefined;
  tags: Tag[];
  /** Eddy's clock, in milliseconds. */
  createdAt: number;
}

interface RoleRow {
  role_id: string;
  role_name: string;
  path: string;
  arn: string;
  assume_role_policy: string;
  description: string | null;
  max_session_duration: number;
  permissions_boundary: string | null;
  tags: string;
  created_at: number;
}

const toRole = (row: RoleRow): RoleRecord => ({
  roleId: row.role_id,
  roleName: row.role_name,
  path: row.path,
  arn: row.arn,
  assumeRolePolicy: row.assume_role_policy,
  description: row.description ?? undefined,
  maxSessionDuration: row.max_session_duration,
  permissionsBoundary: row.permissions_boundary ?? undefined,
  tags: JSON.parse(row.tags) as Tag[],
  createdAt: row.created_at,
});

/**
 * IAM roles, their inline policies and attached policy ARNs in SQLite. Role
 * names match regardless of case (the column's NOCASE collation), as IAM's do.
 * Roles list in name order, inline policies by name, attached policies in the
 * order they were attached.
 */
export class RoleStore {
  private readonly statements: {
    byName: Statement<[string], RoleRow>;
    list: Statement<[{ prefix: string }], RoleRow>;
    insert: Statement<[string, string, string, string, string, string | null, number, string | null, string, number]>;
    update: Statement<[string, string | null, number, string | null, string, string]>;
    remove: Statement<[string]>;
    policyNames: Statement<[string], { policy_name: string }>;
    policy: Statement<[string, string], { document: string }>;
    putPolicy: Statement<[string, string, string]>;
    deletePolicy: Statement<[string, string]>;
    attached: Statement<[string], { policy_arn: string }>;
    attach: Statement<[string, string]>;
    detach: Statement<[string, string]>;
  };

  constructor(db: Db) {
    this.statements = {
      byName: db.prepare('SELECT * FROM iam_roles WHERE role_name = ?'),
      // Roles whose path starts with the prefix (substr, so LIKE's wildcards in a path mean nothing).
      list: db.prepare('SELECT * FROM iam_roles WHERE substr(path, 1, length(@prefix)) = @prefix ORDER BY role_name'),
      insert: db.prepare(
        `INSERT INTO iam_roles (role_id, role_name, path, arn, assume_role_policy, description, max_session_duration, permissions_boundary, tags, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare('UPDATE iam_roles SET assume_role_policy = ?, description = ?, max_session_duration = ?, permissions_boundary = ?, tags = ? WHERE role_id = ?'),
      remove: db.prepare('DELETE FROM iam_roles WHERE role_id = ?'),
      policyNames: db.prepare('SELECT policy_name FROM iam_role_policies WHERE role_id = ? ORDER BY policy_name'),
      policy: db.prepare('SELECT document FROM iam_role_policies WHERE role_id = ? AND policy_name = ?'),
      putPolicy: db.prepare('INSERT INTO iam_role_policies (role_id, policy_name, document) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET document = excluded.document'),
      deletePolicy: db.prepare('DELETE FROM iam_role_policies WHERE role_id = ? AND policy_name = ?'),
      attached: db.prepare('SELECT policy_arn FROM iam_role_attached_policies WHERE role_id = ? ORDER BY rowid'),
      attach: db.prepare('INSERT INTO iam_role_attached_policies (role_id, policy_arn) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      detach: db.prepare('DELETE FROM iam_role_attached_policies WHERE role_id = ? AND policy_arn = ?'),
    };
  }

  role(name: string): RoleRecord | undefined {
    const row = this.statements.byName.get(name);
    return row ? toRole(row) : undefined;
  }

  /** Roles whose path starts with `pathPrefix`, in name order. */
  roles(pathPrefix: string): RoleRecord[] {
    return this.statements.list.all({ prefix: pathPrefix }).map(toRole);
  }

  insert(role: RoleRecord): void {
    this.statements.insert.run(
      role.roleId,
      role.roleName,
      role.path,
      role.arn,
      role.assumeRolePolicy,
      role.description ?? null,
      role.maxSessionDuration,
      role.permissionsBoundary ?? null,
      JSON.stringify(role.tags),
      role.createdAt,
    );
  }

  /** Writes the role's changeable fields: trust policy, description, session duration, permissions boundary, tags. */
  update(role: RoleRecord): void {
    this.statements.update.run(
      role.assumeRolePolicy,
      role.description ?? null,
      role.maxSessionDuration,
      role.permissionsBoundary ?? null,
      JSON.stringify(role.tags),
      role.roleId,
    );
  }

  remove(roleId: string): void {
    this.statements.remove.run(roleId);
  }

  policyNames(roleId: string): string[] {
    return this.statements.policyNames.all(roleId).map((row) => row.policy_name);
  }

  policy(roleId: string, policyName: string): string | undefined {
    return this.statements.policy.get(roleId, policyName)?.document;
  }

  putPolicy(roleId: string, policyName: string, document: string): void {
    this.statements.putPolicy.run(roleId, policyName, document);
  }

  /** Deletes an inline policy; false when the role has none of that name. */
  deletePolicy(roleId: string, policyName: string): boolean {
    return this.statements.deletePolicy.run(roleId, policyName).changes > 0;
  }

  attachedPolicies(roleId: string): string[] {
    return this.statements.attached.all(roleId).map((row) => row.policy_arn);
  }

  /** Attaches a policy ARN; attaching one already attached changes nothing, as in IAM. */
  attach(roleId: string, policyArn: string): void {
    this.statements.attach.run(roleId, policyArn);
  }

  /** Detaches a policy ARN; false when it was not attached. */
  detach(roleId: string, policyArn: string): boolean {
    return this.statements.detach.run(roleId, policyArn).changes > 0;
  }
}
