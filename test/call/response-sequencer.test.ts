import { describe, expect, it } from 'vitest';
import { ResponseSequencer } from '../../src/call/response-sequencer.ts';

function setUp() {
  const sent: Array<Record<string, unknown>> = [];
  const send = (encoded: string) => void sent.push(JSON.parse(encoded) as Record<string, unknown>);
  return { sequencer: new ResponseSequencer('CA1'), sent, send, types: () => sent.map((event) => event.type) };
}

describe('ResponseSequencer', () => {
  it('tags every response with the CallSid', () => {
    const { sequencer, sent, send } = setUp();
    sequencer.request(send, { instructions: 'Greet.' });
    expect(sent).toEqual([{ type: 'response.create', response: { instructions: 'Greet.', metadata: { call_sid: 'CA1' } } }]);
  });

  it('holds tool outputs until the response that asked for them is done, then asks for one answer', () => {
    const { sequencer, send, types } = setUp();
    sequencer.created('resp_1');
    sequencer.toolStarted();
    sequencer.toolFinished('call_a', '{}', true);
    sequencer.flush(send);
    expect(types()).toEqual([]);
    sequencer.done('resp_1');
    sequencer.flush(send);
    expect(types()).toEqual(['conversation.item.create', 'response.create']);
  });

  it('waits for every tool of a turn before answering once', () => {
    const { sequencer, send, types } = setUp();
    sequencer.toolStarted();
    sequencer.toolStarted();
    sequencer.toolFinished('call_a', '{}', true);
    sequencer.flush(send);
    expect(types()).toEqual([]);
    sequencer.toolFinished('call_b', '{}', true);
    sequencer.flush(send);
    expect(types()).toEqual(['conversation.item.create', 'conversation.item.create', 'response.create']);
  });

  it('sends the output but no new response after end_call', () => {
    const { sequencer, send, types } = setUp();
    sequencer.toolStarted();
    sequencer.toolFinished('call_a', '{}', false);
    sequencer.flush(send);
    expect(types()).toEqual(['conversation.item.create']);
    expect(sequencer.isIdle).toBe(true);
  });

  it('treats the end of another response as the refusal of ours and asks again when wanted', () => {
    const { sequencer, send, types } = setUp();
    sequencer.request(send);
    sequencer.wantResponse();
    sequencer.done('resp_vad');
    expect(sequencer.activeResponseId).toBeNull();
    sequencer.flush(send);
    expect(types()).toEqual(['response.create', 'response.create']);
  });

  it('asks at once when idle, or right after the active response', () => {
    const { sequencer, send, types } = setUp();
    sequencer.requestSoon(send);
    expect(types()).toEqual(['response.create']);
    sequencer.created('resp_1');
    sequencer.requestSoon(send);
    expect(types()).toEqual(['response.create']);
    sequencer.done('resp_1');
    sequencer.flush(send);
    expect(types()).toEqual(['response.create', 'response.create']);
  });
});
