// One model response at a time (openai-realtime.md, 5): function outputs and the next response.create wait until
// the active response is done and every tool of the turn has answered. Holds no socket; it is handed a sender.
import { encodeFunctionCallOutput, encodeResponseCreate, type ResponseCreateOptions } from '../voice/realtime-codec.ts';

/** Our response.create has no id until response.created arrives. */
const REQUESTED = 'requested';

export class ResponseSequencer {
  readonly #callSid: string;
  readonly #pendingOutputs: Array<{ callId: string; output: string }> = [];
  #activeResponseId: string | null = null;
  #toolsInFlight = 0;
  #isResponseWanted = false;

  constructor(callSid: string) {
    this.#callSid = callSid;
  }

  /** The response the model is producing now ('requested' before its id is known), or null. */
  get activeResponseId(): string | null {
    return this.#activeResponseId;
  }

  /** Nothing is being said, run or waited for. */
  get isIdle(): boolean {
    return this.#activeResponseId === null && this.#toolsInFlight === 0 && !this.#isResponseWanted;
  }

  /** Sends a response.create now; every one carries the CallSid so a response can be traced to its call. */
  request(send: (encoded: string) => void, options: Omit<ResponseCreateOptions, 'metadata'> = {}): void {
    this.#activeResponseId = REQUESTED;
    send(encodeResponseCreate({ ...options, metadata: { call_sid: this.#callSid } }));
  }

  /** Asks for a response now if none is active, otherwise as soon as the active one is done. */
  requestSoon(send: (encoded: string) => void): void {
    if (this.#activeResponseId === null) this.request(send);
    else this.#isResponseWanted = true;
  }

  /** Another response is wanted once the current one is done (a failed one, or one the server refused to start). */
  wantResponse(): void {
    this.#isResponseWanted = true;
  }

  created(responseId: string): void {
    this.#activeResponseId = responseId;
  }

  /** A response ended; a done for another response while ours has no id means ours was refused. */
  done(responseId: string): void {
    if (this.#activeResponseId === responseId || this.#activeResponseId === REQUESTED) this.#activeResponseId = null;
  }

  /** The model link is gone: nothing is active on the new one. */
  reset(): void {
    this.#activeResponseId = null;
  }

  toolStarted(): void {
    this.#toolsInFlight++;
  }

  toolFinished(callId: string, output: string, isResponseWanted: boolean): void {
    this.#toolsInFlight--;
    this.#pendingOutputs.push({ callId, output });
    if (isResponseWanted) this.#isResponseWanted = true;
  }

  /** Sends the waiting outputs and then one response.create, when the turn's tools are all done and no response is active. */
  flush(send: (encoded: string) => void): void {
    if (this.#activeResponseId !== null || this.#toolsInFlight > 0) return;
    for (const pending of this.#pendingOutputs.splice(0)) send(encodeFunctionCallOutput(pending));
    if (!this.#isResponseWanted) return;
    this.#isResponseWanted = false;
    this.request(send);
  }
}
