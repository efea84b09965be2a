// What the fuzz test's parent (harness.ts) and its child processes (runner.ts) say to each other.

/** `data` goes through loadSplit, `checkpoint` through loadCheckpoint, restoreModel and restoreAdam; a `probe`
 * misbehaves as its path says (crash, hang, grow, throw), to check that the harness catches each way of failing. */
export type Loader = 'data' | 'checkpoint' | 'probe';

export interface RunnerCase {
  readonly id: string;
  readonly loader: Loader;
  readonly path: string;
}

export type RunnerLine =
  | { readonly event: 'ready' }
  | { readonly event: 'start'; readonly id: string }
  | { readonly event: 'end'; readonly id: string; readonly outcome: Outcome; readonly maxRssKb: number };

export type Outcome =
  | { readonly kind: 'loaded'; readonly what: string }
  | { readonly kind: 'error'; readonly name: string; readonly file?: string; readonly message: string };

/** Marks the runner's lines, so that anything else a library prints on stdout cannot be taken for one. */
export const LINE_PREFIX = 'FUZZ ';
