// Links an OIDC identity (provider + subject) to a Concord user, creating the user and their first
// organisation on the first sign-in. An existing account with the same verified email is linked; its
// password (chosen by whoever signed up with the address, unverified) is dropped and its sessions end.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { userIdentities, users } from '../db/schema';
import { normaliseEmail } from '../services/accounts';
import { createOrganisation } from '../services/organisations';
import { endSessionsOf } from './sessions';

export interface OidcProfile {
  provider: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export async function userForIdentity(db: Db, profile: OidcProfile): Promise<string | null> {
  const [linked] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.provider, profile.provider), eq(userIdentities.subject, profile.subject)));
  if (linked) return linked.userId;
  const email = normaliseEmail(profile.email);
  const [existing] = await db.select().from(users).where(eq(users.email, email));
  // Linking by email is only safe when the provider vouches for the address.
  if (existing && !profile.emailVerified) return null;
  return db.transaction(async (tx) => {
    let userId = existing?.id;
    if (existing?.passwordHash) {
      // Sign-up never checks that an email is its owner's: whoever signed up first with this address
      // chose the password, and may not be the person the provider now vouches for. Their password
      // stops opening the account and their sessions end; the account goes on through this sign-in.
      await tx.update(users).set({ passwordHash: null }).where(eq(users.id, existing.id));
      await endSessionsOf(tx, existing.id);
    }
    if (!userId) {
      const [user] = await tx
        .insert(users)
        .values({ email, name: profile.name || email })
        .returning();
      if (!user) throw new Error('user insert returned nothing');
      userId = user.id;
      await createOrganisation(tx, userId, `${user.name}'s organisation`);
    }
    await tx.insert(userIdentities).values({ userId, provider: profile.provider, subject: profile.subject });
    return userId;
  });
}
