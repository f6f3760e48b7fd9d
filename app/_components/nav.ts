// The organisation navigation: a page appears only for members whose role may open it.
import type { Permission } from '@/server/auth/permissions';

export interface NavItem {
  label: string;
  path: string;
  permission: Permission;
  /** A count shown beside the label: the conflicts waiting for a person. */
  count?: 'openConflicts';
}

export const NAV: NavItem[] = [
  { label: 'Overview', path: '', permission: 'org.read' },
  { label: 'Synchronisations', path: '/synchronisations', permission: 'syncs.read' },
  { label: 'Connections', path: '/connections', permission: 'syncs.read' },
  { label: 'Sources', path: '/sources', permission: 'sources.read' },
  { label: 'Registers', path: '/registers', permission: 'registers.read' },
  { label: 'Mappings', path: '/mappings', permission: 'mappings.read' },
  { label: 'Logs', path: '/logs', permission: 'runs.read' },
  { label: 'Contracts', path: '/contracts', permission: 'contracts.read' },
  { label: 'Conflicts', path: '/conflicts', permission: 'contracts.read', count: 'openConflicts' },
  { label: 'Members', path: '/members', permission: 'members.manage' },
  { label: 'Settings', path: '/settings', permission: 'org.read' },
];
