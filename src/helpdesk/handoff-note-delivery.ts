// Appends one hand-off note to the call's existing ticket: finds the ticket by its external id (waiting while it does
// not exist), and before posting again checks whether an earlier attempt's note already landed. Never creates a ticket.
import { z } from 'zod';
import type { GorgiasError } from './errors.ts';
import type { HandoffNotePlan } from './handoff-note.ts';
import type { TicketApi } from './gorgias-ticket-api.ts';

export type HandoffNotePort = Pick<TicketApi, 'findTicketByExternalId' | 'createMessage' | 'fetchAllMessages'>;

export const handoffNoteStepsSchema = z.object({
  ticketId: z.number().int().optional(),
  /** Written before the note's POST: a retry that finds it looks for the note's marker before posting again. */
  isNoteSent: z.boolean().optional(),
  messageId: z.number().int().optional(),
  how: z.enum(['created', 'found']).optional(),
});
export type HandoffNoteSteps = z.output<typeof handoffNoteStepsSchema>;

export type HandoffNoteRun = {
  readonly gorgias: HandoffNotePort;
  readonly plan: Extract<HandoffNotePlan, { kind: 'deliver' }>;
  readonly steps: HandoffNoteSteps;
  /** Saves the steps; false when the job's lease was lost. */
  readonly save: (steps: HandoffNoteSteps) => Promise<boolean>;
};

export type HandoffNoteOutcome =
  /** The note is on the ticket; the worker stores these final steps as it completes the job. */
  | { kind: 'delivered'; steps: HandoffNoteSteps }
  /** The call's ticket does not exist yet: its own job has not created it. */
  | { kind: 'waiting'; why: string }
  | { kind: 'failed'; error: GorgiasError }
  | { kind: 'lease_lost' };

export async function deliverHandoffNote(run: HandoffNoteRun): Promise<HandoffNoteOutcome> {
  const { gorgias, plan } = run;
  let steps = run.steps;
  let ticketId = steps.ticketId;
  if (ticketId === undefined) {
    const found = await gorgias.findTicketByExternalId(plan.ticketExternalId);
    if (!found.ok) return { kind: 'failed', error: found.error };
    if (!found.value) return { kind: 'waiting', why: 'the call ticket does not exist yet' };
    ticketId = found.value.id;
  }
  const marker = plan.note.externalId;
  if (steps.isNoteSent && marker) {
    // A previous attempt posted the note and may have died before recording it (issue 4, zero-loss delivery).
    const messages = await gorgias.fetchAllMessages(ticketId, { limit: 100 });
    if (!messages.ok) return { kind: 'failed', error: messages.error };
    const landed = messages.value.find((message) => message.externalId === marker);
    if (landed) return { kind: 'delivered', steps: { ...steps, ticketId, messageId: landed.id, how: 'found' } };
  } else {
    steps = { ...steps, ticketId, isNoteSent: true };
    if (!(await run.save(steps))) return { kind: 'lease_lost' };
  }
  const created = await gorgias.createMessage(ticketId, plan.note);
  if (!created.ok) return { kind: 'failed', error: created.error };
  return { kind: 'delivered', steps: { ...steps, ticketId, messageId: created.value.id, how: 'created' } };
}
