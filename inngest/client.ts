// The Inngest client. In scaled mode Inngest (Cloud, or a self-hosted `inngest start`) calls the
// functions served at /api/inngest; INNGEST_DEV=1 points it at a local dev server instead.
import { Inngest } from 'inngest';

export const inngest = new Inngest({ id: 'concord' });
