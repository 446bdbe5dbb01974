// The caller as a Gorgias customer: found by phone, completed without losing channels, created when absent, and
// linked to the holder when the verified email is already taken (gorgias-rest-api.md, 9.1-9.3; issue 4, step 1).
import { err, ok, type Result } from '../shared/result.ts';
import type { GorgiasError } from './errors.ts';
import type { GorgiasCustomer } from './gorgias-codec.ts';
import type { CustomerApi } from './gorgias-customer-api.ts';
import type { CustomerChannelInput, UpdateCustomerInput } from './gorgias-request-codec.ts';
import type { CustomerWanted } from './escalation-mapper.ts';

export type CustomerUpsertPort = Pick<CustomerApi, 'findCustomersByPhone' | 'findCustomerByEmail' | 'listCustomers' | 'createCustomer' | 'updateCustomer'>;

export const CustomerLink = { found: 'found', updated: 'updated', created: 'created', linkedByEmail: 'linked_by_email' } as const;
export type CustomerLink = (typeof CustomerLink)[keyof typeof CustomerLink];

export type CustomerUpsertResult = { customerId: number; how: CustomerLink };

/** Several customers may share a number: the one with the verified email wins, else the oldest. */
export function pickCustomer(candidates: readonly GorgiasCustomer[], wanted: CustomerWanted): GorgiasCustomer | undefined {
  const email = wanted.verifiedEmail?.toLowerCase();
  return candidates.find((customer) => email !== undefined && customer.email?.toLowerCase() === email) ?? candidates[0];
}

/**
 * What to change on an existing customer: a missing name, a missing primary email (only a verified one), and the
 * caller's phone when it is not among the channels. `channels` is resent whole because a PUT replaces it (9.3).
 */
export function planCustomerPatch(existing: GorgiasCustomer, wanted: CustomerWanted): UpdateCustomerInput | null {
  const patch: UpdateCustomerInput = {};
  if (!existing.name && wanted.name) patch.name = wanted.name;
  if (!existing.email && wanted.verifiedEmail) patch.email = wanted.verifiedEmail;
  const added: CustomerChannelInput[] = [];
  if (wanted.phone && !existing.channels.some((channel) => channel.type === 'phone' && samePhone(channel.address, wanted.phone ?? ''))) {
    added.push({ type: 'phone', address: wanted.phone, isPreferred: false });
  }
  if (patch.email && !existing.channels.some((channel) => channel.type === 'email' && channel.address.toLowerCase() === patch.email?.toLowerCase())) {
    added.push({ type: 'email', address: patch.email, isPreferred: false });
  }
  if (added.length > 0) {
    patch.channels = [...existing.channels.map((channel) => ({ type: channel.type, address: channel.address, isPreferred: channel.isPreferred })), ...added];
  }
  return Object.keys(patch).length === 0 ? null : patch;
}

export async function upsertCustomer(gorgias: CustomerUpsertPort, wanted: CustomerWanted): Promise<Result<CustomerUpsertResult, GorgiasError>> {
  const existing = await findExisting(gorgias, wanted);
  if (!existing.ok) return existing;
  if (existing.value) return completeCustomer(gorgias, existing.value, wanted);

  const channels: CustomerChannelInput[] = [
    ...(wanted.phone ? [{ type: 'phone', address: wanted.phone, isPreferred: true }] : []),
    ...(wanted.verifiedEmail ? [{ type: 'email', address: wanted.verifiedEmail, isPreferred: !wanted.phone }] : []),
  ];
  const created = await gorgias.createCustomer({
    channels,
    externalId: wanted.externalId,
    ...(wanted.name ? { name: wanted.name } : {}),
    ...(wanted.verifiedEmail ? { email: wanted.verifiedEmail } : {}),
  });
  if (created.ok) return ok({ customerId: created.value.id, how: 'created' });
  if (created.error.code !== 'conflict' || !wanted.verifiedEmail) return created;
  return linkToEmailHolder(gorgias, wanted, wanted.verifiedEmail, created.error);
}

async function findExisting(gorgias: CustomerUpsertPort, wanted: CustomerWanted): Promise<Result<GorgiasCustomer | undefined, GorgiasError>> {
  if (wanted.phone) {
    const byPhone = await gorgias.findCustomersByPhone(wanted.phone);
    if (!byPhone.ok) return byPhone;
    return ok(pickCustomer(byPhone.value, wanted));
  }
  // A withheld number leaves the verified email, then the external id of a customer an earlier attempt created.
  if (wanted.verifiedEmail) {
    const byEmail = await gorgias.findCustomerByEmail(wanted.verifiedEmail);
    if (!byEmail.ok) return byEmail;
    if (byEmail.value) return ok(byEmail.value);
  }
  const byExternalId = await gorgias.listCustomers({ externalId: wanted.externalId, limit: 1 });
  return byExternalId.ok ? ok(byExternalId.value.items[0]) : byExternalId;
}

async function completeCustomer(gorgias: CustomerUpsertPort, customer: GorgiasCustomer, wanted: CustomerWanted): Promise<Result<CustomerUpsertResult, GorgiasError>> {
  const patch = planCustomerPatch(customer, wanted);
  if (!patch) return ok({ customerId: customer.id, how: 'found' });
  const updated = await gorgias.updateCustomer(customer.id, patch);
  if (updated.ok) return ok({ customerId: customer.id, how: 'updated' });
  // The phone stays with the customer it was found on; the holder of the verified email gets the ticket.
  if (updated.error.code === 'conflict' && patch.email) return linkToEmailHolder(gorgias, { ...wanted, phone: null }, patch.email, updated.error);
  return updated;
}

/** The verified email belongs to another customer: the ticket goes to that holder, who gains the phone channel. */
async function linkToEmailHolder(gorgias: CustomerUpsertPort, wanted: CustomerWanted, email: string, conflict: GorgiasError): Promise<Result<CustomerUpsertResult, GorgiasError>> {
  const holder = await gorgias.findCustomerByEmail(email);
  if (!holder.ok) return holder;
  if (!holder.value) return err(conflict);
  const patch = planCustomerPatch(holder.value, { ...wanted, verifiedEmail: null });
  if (patch) {
    const updated = await gorgias.updateCustomer(holder.value.id, patch);
    if (!updated.ok) return updated;
  }
  return ok({ customerId: holder.value.id, how: 'linked_by_email' });
}

function samePhone(a: string, b: string): boolean {
  return a.replace(/[^\d]/g, '') === b.replace(/[^\d]/g, '');
}
