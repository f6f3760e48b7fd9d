'use client';
// The frame of every organisation page: navigation, organisation switcher, the signed-in person (a link
// to their account page).
// From 1024 px (Tailwind's lg) the navigation is a 240 px sidebar; below, it folds into a Menu button
// that opens it as a drawer (a Radix dialog: focus trapped, Escape closes, focus returns to the button),
// so a tablet or phone gives the whole width to the page.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { Dialog } from 'radix-ui';
import { useState, type ReactNode } from 'react';
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
  return (
    <div className="min-h-screen lg:flex">
      <aside className="hidden border-r border-slate-200 bg-white lg:block lg:min-h-screen lg:w-60 lg:shrink-0">
        <Navigation organisations={organisations} />
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 text-sm sm:px-6">
          <div className="flex items-center gap-3 lg:hidden">
            <MenuDrawer organisations={organisations} />
            <Link href="/" className="font-bold text-indigo-700">
              Concord
            </Link>
          </div>
          <div className="ml-auto flex min-w-0 items-center gap-3">
            <NotificationBell />
            {/* The person's own account (name, password, sessions) is one click from every page. */}
            <Link
              href="/account"
              title="Your account: name, password and sessions"
              className="truncate text-slate-600 hover:text-indigo-700 hover:underline"
              data-testid="signed-in-as"
            >
              {user.name} · {org.role}
            </Link>
            <Button
              variant="secondary"
              className="shrink-0"
              onClick={() => void signOut({ callbackUrl: '/sign-in' })}
            >
              Sign out
            </Button>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </div>
    </div>
  );
}

/** Below lg: the Menu button and the drawer with the same navigation as the sidebar. */
function MenuDrawer({ organisations }: { organisations: Props['organisations'] }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="secondary" className="inline-flex items-center gap-2">
          <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
          </svg>
          Menu
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto bg-white shadow-xl focus:outline-none"
        >
          <Dialog.Title className="sr-only">Menu</Dialog.Title>
          <div className="absolute right-3 top-3">
            <Dialog.Close asChild>
              <Button variant="ghost">Close</Button>
            </Dialog.Close>
          </div>
          <Navigation organisations={organisations} onNavigate={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The organisation switcher and the main navigation: in the sidebar, or in the drawer. */
function Navigation({
  organisations,
  onNavigate,
}: {
  organisations: Props['organisations'];
  onNavigate?: () => void;
}) {
  const org = useOrg();
  const pathname = usePathname();
  const router = useRouter();
  const base = `/o/${org.slug}`;
  const items = NAV.filter((item) => org.can(item.permission));
  return (
    <>
      <div className="space-y-3 p-4">
        <Link href="/" className="block text-lg font-bold text-indigo-700" onClick={onNavigate}>
          Concord
        </Link>
        <label className="block">
          <span className="sr-only">Organisation</span>
          <Select
            aria-label="Organisation"
            className="w-full"
            value={org.slug}
            onChange={(e) => {
              onNavigate?.();
              router.push(e.target.value === '+new' ? '/orgs/new' : `/o/${e.target.value}`);
            }}
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
      <nav aria-label="Main" className="flex flex-col gap-1 px-2 pb-4">
        {items.map((item) => {
          const href = `${base}${item.path}`;
          const active = item.path ? pathname.startsWith(href) : pathname === base;
          return (
            <Link
              key={item.path}
              href={href}
              onClick={onNavigate}
              aria-current={active ? 'page' : undefined}
              className={`flex items-center justify-between gap-2 rounded-md px-3 py-1.5 text-sm ${active ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`}
            >
              {item.label}
              {item.count === 'openConflicts' && <OpenConflictsCount />}
            </Link>
          );
        })}
      </nav>
    </>
  );
}
