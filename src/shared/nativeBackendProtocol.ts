// What a native-backend set-up reports while it runs and when it ends:
// `latent-lab setup --json` prints one of these per line, and the extension,
// which runs that command in a child process, parses them here.
import { z } from 'zod';

export const RouteName = z.enum(['official', 'wheel']);
export type RouteName = z.infer<typeof RouteName>;

export const SetupProgress = z.discriminatedUnion('type', [
  /** A route is being tried. */
  z.object({ type: z.literal('route'), route: RouteName, title: z.string() }),
  /** A stage of the current route; bytes where it downloads. */
  z.object({ type: z.literal('step'), text: z.string(), received: z.number().nonnegative().optional(), total: z.number().positive().optional() }),
  /** The route did not work; the next one is tried. */
  z.object({ type: z.literal('route-failed'), route: RouteName, reason: z.string() }),
]);
export type SetupProgress = z.infer<typeof SetupProgress>;

export const SetupOutcome = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), dir: z.string(), route: RouteName, tensorflow: z.string(), reused: z.boolean() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('cancelled') }),
]);
export type SetupOutcome = z.infer<typeof SetupOutcome>;

export const SetupLine = z.union([SetupProgress, SetupOutcome]);
export type SetupLine = z.infer<typeof SetupLine>;

/** What `latent-lab doctor --json` prints: the backend a process would load, and everything looked at. */
export const BackendReport = z.object({
  target: z.string(),
  probes: z.array(z.object({ source: z.string(), path: z.string(), found: z.boolean(), note: z.string() })),
  backend: z.object({
    source: z.string(),
    dir: z.string(),
    tfjsNode: z.string(),
    tensorflow: z.string(),
    route: RouteName.optional(),
    createdAt: z.string().optional(),
  }).optional(),
  /** What a set-up could use here. */
  tools: z.object({ python: z.string().optional(), compiler: z.string().optional() }).optional(),
  /** Why the chosen folder did not load, when it did not. */
  loadError: z.string().optional(),
});
export type BackendReport = z.infer<typeof BackendReport>;
