// What a rebuilt inspector page is sent again: the last message of each part,
// the report first, whatever order they came in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShownParts } from '../../src/extension/inspector/shownParts';
import type { InspectorToWebview } from '../../src/shared/inspectorProtocol';
import { syntheticEvaluation } from '../helpers/evaluationResult';

const problem: InspectorToWebview = { type: 'problem', problem: { file: '/r/checkpoint.safetensors', kind: 'corrupt', message: 'cut short' } };
const figuresFailed: InspectorToWebview = { type: 'figuresFailed', message: 'held-out data not found' };
const running = (done: number): InspectorToWebview => ({ type: 'evaluation', state: 'running', done, total: 10 });
const result = syntheticEvaluation({ examples: 10 });

test('a rebuilt page gets the last report, figures or their failure, and evaluation state, report first', () => {
  const shown = new ShownParts();
  assert.deepEqual(shown.all(), []);
  shown.show(running(3));
  shown.show(figuresFailed);
  assert.equal(shown.show(problem), problem, 'returned for posting');
  shown.show(running(7));
  assert.deepEqual(shown.all(), [problem, figuresFailed, running(7)]);
  const done: InspectorToWebview = { type: 'evaluation', state: 'done', result };
  shown.show(done);
  shown.forget('figures');
  assert.deepEqual(shown.all(), [problem, done]);
  shown.forget('evaluation');
  assert.deepEqual(shown.all(), [problem]);
});
