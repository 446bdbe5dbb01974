// All data the twin's one Gorgias account holds, and its event log. No HTTP, no clock: callers pass `at`.
// Each kind of id starts in its own range so a customer id sent where a user id belongs is caught [I].
import type {
  CustomerRecord, CustomFieldRecord, EventRecord, IntegrationRecord, JsonObject, MessageRecord, StoredFile,
  TagRecord, TeamRecord, TicketRecord, UserRecord,
} from './twin-records.ts';
import type { Micros } from './wire-datetime.ts';
import type { EventObjectType } from './wire-enums.ts';

const FIRST_IDS = {
  user: 1001,
  team: 61,
  customer: 200_001,
  channel: 500_001,
  ticket: 3_000_001,
  message: 40_000_001,
  tag: 701,
  customField: 801,
  event: 7_000_001,
  integration: 901,
} as const;
export type IdKind = keyof typeof FIRST_IDS;

export type Delivery = { messageId: number; ticketId: number; channel: string; receiverCustomerId: number | null; at: Micros };

export type EventListener = (event: EventRecord) => void;

export class TwinState {
  readonly customers = new Map<number, CustomerRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly teams = new Map<number, TeamRecord>();
  readonly tags = new Map<number, TagRecord>();
  readonly tickets = new Map<number, TicketRecord>();
  readonly messages = new Map<number, MessageRecord>();
  readonly customFields = new Map<number, CustomFieldRecord>();
  readonly events = new Map<number, EventRecord>();
  readonly integrations = new Map<number, IntegrationRecord>();
  readonly files = new Map<string, StoredFile>();
  /** Outgoing public messages created without `sent_datetime`: what Gorgias would have sent (7.1 [C]). */
  readonly deliveries: Delivery[] = [];
  #nextIds: Record<IdKind, number> = { ...FIRST_IDS };
  #listeners: EventListener[] = [];

  nextId(kind: IdKind): number {
    const id = this.#nextIds[kind];
    this.#nextIds[kind] = id + 1;
    return id;
  }

  onEvent(listener: EventListener): void {
    this.#listeners.push(listener);
  }

  recordEvent(input: {
    type: string;
    objectType: EventObjectType;
    objectId: number;
    userId: number | null;
    at: Micros;
    data?: JsonObject;
  }): EventRecord {
    const event: EventRecord = {
      id: this.nextId('event'),
      type: input.type,
      objectType: input.objectType,
      objectId: input.objectId,
      userId: input.userId,
      data: input.data ?? {},
      createdAt: input.at,
    };
    this.events.set(event.id, event);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /** Primary emails are compared without case: the stricter reading of "email already used" (9.1) [I]. */
  findCustomerByEmail(email: string): CustomerRecord | undefined {
    const wanted = email.toLowerCase();
    for (const customer of this.customers.values()) {
      if (customer.email?.toLowerCase() === wanted) return customer;
    }
    return undefined;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.users.values()) {
      if (user.email.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** Tag names are case-sensitive (8 [C] S1). */
  findTagByName(name: string): TagRecord | undefined {
    for (const tag of this.tags.values()) {
      if (tag.name === name) return tag;
    }
    return undefined;
  }

  /** Unknown tag names are created on the fly (8 [I]). */
  ensureTag(name: string, color: string | null, at: Micros, userId: number | null): TagRecord {
    const existing = this.findTagByName(name);
    if (existing) return existing;
    const tag: TagRecord = { id: this.nextId('tag'), name, description: null, color, createdAt: at };
    this.tags.set(tag.id, tag);
    this.recordEvent({ type: 'tag-created', objectType: 'Tag', objectId: tag.id, userId, at });
    return tag;
  }

  messagesOf(ticket: TicketRecord): MessageRecord[] {
    return ticket.messageIds.flatMap((id) => {
      const message = this.messages.get(id);
      return message ? [message] : [];
    });
  }

  ticketsOfCustomer(customerId: number): TicketRecord[] {
    return [...this.tickets.values()].filter((ticket) => ticket.customerId === customerId);
  }

  tagUsage(tagId: number): number {
    let usage = 0;
    for (const ticket of this.tickets.values()) if (ticket.tagIds.includes(tagId)) usage += 1;
    return usage;
  }
}
