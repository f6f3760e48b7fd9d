// Permissions as data: procedures name a permission, never a role.
import type { ApiScope, Role } from '../db/schema';

export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'org.delete',
  'members.manage',
  'apiKeys.manage',
  'notifications.manage',
  'sources.read',
  'sources.write',
  'registers.read',
  'registers.write',
  'mappings.read',
  'mappings.write',
  'syncs.read',
  'syncs.write',
  'syncs.run',
  'runs.read',
  'contracts.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'org.read',
  'sources.read',
  'registers.read',
  'mappings.read',
  'syncs.read',
  'runs.read',
  'contracts.read',
];
const WRITE: Permission[] = [
  'sources.write',
  'registers.write',
  'mappings.write',
  'syncs.write',
  'syncs.run',
];
const MANAGE: Permission[] = ['members.manage', 'apiKeys.manage', 'notifications.manage'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set([...READ, ...WRITE, ...MANAGE, 'org.manage', 'org.delete']),
  admin: new Set([...READ, ...WRITE, ...MANAGE]),
  editor: new Set([...READ, ...WRITE]),
  viewer: new Set(READ),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Only owners may hand out or take away ownership; admins manage everyone else. */
export function canAssignRole(actor: Role, from: Role | null, to: Role): boolean {
  if (!can(actor, 'members.manage')) return false;
  if (actor === 'owner') return true;
  return to !== 'owner' && from !== 'owner';
}

/**
 * What each API key scope lets a program do, as the permissions a member needs to do it in the app. A
 * key acts for the person who created it, so it works only while their role holds these for every
 * scope it has (services/api-keys.ts); `admin` manages keys too.
 */
export const SCOPE_PERMISSIONS: Record<ApiScope, readonly Permission[]> = {
  read: READ,
  write: ['sources.write', 'registers.write', 'mappings.write', 'syncs.write'],
  run: ['syncs.run'],
  admin: [...READ, ...WRITE, 'apiKeys.manage'],
};

/** The key's scopes the role does not hold every permission of. */
export function scopesBeyondRole(role: Role, scopes: readonly ApiScope[]): ApiScope[] {
  return scopes.filter((scope) => SCOPE_PERMISSIONS[scope].some((p) => !can(role, p)));
}
