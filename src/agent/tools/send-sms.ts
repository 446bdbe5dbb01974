// Texts the caller a verified order's tracking links or the return steps, only ever to the number they called from
// (never a number the model names). Registered only when SMS_FROM is configured.
import { z } from 'zod';
import type { KnowledgeSearch } from '../../knowledge/kb-search.ts';
import { toOrderFacts } from '../order-facts.ts';
import { discloseOrder } from '../policies/disclosure.ts';
import type { SmsSender } from '../ports.ts';
import { defineTool, type ToolEffect, type ToolOutcome } from '../tool-registry.ts';
import { orderNumberField } from './get-order-status.ts';
import { LOOKUP_DEADLINE_MS, LOOKUP_FILLER_AFTER_MS, LOOKUP_TIMEOUT_MS, LookupDeadline } from './lookup-guard.ts';
import { accessOrder, type OrderAccessDeps } from './order-access.ts';
import { findReturnSteps } from './return-steps.ts';

export type SendSmsDeps = OrderAccessDeps & { sms: SmsSender; knowledge: KnowledgeSearch; timeZone: string; brandName: string };

/** Twilio joins longer bodies from up to 10 segments; the return steps stay well inside that. */
const MAX_BODY_CHARS = 1000;

const sendSmsInput = z.object({
  what: z.enum(['tracking_link', 'return_steps']).describe('tracking_link: the tracking links of one order. return_steps: how to send a return back.'),
  order_number: orderNumberField.optional().describe('The order, for tracking_link (and to name it in the return steps).'),
});

export function createSendSmsTool(deps: SendSmsDeps) {
  return defineTool({
    name: 'send_sms',
    description:
      "Texts the caller, at the number they are calling from, an order's tracking link or the return steps. Offer it; send only " +
      'when the caller says yes.',
    input: sendSmsInput,
    timeoutMs: LOOKUP_TIMEOUT_MS,
    fillerAfterMs: LOOKUP_FILLER_AFTER_MS,
    async run(input, context): Promise<ToolOutcome> {
      const to = context.facts.callerNumber;
      if (to === null) {
        return notSent('caller_id_withheld', "Tell the caller you can't send a text because their number is hidden.", 'caller ID withheld');
      }
      let body: string;
      let detail: string;
      const effects: ToolEffect[] = [];
      if (input.what === 'return_steps') {
        const steps = findReturnSteps(deps.knowledge);
        if (steps === null) return notSent('nothing_to_send', 'Tell the caller you have no return steps to text; the return email has them.', 'no return steps in the knowledge base');
        const forOrder = input.order_number ? ` for order ${input.order_number.replace(/^#/, '')}` : '';
        body = `${deps.brandName} return steps${forOrder}: ${steps.text}`;
        detail = `return steps${forOrder}`;
      } else {
        if (!input.order_number) return notSent('order_number_needed', 'Ask which order, then send again with its number.', 'no order number');
        const deadline = new LookupDeadline(context.clock, LOOKUP_DEADLINE_MS);
        const access = await accessOrder(deps, { orderNumber: input.order_number, proof: {} }, context, deadline);
        if (access.kind === 'refused') {
          const output = access.output['status'] === 'needs_verification' ? { status: 'not_sent', why: 'order_not_verified', say: 'Confirm the order with get_order_status first (with the email or postal code on it).' } : access.output;
          return { output, summary: `tracking link not sent: ${access.summary}`, effects: access.effects };
        }
        effects.push(...access.effects);
        const disclosure = discloseOrder(toOrderFacts(access.order), { now: new Date(context.clock.now()), timeZone: deps.timeZone });
        if (disclosure.trackingLinks.length === 0) {
          return { ...notSent('no_tracking_link', "Tell the caller this order has no tracking link yet.", `${access.order.name} has no tracking link`), effects };
        }
        const spokenName = access.order.name.replace(/^#/, '');
        body = [`${deps.brandName}: tracking for order ${spokenName}`, ...disclosure.trackingLinks.map((link) => `${link.carrier ?? 'Carrier'}: ${link.url}`)].join('\n');
        detail = `tracking link for ${access.order.name}`;
      }
      const sent = await deps.sms.send({ to, body: body.slice(0, MAX_BODY_CHARS) });
      if (!sent.ok) {
        context.log.warn({ code: sent.error.code }, 'tool.sms.failed');
        return { ...notSent('send_failed', "Tell the caller the text didn't go through this time.", `text failed (${sent.error.code})`), effects };
      }
      return {
        output: { status: 'sent', say: "Tell the caller the text is on its way to the number they're calling from." },
        summary: `texted ${detail}`,
        effects: [...effects, { kind: 'action', action: 'sms_sent', detail }],
      };
    },
  });
}

function notSent(why: string, say: string, summary: string): ToolOutcome {
  return { output: { status: 'not_sent', why, say }, summary };
}
