// Imported first by engineWorkload.mts: with `--role evaluation` the workload
// runs as the product's evaluation-only processes do (src/engine/tfEnvironment.ts),
// whose thread pools are set before TensorFlow loads.
import { setThreads } from '../src/engine/tfEnvironment';

const role = process.argv.indexOf('--role');
if (role >= 0 && process.argv[role + 1] === 'evaluation') setThreads('evaluation');
