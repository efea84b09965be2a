// The contract between the extension host and the experiment dashboard webview:
// one summary row per run, the K studies beside them, the curves of the runs
// being compared, and what the page may ask for. The webview channel parses with these schemas on both
// sides; the host trusts nothing the page sends beyond them, and resolves run
// ids against its own list.
import { z } from 'zod';
import { ObjectiveSummary, RunStatus } from './events';
import { StudyManifest } from './study';
import { defineProtocol, ExportPng, Ready } from './webviewChannel';

const finite = z.number().finite();
const count = z.number().int().nonnegative();
/** A run folder's name: the id the page uses for a run. Never a path. */
export const RunId = z.string().min(1).max(255).refine((s) => !/[\\/]/.test(s) && s !== '.' && s !== '..', 'a run id is a folder name');

/** `unknown`: the folder holds run files but no readable run.json (killed before writing it, or damaged). */
export const RunState = z.union([RunStatus, z.literal('unknown')]);
export type RunState = z.infer<typeof RunState>;

export const RunRow = z.object({
  id: RunId,
  /** The user's name for the run, or its run id. */
  name: z.string(),
  tags: z.array(z.string()),
  status: RunState,
  /** Why a run failed or is unknown, or the run's own last message. */
  reason: z.string().optional(),
  objective: ObjectiveSummary.optional(),
  /** Epochs completed, of `totalEpochs` planned. */
  epochs: count.optional(),
  totalEpochs: count.optional(),
  step: count.optional(),
  /** Best held-out L_K (the run's K) and its epoch. */
  bestBound: finite.optional(),
  bestEpoch: count.optional(),
  /** -L_evalK on the test set, from the final evaluation or the last epoch that estimated it. */
  testNll: finite.optional(),
  evalK: z.number().int().positive().optional(),
  activeUnits: z.array(count).optional(),
  imagesPerSec: finite.optional(),
  wallSeconds: finite.optional(),
  updated: z.string().optional(),
  hasCheckpoint: z.boolean(),
});
export type RunRow = z.infer<typeof RunRow>;

/** Per-epoch curves of one run, x = epochs completed (1-based). */
export const RunCurves = z.object({
  id: RunId,
  epochs: z.array(finite),
  trainBound: z.array(finite),
  testIwae: z.array(finite),
  testElbo: z.array(finite),
}).refine((c) => [c.trainBound, c.testIwae, c.testElbo].every((a) => a.length === c.epochs.length), 'curves must match the epochs');
export type RunCurves = z.infer<typeof RunCurves>;

/** A K study's manifest as the page shows it; `id` names it apart from another runs folder's. */
export const StudyRow = z.object({
  id: z.string().min(1).max(255),
  manifest: StudyManifest,
  /** Its runs' ids, in the manifest's order: rows of the runs list. */
  runIds: z.array(RunId),
  /** Running in this window, so that Stop applies to it. */
  active: z.boolean(),
});
export type StudyRow = z.infer<typeof StudyRow>;

/** At most this many runs are overlaid: past it a legend stops being readable. */
export const MAX_COMPARED = 12;

export const ExperimentsToWebview = z.discriminatedUnion('type', [
  /** Every run in the runs folder (sent after ready, on every change on disk, and when shown after missing one). */
  z.object({ type: z.literal('runs'), runsFolder: z.string(), runs: z.array(RunRow), studies: z.array(StudyRow).optional() }),
  /** The answer to `compare`: the curves of those of its runs the host knows. */
  z.object({ type: z.literal('curves'), curves: z.array(RunCurves) }),
  /** Preselect these runs for comparison (Compare With… from the inspector). */
  z.object({ type: z.literal('select'), ids: z.array(RunId).max(MAX_COMPARED) }),
  /** Show this study (Show K Study from the runs view, a study just started). */
  z.object({ type: z.literal('selectStudy'), id: z.string() }),
]);
export type ExperimentsToWebview = z.infer<typeof ExperimentsToWebview>;

export const RunAction = z.enum(['openInspector', 'openDashboard', 'rename', 'tag', 'delete', 'reveal', 'resume']);
export type RunAction = z.infer<typeof RunAction>;

export const ExperimentsFromWebview = z.discriminatedUnion('type', [
  Ready,
  /** A request: the page asks again whenever its selection or the list of runs changes. */
  z.object({ type: z.literal('compare'), ids: z.array(RunId).max(MAX_COMPARED) }),
  z.object({ type: z.literal('runAction'), action: RunAction, id: RunId }),
  z.object({ type: z.literal('studyAction'), action: z.enum(['stop', 'resume']), id: z.string() }),
  ExportPng,
]);
export type ExperimentsFromWebview = z.infer<typeof ExperimentsFromWebview>;

export const ExperimentsProtocol = defineProtocol({
  name: 'the experiment dashboard', toWebview: ExperimentsToWebview, fromWebview: ExperimentsFromWebview, replies: { compare: 'curves' },
});
