import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-2xl font-bold tracking-tight text-indigo-700">Concord</p>
          <p className="text-sm text-slate-600">Keep your systems’ data in step.</p>
        </div>
        {children}
      </div>
    </main>
  );
}
