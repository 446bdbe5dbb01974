import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { CallerPrefetch } from '../../../src/agent/caller-prefetch.ts';
import { createSendSmsTool } from '../../../src/agent/tools/send-sms.ts';
import { ok } from '../../../src/shared/result.ts';
import { FOLLOW_UP_HANDOFF, RETURN_STEPS_HIT, RecordingSms, ScriptedKnowledge, ScriptedOrderLookup, buildOrder } from '../../support/commerce-fakes.ts';
import { toolHarness } from '../../support/tool-harness.ts';

function setUp(options: { callerNumber?: string | null } = {}) {
  const orders = new ScriptedOrderLookup();
  const sms = new RecordingSms();
  onTestFinished(() => orders.assertComplete());
  const harness = toolHarness(
    ({ clock, log }) => [
      createSendSmsTool({
        orders,
        prefetch: new CallerPrefetch({ orders, clock, log: log.log }),
        handoff: FOLLOW_UP_HANDOFF,
        sms,
        knowledge: new ScriptedKnowledge(() => [RETURN_STEPS_HIT]),
        timeZone: 'America/New_York',
        brandName: 'Juniper & Pine',
      }),
    ],
    options,
  );
  return { orders, sms, harness };
}

describe('send_sms', () => {
  it("texts a verified order's tracking link to the number the caller is calling from", async () => {
    const { orders, sms, harness } = setUp();
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('send_sms', { what: 'tracking_link', order_number: '1001' });

    expect(sms.sent).toEqual([{ to: '+14155550100', body: 'Juniper & Pine: tracking for order 1001\nUPS: https://www.ups.com/track?tracknum=1Z999AA10123456784' }]);
    expect(result.output).toMatchObject({ status: 'sent' });
    expect(harness.effects.at(-1)).toEqual({ kind: 'action', action: 'sms_sent', detail: 'tracking link for #1001' });
  });

  it("refuses an order the caller hasn't proved is theirs", async () => {
    const { orders, sms, harness } = setUp({ callerNumber: '+14155550199' });
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('send_sms', { what: 'tracking_link', order_number: '1001' });

    expect(result.output).toMatchObject({ status: 'not_sent', why: 'order_not_verified' });
    expect(sms.sent).toEqual([]);
  });

  it('texts the return steps from the knowledge base', async () => {
    const { sms, harness } = setUp();
    await harness.call('send_sms', { what: 'return_steps', order_number: '#1026' });
    expect(sms.sent).toEqual([{ to: '+14155550100', body: `Juniper & Pine return steps for order 1026: ${RETURN_STEPS_HIT.text}` }]);
  });

  it('sends nothing when caller ID is withheld', async () => {
    const { sms, harness } = setUp({ callerNumber: null });
    const result = await harness.call('send_sms', { what: 'return_steps' });
    expect(result.output).toMatchObject({ status: 'not_sent', why: 'caller_id_withheld' });
    expect(sms.sent).toEqual([]);
  });

  it('has no argument for where to send', async () => {
    const { harness } = setUp();
    const [schema] = harness.registry.schemasForModel();
    expect(Object.keys(z.record(z.string(), z.unknown()).parse(schema?.parameters['properties']))).toEqual(['what', 'order_number']);
  });

  it('tells the caller when the text did not go through', async () => {
    const { sms, harness } = setUp();
    sms.failWith('twilio_unavailable');
    const result = await harness.call('send_sms', { what: 'return_steps' });
    expect(result.output).toMatchObject({ status: 'not_sent', why: 'send_failed' });
    expect(harness.effects).toEqual([]);
  });
});
