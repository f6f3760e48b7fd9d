import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { StyleNonce } from './_lib/style-nonce';
import { Providers } from './_lib/trpc';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Concord', template: '%s · Concord' },
  description: 'Keep your systems’ data in step.',
  // In public/, rendered from icon.svg by scripts/render-icons.mjs.
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: '/apple-touch-icon.png',
  },
  manifest: '/manifest.webmanifest',
};

export const viewport: Viewport = {
  themeColor: '#4f46e5',
  // Native controls (selects, scrollbars, date pickers) follow the system's light or dark setting too.
  colorScheme: 'light dark',
};

// Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts), which a page
// prerendered at build time could not.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  // The request's nonce (proxy.ts put it in the policy header), for the <style> a Radix dialog adds.
  const policy = (await headers()).get('content-security-policy') ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  return (
    <html lang="en">
      <body>
        <StyleNonce nonce={nonce} />
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
