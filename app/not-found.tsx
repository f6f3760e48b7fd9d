import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

// Our own 404 (also for organisations the caller is not a member of): Next's built-in one styles itself
// with an inline <style> that carries no CSP nonce.
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="max-w-sm space-y-3 text-center">
        <p className="text-2xl font-bold tracking-tight text-indigo-700">Concord</p>
        <h1 className="text-lg font-semibold text-slate-900">This page does not exist</h1>
        <p className="text-sm text-slate-600">
          The address may be mistyped, or the page may belong to an organisation you are not a member of.
        </p>
        <Link href="/" className="inline-block text-sm font-medium text-indigo-700 hover:underline">
          Go to your organisations
        </Link>
      </div>
    </main>
  );
}
