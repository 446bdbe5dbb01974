// Pre-existing account data for tests and the sandbox: written straight into state, outside the API, so seeds
// record no events, use no rate limit, and throw on misuse (they are programmer input, not wire data).
import type { Clock } from '../../shared/clock.ts';
import type { CustomerRecord, CustomFieldRecord, StoredFile, TagRecord, TeamRecord, UserRecord, UserRole } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { microsFromMs } from './wire-datetime.ts';
import { CUSTOMER_CHANNEL_TYPES, isOneOf, type CustomFieldDataType, type CustomFieldObjectType } from './wire-enums.ts';
import { viewCustomer, viewCustomField, viewTag, viewUser, type CustomerView, type CustomFieldView, type TagView, type UserView } from './wire-views.ts';

export type SeedCustomerInput = {
  name?: string;
  email?: string;
  externalId?: string;
  /** Shorthand for one preferred phone channel. */
  phone?: string;
  channels?: readonly { type: string; address: string; isPreferred?: boolean }[];
  language?: string;
  timezone?: string;
};

export class TwinSeeds {
  #state: TwinState;
  #clock: Clock;

  constructor(state: TwinState, clock: Clock) {
    this.#state = state;
    this.#clock = clock;
  }

  customer(input: SeedCustomerInput): CustomerView {
    const state = this.#state;
    if (input.email && state.findCustomerByEmail(input.email)) throw new Error('seedCustomer: the email is already held by another customer');
    const at = this.#now();
    const channels = [...(input.channels ?? []), ...(input.phone ? [{ type: 'phone', address: input.phone, isPreferred: true }] : [])];
    for (const channel of channels) {
      if (!isOneOf(CUSTOMER_CHANNEL_TYPES, channel.type)) throw new Error(`seedCustomer: unknown channel type ${channel.type}`);
    }
    const customer: CustomerRecord = {
      id: state.nextId('customer'),
      email: input.email ?? null,
      externalId: input.externalId ?? null,
      name: input.name ?? null,
      language: input.language ?? null,
      timezone: input.timezone ?? null,
      note: null,
      channels: channels.map((channel) => ({
        id: state.nextId('channel'), type: channel.type, address: channel.address, isPreferred: channel.isPreferred ?? false, createdAt: at, updatedAt: at,
      })),
      data: null,
      dataVersion: null,
      meta: null,
      createdAt: at,
      updatedAt: at,
    };
    state.customers.set(customer.id, customer);
    return viewCustomer(customer);
  }

  user(input: { email: string; name: string; role?: UserRole }): UserView {
    if (this.#state.findUserByEmail(input.email)) throw new Error('seedUser: a user with this email exists');
    const user: UserRecord = { id: this.#state.nextId('user'), email: input.email, name: input.name, role: input.role ?? 'agent', createdAt: this.#now() };
    this.#state.users.set(user.id, user);
    return viewUser(user);
  }

  team(input: { name: string }): { id: number; name: string } {
    const team: TeamRecord = { id: this.#state.nextId('team'), name: input.name, createdAt: this.#now() };
    this.#state.teams.set(team.id, team);
    return { id: team.id, name: team.name };
  }

  tag(input: { name: string; color?: string; description?: string }): TagView {
    if (this.#state.findTagByName(input.name)) throw new Error(`seedTag: tag ${input.name} exists`);
    const tag: TagRecord = { id: this.#state.nextId('tag'), name: input.name, description: input.description ?? null, color: input.color ?? null, createdAt: this.#now() };
    this.#state.tags.set(tag.id, tag);
    return viewTag(this.#state, tag);
  }

  customField(input: { label: string; dataType: CustomFieldDataType; objectType?: CustomFieldObjectType; isArchived?: boolean }): CustomFieldView {
    const at = this.#now();
    const field: CustomFieldRecord = {
      id: this.#state.nextId('customField'),
      objectType: input.objectType ?? 'Ticket',
      label: input.label,
      dataType: input.dataType,
      inputSettings: {},
      description: null,
      priority: 0,
      isRequired: false,
      managedType: null,
      externalId: null,
      createdAt: at,
      updatedAt: at,
      deactivatedAt: input.isArchived ? at : null,
    };
    this.#state.customFields.set(field.id, field);
    return viewCustomField(field);
  }

  /** Serves `GET /api/{fileType}/download/{path}`; returns that path under the API. */
  file(input: { fileType: 'attachments' | 'files'; path: string; contentType: string; content: string | Uint8Array }): { path: string } {
    if (!/^[\w.\-/]+$/.test(input.path) || input.path.startsWith('/')) throw new Error(`seedFile: path must be relative and plain, got ${input.path}`);
    const content = typeof input.content === 'string' ? new TextEncoder().encode(input.content) : input.content;
    const name = input.path.split('/').at(-1) ?? input.path;
    const file: StoredFile = { fileType: input.fileType, name, contentType: input.contentType, content };
    this.#state.files.set(`${input.fileType}/${input.path}`, file);
    return { path: `/api/${input.fileType}/download/${input.path}` };
  }

  #now(): number {
    return microsFromMs(this.#clock.now());
  }
}
