// The organisation navigation: a page appears only for members whose role may open it.
import type { Permission } from '@/server/auth/permissions';

export interface NavItem {
  label: string;
  path: string;
  permission: Permission;
}

export const NAV: NavItem[] = [
  { label: 'Overview', path: '', permission: 'org.read' },
  { label: 'Members', path: '/members', permission: 'members.manage' },
  { label: 'Settings', path: '/settings', permission: 'org.read' },
];
