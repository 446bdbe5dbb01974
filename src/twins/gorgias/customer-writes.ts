// Creating and changing customer records, shared by the customer routes and by tickets that name a new
// customer by email. Records `customer-*` events; never checks request shapes (the routes do).
import type { CustomerChannelInput, CustomerInput } from './request-schemas.ts';
import type { CustomerChannelRecord, CustomerRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import type { Micros } from './wire-datetime.ts';

export function createCustomer(state: TwinState, input: CustomerInput, at: Micros, userId: number | null): CustomerRecord {
  const customer: CustomerRecord = {
    id: state.nextId('customer'),
    email: input.email ?? null,
    externalId: input.external_id ?? null,
    name: input.name ?? null,
    language: input.language ?? null,
    timezone: input.timezone ?? null,
    note: null,
    channels: [],
    data: null,
    dataVersion: null,
    meta: null,
    createdAt: at,
    updatedAt: at,
  };
  customer.channels = buildChannels(state, input.channels ?? [], [], at);
  state.customers.set(customer.id, customer);
  state.recordEvent({ type: 'customer-created', objectType: 'Customer', objectId: customer.id, userId, at });
  return customer;
}

/** PUT semantics: a sent `channels` list replaces the whole list (9.3 [S] S5); other absent fields stay. */
export function updateCustomer(state: TwinState, customer: CustomerRecord, input: CustomerInput, at: Micros, userId: number | null): void {
  if (input.email !== undefined) customer.email = input.email;
  if (input.external_id !== undefined) customer.externalId = input.external_id;
  if (input.name !== undefined) customer.name = input.name;
  if (input.language !== undefined) customer.language = input.language;
  if (input.timezone !== undefined) customer.timezone = input.timezone;
  if (input.channels !== undefined) customer.channels = buildChannels(state, input.channels, customer.channels, at);
  customer.updatedAt = at;
  state.recordEvent({ type: 'customer-updated', objectType: 'Customer', objectId: customer.id, userId, at });
}

/** A channel that is sent again keeps its id and creation time; the others are new [I]. */
function buildChannels(state: TwinState, inputs: readonly CustomerChannelInput[], previous: readonly CustomerChannelRecord[], at: Micros): CustomerChannelRecord[] {
  return inputs.map((input) => {
    const kept = previous.find((channel) => channel.type === input.type && channel.address === input.address);
    return {
      id: kept?.id ?? state.nextId('channel'),
      type: input.type,
      address: input.address,
      isPreferred: input.preferred ?? false,
      createdAt: kept?.createdAt ?? at,
      updatedAt: at,
    };
  });
}

/** Whether another customer already holds this primary email (409, 5 [C] S1). */
export function isEmailTaken(state: TwinState, email: string | null | undefined, exceptCustomerId?: number): boolean {
  if (!email) return false;
  const holder = state.findCustomerByEmail(email);
  return holder !== undefined && holder.id !== exceptCustomerId;
}
