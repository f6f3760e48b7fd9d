// Runs in the browser before any page code. Zod compiles object schemas with `new Function` unless told
// not to, and probes for it at the first schema; under our Content-Security-Policy (no 'unsafe-eval')
// that probe is a reported violation. Interpreted parsing is plenty for forms.
import { config } from 'zod';

config({ jitless: true });
