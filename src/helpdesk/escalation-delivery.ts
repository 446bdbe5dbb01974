// Delivers an escalation plan one step at a time: customer → ticket with transcript and note → turns past the
// cap → contact reason. Each step's result is saved before the next, so a retry resumes instead of duplicating.
import { z } from 'zod';
import { ok, type Result } from '../shared/result.ts';
import { assertNever } from '../shared/assert-never.ts';
import { CustomerLink, upsertCustomer, type CustomerUpsertPort } from './customer-upsert.ts';
import type { GorgiasError } from './errors.ts';
import type { EscalationPlan } from './escalation-mapper.ts';
import type { TicketApi } from './gorgias-ticket-api.ts';

export type DeliveryPort = CustomerUpsertPort & Pick<TicketApi, 'createTicket' | 'findTicketByExternalId' | 'createMessage' | 'fetchAllMessages' | 'setTicketCustomFields'>;

export const deliveryStepsSchema = z.object({
  customer: z.object({ customerId: z.number().int(), how: z.enum(CustomerLink) }).optional(),
  /** Written before the ticket POST: a retry that finds it looks the ticket up by external id before creating. */
  isTicketCreateSent: z.boolean().optional(),
  ticket: z.object({ ticketId: z.number().int(), how: z.enum(['created', 'found']) }).optional(),
  /** Turns past the create cap: how many were appended, in order. */
  overflow: z.object({ appended: z.number().int().min(0) }).optional(),
  contactReason: z.object({ status: z.enum(['set', 'rejected']), code: z.string().optional() }).optional(),
});
export type DeliverySteps = z.output<typeof deliveryStepsSchema>;

export const DeliveryStep = { customer: 'customer', ticket: 'ticket', overflow: 'overflow', contactReason: 'contact_reason' } as const;
export type DeliveryStep = (typeof DeliveryStep)[keyof typeof DeliveryStep];

export type DeliverablePlan = Extract<EscalationPlan, { kind: 'deliver' }>;

/** The step still to do, or null when the job is complete. Pure. */
export function nextDeliveryStep(plan: DeliverablePlan, steps: DeliverySteps): DeliveryStep | null {
  if (!steps.customer) return 'customer';
  if (!steps.ticket) return 'ticket';
  if ((steps.overflow?.appended ?? 0) < plan.ticketFor(steps.customer.customerId).overflow.length) return 'overflow';
  if (plan.contactReason && !steps.contactReason) return 'contact_reason';
  return null;
}

export type StepRun = { readonly gorgias: DeliveryPort; readonly plan: DeliverablePlan; readonly steps: DeliverySteps; readonly save: (steps: DeliverySteps) => Promise<boolean> };

export type StepOutcome =
  | { kind: 'advanced'; steps: DeliverySteps }
  | { kind: 'failed'; error: GorgiasError; steps: DeliverySteps }
  /** Another worker took the job over; this one must stop touching it. */
  | { kind: 'lease_lost' };

/** Runs `step` and saves its result through `save`. Expected failures come back as `failed`, never thrown. */
export async function runDeliveryStep(run: StepRun, step: DeliveryStep): Promise<StepOutcome> {
  switch (step) {
    case 'customer':
      return saveResult(run, await upsertCustomer(run.gorgias, run.plan.customer), (customer) => ({ ...run.steps, customer }));
    case 'ticket':
      return deliverTicket(run);
    case 'overflow':
      return appendOverflow(run);
    case 'contact_reason':
      return setContactReason(run);
    default:
      return assertNever(step, 'delivery step');
  }
}

async function deliverTicket(run: StepRun): Promise<StepOutcome> {
  const { gorgias, plan } = run;
  let steps = run.steps;
  const customerId = steps.customer?.customerId;
  if (customerId === undefined) throw new Error('The ticket step runs only after the customer step');
  if (steps.isTicketCreateSent) {
    // A previous attempt sent the create and may have died before hearing back (issue 4, zero-loss delivery).
    const found = await gorgias.findTicketByExternalId(plan.externalId);
    if (!found.ok) return { kind: 'failed', error: found.error, steps };
    if (found.value) return saveResult(run, ok(found.value.id), (ticketId) => ({ ...steps, ticket: { ticketId, how: 'found' } }));
  } else {
    steps = { ...steps, isTicketCreateSent: true };
    if (!(await run.save(steps))) return { kind: 'lease_lost' };
  }
  const created = await gorgias.createTicket(plan.ticketFor(customerId).create);
  return saveResult({ ...run, steps }, created.ok ? ok(created.value.id) : created, (ticketId) => ({ ...steps, ticket: { ticketId, how: 'created' } }));
}

async function appendOverflow(run: StepRun): Promise<StepOutcome> {
  const { gorgias, plan } = run;
  let steps = run.steps;
  const customerId = steps.customer?.customerId;
  const ticketId = steps.ticket?.ticketId;
  if (customerId === undefined || ticketId === undefined) throw new Error('The overflow step runs only after the ticket step');
  const overflow = plan.ticketFor(customerId).overflow;
  let existing = new Set<string>();
  if (steps.overflow) {
    // A resumed append may have sent its last message without recording it: skip what the ticket already holds.
    const messages = await gorgias.fetchAllMessages(ticketId, { limit: 100 });
    if (!messages.ok) return { kind: 'failed', error: messages.error, steps };
    existing = new Set(messages.value.flatMap((message) => (message.externalId ? [message.externalId] : [])));
  } else {
    steps = { ...steps, overflow: { appended: 0 } };
    if (!(await run.save(steps))) return { kind: 'lease_lost' };
  }
  for (let index = steps.overflow?.appended ?? 0; index < overflow.length; index++) {
    const message = overflow[index];
    if (message === undefined) break;
    if (!message.externalId || !existing.has(message.externalId)) {
      const appended = await gorgias.createMessage(ticketId, message);
      if (!appended.ok) return { kind: 'failed', error: appended.error, steps };
    }
    steps = { ...steps, overflow: { appended: index + 1 } };
    if (!(await run.save(steps))) return { kind: 'lease_lost' };
  }
  return { kind: 'advanced', steps };
}

async function setContactReason(run: StepRun): Promise<StepOutcome> {
  const { gorgias, plan, steps } = run;
  const ticketId = steps.ticket?.ticketId;
  if (ticketId === undefined || !plan.contactReason) throw new Error('The contact reason step runs only after the ticket step');
  const set = await gorgias.setTicketCustomFields(ticketId, [{ id: plan.contactReason.fieldId, value: plan.contactReason.value }]);
  if (set.ok) return saveResult(run, ok('set' as const), (status) => ({ ...steps, contactReason: { status } }));
  // A field id Gorgias refuses is a configuration problem: the ticket stands, the job is not held hostage by it.
  if (set.error.code === 'validation' || set.error.code === 'not_found') {
    return saveResult(run, ok(set.error.code), (code) => ({ ...steps, contactReason: { status: 'rejected', code } }));
  }
  return { kind: 'failed', error: set.error, steps };
}

async function saveResult<T>(run: StepRun, result: Result<T, GorgiasError>, apply: (value: T) => DeliverySteps): Promise<StepOutcome> {
  if (!result.ok) return { kind: 'failed', error: result.error, steps: run.steps };
  const steps = apply(result.value);
  return (await run.save(steps)) ? { kind: 'advanced', steps } : { kind: 'lease_lost' };
}
