// "Where is my order?" through every twin: by caller ID (prefetched while the call rang), and by an order number
// keyed on the phone keypad. wismo-verification.test.ts covers callers the shop does not know.
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { startTestBridge, storedOutcome } from '../support/test-bridge.ts';
import { hearAgent, lastKeyedDigits, lastOutput, listOf, outputsOf, shipmentLine } from '../support/scenario-steps.ts';

describe('where is my order', () => {
  it("answers Jane from her caller ID: #1001 in transit with UPS, and the call ends resolved", async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'Where is my order?',
            steps: [
              { callTool: { name: 'find_orders', arguments: {} } },
              {
                say: (context) => {
                  const orders = listOf(lastOutput(context)['orders']);
                  return orders.some((order) => order['orderName'] === '1001') ? 'With UPS.' : 'Sorry.';
                },
              },
            ],
          },
          { caller: 'Thanks, bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Order 1001 is with UPS.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Where is it?');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    const [found] = outputsOf(bridge, 'find_orders');
    const order1001 = listOf(found?.['orders']).find((order) => order['orderName'] === '1001');
    expect(order1001).toMatchObject({ status: 'shipped', summary: expect.stringMatching(/^Order 1001 is on its way with UPS, expected \w+\.$/) });
    const tools = await bridge.app.calls.listToolCalls(call.id);
    expect(tools.map((tool) => [tool.name, tool.status])).toEqual([['find_orders', 'ok'], ['end_call', 'ok']]);
    expect(call).toMatchObject({ outcome: 'resolved', intent: 'wismo', isVerified: true });
    expect(call.details).toMatchObject({ verifiedBy: expect.arrayContaining(['caller_id']) });
    expect(call.details['ordersDiscussed']).toEqual(expect.arrayContaining([{ name: '#1001', status: 'shipped' }]));
    // The orders were prefetched by caller ID while the call rang; the tool asked Shopify nothing more.
    expect(bridge.shopify.requests().map((request) => request.operationName)).toEqual(['CustomerByPhone', 'RecentOrders', 'OrderDetail', 'OrderDetail']);
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });

  it('takes an order number keyed on the phone keypad', async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'Where is my order?',
            steps: [
              { say: 'Key it in.' },
              { callTool: { name: 'get_order_status', arguments: () => ({ order_number: lastKeyedDigits(bridge) }) } },
              { say: (context) => shipmentLine(lastOutput(context)) },
            ],
          },
          { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Order 1001 is with UPS.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Where is it?');
    await hearAgent(caller);
    await caller.pressDigits('1001#');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    const turns = await bridge.app.calls.listTurns(call.id);
    expect(turns.map((turn) => [turn.speaker, turn.text])).toContainEqual(['caller', '(keyed on the phone keypad) 1001']);
    const tools = await bridge.app.calls.listToolCalls(call.id);
    expect(tools[0]).toMatchObject({ name: 'get_order_status', status: 'ok', arguments: { order_number: '1001' } });
    expect(outputsOf(bridge, 'get_order_status')[0]).toMatchObject({ status: 'found', tellCaller: { orderName: '1001' } });
    expect(call).toMatchObject({ outcome: 'resolved' });
    bridge.realtime.assertNoLeftovers();
  });
});
