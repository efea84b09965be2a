// Whether a folder really is a working backend: loaded in a fresh process (a
// failed dlopen cannot be retried in this one, and the extension host must
// never load TensorFlow), asked for its backend and versions, and made to
// run one operation.
import { z } from 'zod';
import { runTool } from './runTool';

export const VerifiedBackend = z.object({ backend: z.literal('tensorflow'), tfjsNode: z.string(), tensorflow: z.string() });
export type VerifiedBackend = z.infer<typeof VerifiedBackend>;

const SCRIPT = `
const tf = require(process.argv[1]);
const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
if (sum[0] !== 4 || sum[1] !== 6) throw new Error('1 + 3 is not 4 on this backend');
const binding = tf.backend().binding;
process.stdout.write(JSON.stringify({ backend: tf.getBackend(), tfjsNode: tf.version['tfjs-node'], tensorflow: binding && binding.TF_Version }));
`;

export async function verifyBackend(dir: string, signal?: AbortSignal): Promise<VerifiedBackend> {
  // In VS Code this process is Electron running as Node; the child must be Node too.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: '2' };
  const { stdout } = await runTool(process.execPath, ['-e', SCRIPT, dir], `loading the backend in ${dir}`, { env, signal });
  let report: unknown;
  try {
    report = JSON.parse(stdout.trim().split('\n').pop() || '{}');
  } catch {
    report = undefined;
  }
  const parsed = VerifiedBackend.safeParse(report);
  if (!parsed.success) throw new Error(`the backend in ${dir} loaded but did not report the tensorflow backend: ${stdout.slice(0, 200)}`);
  return parsed.data;
}
