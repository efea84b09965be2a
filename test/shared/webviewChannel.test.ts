// The webview channel as the page uses it (the host's end is in
// test/extension/panelHost.test.ts): requests settle with the answer that
// names them, whatever order answers come in; wrong, stray and failed answers
// are told apart; what the page would send against the protocol never leaves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExperimentsProtocol, type ExperimentsFromWebview, type ExperimentsToWebview } from '../../src/shared/experimentsProtocol';
import { Channel, Envelope } from '../../src/shared/webviewChannel';
import { MemoryLog } from '../extension/helpers/memoryLog';

function pageEnd() {
  const sent: Envelope[] = [];
  const handled: ExperimentsToWebview[] = [];
  const log = new MemoryLog();
  const channel = new Channel<ExperimentsFromWebview, ExperimentsToWebview>({
    peer: 'the extension host',
    incoming: ExperimentsProtocol.toWebview,
    outgoing: ExperimentsProtocol.fromWebview,
    answers: new Set(),
    expects: ExperimentsProtocol.replies,
    send: (envelope) => {
      assert.ok(Envelope.safeParse(envelope).success, 'the page sends only well-formed envelopes');
      sent.push(envelope);
      return true;
    },
    handle: (message) => void handled.push(message),
    failed: () => assert.fail('no handler fails here'),
    log,
  });
  return { channel, sent, handled, log };
}

const curves = (id: string) => ({ type: 'curves' as const, curves: [{ id, epochs: [1], trainBound: [-99], testIwae: [-97], testElbo: [-98] }] });

describe('webview channel, page end', () => {
  it('settles each request with the answer that names it, in whatever order answers come', async () => {
    const { channel, sent } = pageEnd();
    const first = channel.request({ type: 'compare', ids: ['a'] });
    const second = channel.request({ type: 'compare', ids: ['b'] });
    assert.deepEqual(sent.map((e) => e.id), [0, 1]);
    await channel.receive({ id: 40, replyTo: sent[1].id, body: curves('b') });
    await channel.receive({ id: 41, replyTo: sent[0].id, body: curves('a') });
    assert.deepEqual(await first, curves('a'));
    assert.deepEqual(await second, curves('b'));
  });

  it('rejects a request whose answer fails, is of the wrong type or does not parse, and warns about stray answers', async () => {
    const { channel, sent, log, handled } = pageEnd();
    const failed = channel.request({ type: 'compare', ids: ['a'] });
    const wrong = channel.request({ type: 'compare', ids: ['b'] });
    const broken = channel.request({ type: 'compare', ids: ['c'] });
    await channel.receive({ id: 1, replyTo: sent[0].id, error: 'run.json of a is damaged' });
    await channel.receive({ id: 2, replyTo: sent[1].id, body: { type: 'runs', runsFolder: '/r', runs: [] } });
    await channel.receive({ id: 3, replyTo: sent[2].id, body: { type: 'curves', curves: [{ id: 'c', epochs: [1], trainBound: [], testIwae: [], testElbo: [] }] } });
    await assert.rejects(failed, /run\.json of a is damaged/);
    await assert.rejects(wrong, /a 'runs' where 'curves' was expected/);
    await assert.rejects(broken, /malformed answer/);
    await channel.receive({ id: 4, replyTo: sent[0].id, body: curves('a') });
    assert.match(log.messages('warn').at(-1) ?? '', /answer from the extension host to message 0, which is no request waiting/);
    assert.deepEqual(handled, [], 'answers never reach the page as messages');
  });

  it('hands on messages the host sends unasked, but not answer types arriving unasked', async () => {
    const { channel, handled, log } = pageEnd();
    await channel.receive({ id: 0, body: { type: 'select', ids: ['a'] } });
    await channel.receive({ id: 1, body: curves('a') });
    assert.deepEqual(handled, [{ type: 'select', ids: ['a'] }]);
    assert.match(log.messages('warn')[0], /'curves' from the extension host: it is only sent as an answer/);
  });

  it('sends nothing that breaks the protocol, and rejects requests once closed', async () => {
    const { channel, sent, log } = pageEnd();
    assert.equal(channel.post({ type: 'compare', ids: ['../../etc'] }), false);
    await assert.rejects(channel.request({ type: 'compare', ids: ['x/y'] }), /breaks the protocol/);
    await assert.rejects(channel.request({ type: 'ready' }), /'ready' is not a request/);
    assert.equal(sent.length, 0);
    assert.equal(log.messages('error').length, 2);
    const waiting = channel.request({ type: 'compare', ids: ['a'] });
    channel.close();
    await assert.rejects(waiting, /closed before the answer came/);
    await assert.rejects(channel.request({ type: 'compare', ids: ['a'] }), /closed/);
  });
});
