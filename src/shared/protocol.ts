// The contract between the extension host and the training dashboard webview,
// carried by the webview channel (webviewChannel.ts), which parses what each
// side receives and drops, with a warning, anything that does not parse.
import { z } from 'zod';
import { RunEvent, RunStatus } from './events';
import { defineProtocol, ExportPng, Ready } from './webviewChannel';

/** What the dashboard knows about one run. */
export const RunSnapshot = z.object({
  runId: z.string(),
  status: RunStatus,
  /** Every event so far, oldest first (progress events may be thinned). */
  events: z.array(RunEvent),
});
export type RunSnapshot = z.infer<typeof RunSnapshot>;

// Host -> webview
export const ToWebview = z.discriminatedUnion('type', [
  /** The full state: sent after `ready`, and when the panel is shown again after missing events. */
  z.object({ type: z.literal('snapshot'), run: RunSnapshot.nullable() }),
  /** New events of the run being shown, batched by the host's throttle. */
  z.object({ type: z.literal('events'), runId: z.string(), events: z.array(RunEvent) }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

// Webview -> host
export const FromWebview = z.discriminatedUnion('type', [
  Ready,
  /** Ask for fresh reconstructions, samples and traversals now. */
  z.object({ type: z.literal('refreshImages') }),
  /** Latent traversal settings: which dimensions and the range swept. */
  z.object({
    type: z.literal('traversal'),
    dims: z.array(z.number().int().nonnegative()).max(64),
    range: z.number().positive().max(10),
  }),
  z.object({ type: z.literal('stopTraining') }),
  ExportPng,
]);
export type FromWebview = z.infer<typeof FromWebview>;

/** Nothing the dashboard sends is answered: images it asks for come as run events. */
export const DashboardProtocol = defineProtocol({ name: 'the dashboard', toWebview: ToWebview, fromWebview: FromWebview, replies: {} });
