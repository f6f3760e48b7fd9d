// next-auth 4: email + password (credentials), and one OIDC provider when configured in env.
// Sessions are JWTs naming our user and a session row; every request re-checks that the row is there.
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '../db/client';
import { env } from '../env';
import { getAuthSecret } from '../security/keys';
import { signInWithPassword } from '../services/accounts';
import { clientAddress } from './client-address';
import { endSession, SESSION_MAX_AGE_S, startSession } from './sessions';
import { lockedMessage } from './throttle';
import { userForIdentity } from './oidc';

export const OIDC_PROVIDER_ID = 'oidc';

function oidcProvider(): NextAuthOptions['providers'] {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: e.OIDC_NAME,
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(p: { sub: string; email?: string; name?: string }) {
        return { id: p.sub, email: p.email ?? '', name: p.name ?? p.email ?? p.sub };
      },
    },
  ];
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: getAuthSecret(),
    // The JWT names a session row (server/auth/sessions.ts): signing out ends it for every copy.
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const headers = (req.headers ?? {}) as Record<string, string | undefined>;
          const address = clientAddress(headers['x-forwarded-for'], env().CONCORD_TRUSTED_PROXIES);
          const result = await signInWithPassword(getDb(), credentials.email, credentials.password, address);
          if (result.ok) return result.user;
          if (result.reason === 'locked') throw new Error(lockedMessage(result.retryAfterMs));
          return null;
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account?.provider === OIDC_PROVIDER_ID && profile) {
          const p = profile as { sub?: string; email?: string; email_verified?: boolean; name?: string };
          const userId = await userForIdentity(getDb(), {
            provider: OIDC_PROVIDER_ID,
            subject: p.sub ?? account.providerAccountId,
            email: p.email ?? '',
            emailVerified: p.email_verified === true,
            name: p.name ?? '',
          });
          if (userId) {
            token.uid = userId;
            token.sid = await startSession(getDb(), userId);
          }
        } else if (user) {
          token.uid = user.id;
          token.sid = await startSession(getDb(), user.id);
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          userId: typeof token.uid === 'string' ? token.uid : undefined,
          sessionId: typeof token.sid === 'string' ? token.sid : undefined,
        };
      },
      signIn({ account, profile }) {
        // An OIDC account without an email cannot become a Concord user.
        if (account?.provider === OIDC_PROVIDER_ID) return Boolean(profile?.email);
        return true;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await endSession(getDb(), token.sid);
      },
    },
  };
  return cached;
}

export const oidcEnabled = () => oidcProvider().length > 0;
export const oidcName = () => env().OIDC_NAME;
