import type { NextConfig } from 'next';
import { API_POLICY, commonHeaders } from './server/security/headers';

const nextConfig: NextConfig = {
  // Native and server-only packages are loaded by Node at run time instead of being bundled.
  serverExternalPackages: ['@libsql/client', 'libsql', '@node-rs/argon2', 'pg', 'mysql2', 'inngest'],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  // Headers every response carries (pages get their CSP, with a nonce, and HSTS from proxy.ts).
  headers() {
    const list = (headers: Record<string, string>) =>
      Object.entries(headers).map(([key, value]) => ({ key, value }));
    return Promise.resolve([
      { source: '/:path*', headers: list(commonHeaders({ https: false })) },
      { source: '/api/:path*', headers: list({ 'Content-Security-Policy': API_POLICY }) },
    ]);
  },
};

export default nextConfig;
