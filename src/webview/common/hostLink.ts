// Every page's one link to the extension host: the page's end of the webview
// channel (src/shared/webviewChannel.ts) over the page's protocol. What the
// page sends is checked against the protocol before it leaves; what arrives is
// parsed before anything reads it, and dropped with a console warning when it
// does not parse. The view state VS Code keeps for the page goes through here too.
import type { z } from 'zod';
import {
  Channel, type AnswerOf, type EventOf, type FromWebviewOf, type Protocol, type RequestOf, type ToWebviewOf,
} from '../../shared/webviewChannel';
import type { ExportPicture } from './charts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostLink<P extends Protocol> {
  post(message: FromWebviewOf<P>): void;
  /** Sends a request; settles with the host's answer to it, or with why there is none. */
  request<T extends RequestOf<P>>(message: Extract<FromWebviewOf<P>, { type: T }>): Promise<AnswerOf<P, T>>;
  /** Hands every well-formed message from the host to `handle`, then tells the host the page listens (`ready`). Once per page. */
  listen(handle: (message: EventOf<P>) => void): void;
  /** Export PNG for every picture of the page, named `prefix()-name`. */
  exportPicture(prefix: () => string): ExportPicture;
  state(): unknown;
  saveState(state: unknown): void;
}

export function connectHost<P extends Protocol>(protocol: P): HostLink<P> {
  // May be called only once per page load.
  const api = acquireVsCodeApi();
  let handle: (message: EventOf<P>) => void = () => undefined;
  const channel = new Channel<FromWebviewOf<P>, ToWebviewOf<P>>({
    peer: 'the extension host',
    incoming: protocol.toWebview as z.ZodType<ToWebviewOf<P>>,
    outgoing: protocol.fromWebview as z.ZodType<FromWebviewOf<P>>,
    answers: new Set(),
    expects: protocol.replies,
    send: (envelope) => {
      api.postMessage(envelope);
      return true;
    },
    handle: (message) => handle(message as EventOf<P>),
    failed: (message, err) => console.error(`[latent-lab] handling '${message.type}' failed`, err),
    log: { warn: (m) => console.warn(`[latent-lab] ${m}`), error: (m) => console.error(`[latent-lab] ${m}`) },
  });
  const post = (message: FromWebviewOf<P>): void => void channel.post(message);
  return {
    post,
    request: (message) => channel.request(message),
    listen(handler) {
      handle = handler;
      window.addEventListener('message', (event: MessageEvent<unknown>) => void channel.receive(event.data));
      post({ type: 'ready' } as FromWebviewOf<P>);
    },
    exportPicture: (prefix) => (name, dataUrl) => post({ type: 'exportPng', name: `${prefix()}-${name}`.slice(0, 200), dataUrl } as FromWebviewOf<P>),
    state: () => api.getState(),
    saveState: (state) => void api.setState(state),
  };
}
