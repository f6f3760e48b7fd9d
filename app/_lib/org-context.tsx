'use client';
// The organisation a page is in, with the caller's role and permissions, for client components.
import { createContext, useContext, type ReactNode } from 'react';
import type { Permission } from '@/server/auth/permissions';
import type { Role } from '@/server/db/schema';

export interface CurrentOrg {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
  permissions: Permission[];
}

const OrgContext = createContext<CurrentOrg | null>(null);

export function OrgProvider({ value, children }: { value: CurrentOrg; children: ReactNode }) {
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): CurrentOrg & { can: (p: Permission) => boolean } {
  const org = useContext(OrgContext);
  if (!org) throw new Error('useOrg() outside an organisation page');
  return { ...org, can: (p) => org.permissions.includes(p) };
}
