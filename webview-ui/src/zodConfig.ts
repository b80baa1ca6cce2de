/**
 * Imported first by main.ts: zod compiles object parsers with `new Function` unless told not to,
 * and it decides when each schema is built, so this must run before any schema module loads.
 * The panel's CSP has no 'unsafe-eval'; even zod's probe would be reported as a violation.
 */
import * as z from 'zod';

z.config({ jitless: true });
