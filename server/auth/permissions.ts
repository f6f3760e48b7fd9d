// Permissions as data: procedures name a permission, never a role.
import type { Role } from '../db/schema';

export const PERMISSIONS = [
  'org.read',
  'org.manage',
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
  owner: new Set([...READ, ...WRITE, ...MANAGE, 'org.manage']),
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
