// The evaluation process: the extension host forks it for a checkpoint's
// evaluation, its pictures or the SNR of its gradient estimators, so TensorFlow
// never loads in the host. It answers one request (src/shared/evaluationProtocol.ts)
// and exits. TensorFlow reads its thread-pool sizes once, when it loads, and
// the two kinds of work want different ones (tfEnvironment.ts): so this module
// reads the request first, sets the threads, and only then loads the code that
// answers (evaluationAnswer.ts), and TensorFlow with it.
import { setThreads } from '../tfEnvironment';
import { EvaluationRequest, type EvaluationReply } from '../../shared/evaluationProtocol';

function send(message: EvaluationReply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, () => resolve());
  });
}

async function answer(request: EvaluationRequest): Promise<void> {
  // The gradient SNR's eager products use every core's intra-op threads; the log weights' chunks one each.
  setThreads(request.type === 'gradients' ? 'training' : 'evaluation');
  await (await import('./evaluationAnswer')).answer(request, send);
}

process.once('message', (raw: unknown) => {
  const parsed = EvaluationRequest.safeParse(raw);
  const work = parsed.success ? answer(parsed.data) : Promise.reject(new Error('malformed evaluation request'));
  work.then(
    () => process.exit(0),
    async (err: unknown) => {
      await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
});
// Without the host the answer has nowhere to go.
process.on('disconnect', () => process.exit(0));
