import { describe, expect, it } from 'vitest';
import type { ToolEffect } from '../../src/agent/tool-registry.ts';
import { CallState } from '../../src/call/call-state.ts';

const CALLER = '+14155550100';
const escalate = (handoff: 'transfer' | 'callback'): ToolEffect => ({ kind: 'escalate', reason: 'caller_requested_human', summary: 'Asked for a person.', callerWants: null, handoff });
const endedAt = new Date('2026-11-20T10:05:00Z');

describe('call state: how an escalation hands off', () => {
  it.each([
    ['a transfer while someone can pick up', escalate('transfer'), true, CALLER, 'transfer', []],
    ['a follow-up outside hours: callback requested on the caller’s number', escalate('callback'), true, CALLER, 'callback', [{ kind: 'callback_requested', detail: CALLER }]],
    ['a transfer without a transfer number becomes a callback', escalate('transfer'), false, CALLER, 'callback', [{ kind: 'callback_requested', detail: CALLER }]],
    ['a callback with caller ID withheld says there is no number', escalate('callback'), false, null, 'callback', [{ kind: 'callback_requested', detail: 'caller ID withheld: no number to call back on' }]],
  ] as const)('%s', (_name, effect, isTransferAvailable, callerNumber, handoff, actions) => {
    const state = new CallState({ callId: 'call_1', callSid: 'CA1', callerNumber });
    const exit = state.apply(effect, isTransferAvailable);
    expect(exit).toMatchObject({ outcome: 'escalated', via: handoff === 'transfer' ? 'transfer' : 'hangup' });
    const ending = state.ending(exit!, endedAt);
    expect(ending).toMatchObject({ handoff, details: { actions } });
  });

  it('asks for the callback once when the agent escalates twice', () => {
    const state = new CallState({ callId: 'call_1', callSid: 'CA1', callerNumber: CALLER });
    state.apply(escalate('callback'), false);
    const exit = state.apply(escalate('callback'), false);
    expect(state.ending(exit!, endedAt).details).toMatchObject({ actions: [{ kind: 'callback_requested', detail: CALLER }] });
  });
});

describe('CallState, who the caller is', () => {
  it('gives the helpdesk the caller name and the email that proved an order', () => {
    const state = new CallState({ callId: 'call_1', callSid: 'CA1', callerNumber: '+14155550100' });
    state.apply({ kind: 'caller_identified', name: 'Jane Doe', verifiedEmail: null }, false);
    state.apply({ kind: 'caller_identified', name: null, verifiedEmail: 'jane@example.com' }, false);
    const ending = state.ending({ outcome: 'resolved', reason: null, summary: 'x', callerWants: null, via: 'hangup' }, new Date());
    expect(ending.details).toMatchObject({ callerName: 'Jane Doe', verifiedEmail: 'jane@example.com' });
  });
});
