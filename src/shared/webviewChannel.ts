// The one channel between the extension host and a webview, as both ends use
// it (the host's panel host and the page's host link). Every message travels
// in an envelope numbered by its sender. A request, a message its protocol says
// is answered, is answered by an envelope that names the request's id and
// carries the answer or why there is none. Whatever arrives is parsed before
// anything reads it; a malformed envelope, body or answer is dropped with a
// warning naming the page and the problem.
import { z } from 'zod';

export interface Message { type: string }

/** The page has loaded its script and listens: the host may post now. Every page sends it first, and again after reloading. */
export const Ready = z.object({ type: z.literal('ready') });
/** Save a picture the page drew (a chart, an image grid) as PNG: a data URL from a canvas. */
export const ExportPng = z.object({ type: z.literal('exportPng'), name: z.string().max(200), dataUrl: z.string().startsWith('data:image/png;base64,') });
export type ExportPng = z.infer<typeof ExportPng>;

/** What the panel host answers itself, for every page. */
export type BuiltIn = 'ready' | 'exportPng';

/**
 * One page's contract: what the host sends, what the page sends (with `ready`
 * and `exportPng` among it), and which of the page's messages are requests,
 * mapped to the type of their answer. Answer types arrive only as answers.
 */
export interface Protocol<To extends Message = Message, From extends Message = Message> {
  /** Names the page in log lines ("the dashboard"). */
  name: string;
  toWebview: z.ZodType<To>;
  fromWebview: z.ZodType<From>;
  replies: { readonly [T in From['type']]?: To['type'] };
}

/** Checks a protocol's replies against its own message types, and keeps them as literal types for the two ends. */
export function defineProtocol<To extends Message, From extends Message, const R extends { readonly [T in From['type']]?: To['type'] }>(
  p: { name: string; toWebview: z.ZodType<To>; fromWebview: z.ZodType<From>; replies: R },
): { name: string; toWebview: z.ZodType<To>; fromWebview: z.ZodType<From>; replies: R } {
  return p;
}

export type ToWebviewOf<P extends Protocol> = z.infer<P['toWebview']>;
export type FromWebviewOf<P extends Protocol> = z.infer<P['fromWebview']>;
export type RequestOf<P extends Protocol> = Extract<keyof P['replies'], FromWebviewOf<P>['type']>;
export type AnswerOf<P extends Protocol, T extends RequestOf<P>> = Extract<ToWebviewOf<P>, { type: P['replies'][T] }>;
/** What the host sends unasked: everything but answers. */
export type EventOf<P extends Protocol> = Exclude<ToWebviewOf<P>, { type: NonNullable<P['replies'][keyof P['replies']]> }>;

const messageId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Longer errors are cut: an answer is no place for a stack trace. */
const MAX_ERROR_CHARS = 1000;

export const Envelope = z.strictObject({
  /** The sender's count of messages sent so far. */
  id: messageId,
  /** The id of the request this answers. */
  replyTo: messageId.optional(),
  body: z.unknown().optional(),
  /** Why a request has no answer; then there is no body. */
  error: z.string().max(MAX_ERROR_CHARS).optional(),
}).refine((e) => e.error === undefined || (e.replyTo !== undefined && e.body === undefined), 'only an answer carries an error, and then no body');
export type Envelope = z.infer<typeof Envelope>;

const MAX_LOGGED_CHARS = 300;

function describe(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n\s*/g, ' ').slice(0, MAX_LOGGED_CHARS);
}

function typeOf(body: unknown): string {
  return typeof body === 'object' && body !== null && 'type' in body ? ` '${String((body as Message).type).slice(0, 40)}'` : '';
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS);
}

export interface ChannelLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface ChannelOptions<Out extends Message, In extends Message> {
  /** "the dashboard": where messages come from, for log lines. */
  peer: string;
  incoming: z.ZodType<In>;
  /** Checked before sending when given: the page checks what it sends; the host's messages are typed, and large. */
  outgoing?: z.ZodType<Out>;
  /** The other end's requests, by type: this end answers them. */
  answers: ReadonlySet<string>;
  /** This end's requests: the type of the answer each expects. */
  expects: Readonly<Record<string, string | undefined>>;
  /** Hands an envelope to the transport; false when it was not delivered. */
  send(envelope: Envelope): boolean;
  /** Every well-formed message that is not an answer; for the other end's requests, what it returns is the answer. */
  handle(message: In): unknown;
  /** A handler failed (for a request, the other end is told why too). */
  failed(message: In, err: unknown): void;
  log: ChannelLog;
}

interface Pending {
  expects: string;
  resolve(message: Message): void;
  reject(err: Error): void;
}

export class Channel<Out extends Message, In extends Message> {
  private sent = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly answerTypes: ReadonlySet<string>;
  private closed = false;

  constructor(private readonly o: ChannelOptions<Out, In>) {
    this.answerTypes = new Set(Object.values(o.expects).filter((t): t is string => t !== undefined));
  }

  /** Sends a message that expects no answer; false when it broke the protocol or was not delivered. */
  post(message: Out): boolean {
    const body = this.checked(message);
    return body !== undefined && this.o.send({ id: this.sent++, body });
  }

  /** Sends a request; settles with its answer, or with the reason the other end gives for having none. */
  request<A extends In>(message: Out): Promise<A> {
    const expects = this.o.expects[message.type];
    if (expects === undefined) return Promise.reject(new Error(`'${message.type}' is not a request`));
    const body = this.checked(message);
    if (body === undefined) return Promise.reject(new Error(`not sending a '${message.type}' that breaks the protocol`));
    if (this.closed) return Promise.reject(new Error(`the channel to ${this.o.peer} is closed`));
    const id = this.sent++;
    return new Promise<A>((resolve, reject) => {
      this.pending.set(id, { expects, resolve: resolve as (m: Message) => void, reject });
      this.o.send({ id, body });
    });
  }

  /** Feeds in whatever the transport delivered. */
  async receive(raw: unknown): Promise<void> {
    if (this.closed) return;
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      this.o.log.warn(`ignoring a malformed message from ${this.o.peer}: ${describe(envelope.error)}`);
      return;
    }
    const { id, replyTo, body, error } = envelope.data;
    if (replyTo !== undefined) {
      this.settle(replyTo, body, error);
      return;
    }
    const parsed = this.o.incoming.safeParse(body);
    if (!parsed.success) {
      this.o.log.warn(`ignoring a malformed message${typeOf(body)} from ${this.o.peer}: ${describe(parsed.error)}`);
      return;
    }
    const message = parsed.data;
    if (this.answerTypes.has(message.type)) {
      this.o.log.warn(`ignoring '${message.type}' from ${this.o.peer}: it is only sent as an answer`);
      return;
    }
    const isRequest = this.o.answers.has(message.type);
    try {
      const answer = await this.o.handle(message);
      if (isRequest) this.o.send({ id: this.sent++, replyTo: id, body: answer });
    } catch (err) {
      this.o.failed(message, err);
      if (isRequest) this.o.send({ id: this.sent++, replyTo: id, error: errorText(err) });
    }
  }

  /** Rejects every request still waiting: their answers can no longer come. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error(`the channel to ${this.o.peer} closed before the answer came`));
    this.pending.clear();
  }

  private settle(replyTo: number, body: unknown, error: string | undefined): void {
    const request = this.pending.get(replyTo);
    if (!request) {
      this.o.log.warn(`ignoring an answer from ${this.o.peer} to message ${replyTo}, which is no request waiting for one`);
      return;
    }
    this.pending.delete(replyTo);
    if (error !== undefined) {
      request.reject(new Error(error));
      return;
    }
    const parsed = this.o.incoming.safeParse(body);
    const problem = !parsed.success ? describe(parsed.error)
      : parsed.data.type !== request.expects ? `a '${parsed.data.type}' where '${request.expects}' was expected` : undefined;
    if (problem !== undefined || !parsed.success) {
      this.o.log.warn(`ignoring a malformed answer${typeOf(body)} from ${this.o.peer}: ${problem}`);
      request.reject(new Error(`${this.o.peer} gave a malformed answer: ${problem}`));
      return;
    }
    request.resolve(parsed.data);
  }

  private checked(message: Out): Out | undefined {
    if (!this.o.outgoing) return message;
    const checked = this.o.outgoing.safeParse(message);
    if (checked.success) return checked.data;
    this.o.log.error(`not sending a message${typeOf(message)} that breaks the protocol: ${describe(checked.error)}`);
    return undefined;
  }
}
