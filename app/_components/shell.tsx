'use client';
// The frame of every organisation page: navigation, organisation switcher, the signed-in person.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import type { ReactNode } from 'react';
import { useOrg } from '@/app/_lib/org-context';
import { NAV } from './nav';
import { NotificationBell } from './notification-bell';
import { OpenConflictsCount } from './open-conflicts-count';
import { Button, Select } from './ui';

interface Props {
  user: { name: string; email: string };
  organisations: { slug: string; name: string }[];
  children: ReactNode;
}

export function Shell({ user, organisations, children }: Props) {
  const org = useOrg();
  const pathname = usePathname();
  const router = useRouter();
  const base = `/o/${org.slug}`;
  const items = NAV.filter((item) => org.can(item.permission));
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white md:min-h-screen md:w-60 md:border-b-0 md:border-r">
        <div className="space-y-3 p-4">
          <Link href="/" className="block text-lg font-bold text-indigo-700">
            Concord
          </Link>
          <label className="block">
            <span className="sr-only">Organisation</span>
            <Select
              aria-label="Organisation"
              className="w-full"
              value={org.slug}
              onChange={(e) => router.push(e.target.value === '+new' ? '/orgs/new' : `/o/${e.target.value}`)}
            >
              {organisations.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name}
                </option>
              ))}
              <option value="+new">+ New organisation…</option>
            </Select>
          </label>
        </div>
        <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col">
          {items.map((item) => {
            const href = `${base}${item.path}`;
            const active = item.path ? pathname.startsWith(href) : pathname === base;
            return (
              <Link
                key={item.path}
                href={href}
                aria-current={active ? 'page' : undefined}
                className={`flex items-center justify-between gap-2 rounded-md px-3 py-1.5 text-sm ${active ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`}
              >
                {item.label}
                {item.count === 'openConflicts' && <OpenConflictsCount />}
              </Link>
            );
          })}
        </nav>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-3 text-sm">
          <NotificationBell />
          <span className="text-slate-600" data-testid="signed-in-as">
            {user.name} · {org.role}
          </span>
          <Button variant="secondary" onClick={() => void signOut({ callbackUrl: '/sign-in' })}>
            Sign out
          </Button>
        </header>
        <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
