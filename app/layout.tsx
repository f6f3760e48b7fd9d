import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './_lib/trpc';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Concord', template: '%s · Concord' },
  description: 'Keep your systems’ data in step.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
