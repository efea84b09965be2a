// TensorFlow reads its thread-pool sizes and log level from the environment
// once, when tfjs-node loads; this module is imported by tf.ts before tfjs-node
// for that reason, and by the entry points of evaluation-only processes, which
// call setThreads('evaluation') before anything loads TensorFlow. A value the
// user set wins over both.
import { availableParallelism } from 'node:os';

export type ProcessRole = 'training' | 'evaluation';

const THREADS: Record<ProcessRole, { intra: string; inter: string }> = {
  // Intra-op threads on every core and two inter-op threads ran the graph path
  // fastest (`npm run bench -- --threads-sweep`), about 1.5x one inter-op thread
  // at batch 20, because the fused Adam updates of the decoder's weights overlap
  // the encoder's backward pass; the compiled step needs the intra-op threads.
  training: { intra: String(availableParallelism()), inter: '2' },
  // The log weights' 500-row chunks run side by side on the inter-op threads;
  // with intra-op threads on every core as well, each chunk's products also
  // shard across both cores and the chunks contend. One intra-op thread and an
  // inter-op thread per core ran -L_5000 about 15% faster (docs/benchmarks.md).
  evaluation: { intra: '1', inter: String(availableParallelism()) },
};

const fromUser = { intra: process.env.TF_NUM_INTRAOP_THREADS, inter: process.env.TF_NUM_INTEROP_THREADS };

/** The thread pools of a process that does `role`'s work; only before TensorFlow loads does it have an effect. */
export function setThreads(role: ProcessRole): void {
  process.env.TF_NUM_INTRAOP_THREADS = fromUser.intra ?? THREADS[role].intra;
  process.env.TF_NUM_INTEROP_THREADS = fromUser.inter ?? THREADS[role].inter;
}

setThreads('training');

// TensorFlow's INFO lines (oneDNN notices, SavedModel loads) would bury the
// CLI's one-line errors and the test output; warnings and errors still show.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
