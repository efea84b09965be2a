// TensorFlow reads its thread-pool sizes and log level from the environment
// once, when tfjs-node loads; this module is imported by tf.ts before tfjs-node
// for that reason. Measured on the 2-core benchmark machine (docs/benchmarks.md,
// `npm run bench -- --threads-sweep`): intra-op threads on every core and two
// inter-op threads ran the graph path fastest, about 1.5x one inter-op thread
// at batch 20, because the fused Adam updates of the decoder's weights overlap
// the encoder's backward pass. A value the user set wins.
import { availableParallelism } from 'node:os';

process.env.TF_NUM_INTRAOP_THREADS ??= String(availableParallelism());
process.env.TF_NUM_INTEROP_THREADS ??= '2';

// TensorFlow's INFO lines (oneDNN notices, SavedModel loads) would bury the
// CLI's one-line errors and the test output; warnings and errors still show.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
