// Must be the first import of the bundle: zod decides at schema construction
// whether to compile parsers with `new Function`, and merely probing for it
// under our CSP (no 'unsafe-eval') is reported as a violation.
import { z } from 'zod';

z.config({ jitless: true });
