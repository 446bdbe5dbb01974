// The twin's in-memory records: one account's helpdesk data in our camelCase. Types only.
// Nested blobs that Gorgias echoes verbatim (source, attachments, meta, headers) keep their validated wire form.
import type { AttachmentInput, HttpConfigInput, MessageSourceInput } from './request-schemas.ts';
import type { Micros } from './wire-datetime.ts';
import type { CustomFieldDataType, CustomFieldObjectType, EventObjectType, TicketPriority, TicketStatus } from './wire-enums.ts';

export type JsonObject = { [key: string]: unknown };

export type CustomerChannelRecord = {
  id: number;
  type: string;
  address: string;
  isPreferred: boolean;
  createdAt: Micros;
  updatedAt: Micros;
};

export type CustomerRecord = {
  id: number;
  email: string | null;
  externalId: string | null;
  name: string | null;
  language: string | null;
  timezone: string | null;
  note: string | null;
  channels: CustomerChannelRecord[];
  data: unknown;
  dataVersion: Micros | null;
  meta: JsonObject | null;
  createdAt: Micros;
  updatedAt: Micros;
};

export const USER_ROLES = ['admin', 'agent', 'observer', 'bot'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type UserRecord = { id: number; email: string; name: string; role: UserRole; createdAt: Micros };
export type TeamRecord = { id: number; name: string; createdAt: Micros };

export type TagRecord = {
  id: number;
  name: string;
  description: string | null;
  color: string | null;
  createdAt: Micros;
};

/** Sender and receiver point at one of two id spaces; the twin keeps them disjoint so a mix-up shows. */
export type PersonRef = { kind: 'customer' | 'user'; id: number };

export type MessageRecord = {
  id: number;
  ticketId: number;
  externalId: string | null;
  messageId: string | null;
  isPublic: boolean;
  channel: string;
  via: string;
  source: MessageSourceInput | null;
  sender: PersonRef;
  receiver: PersonRef | null;
  isFromAgent: boolean;
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  strippedText: string | null;
  strippedHtml: string | null;
  strippedSignature: string | null;
  attachments: AttachmentInput[];
  integrationId: number | null;
  headers: JsonObject | null;
  meta: JsonObject | null;
  mentionIds: number[];
  macros: { id: number }[];
  actions: unknown[];
  isImported: boolean;
  lastSendingError: { error: string } | null;
  createdAt: Micros;
  sentAt: Micros | null;
  failedAt: Micros | null;
  openedAt: Micros | null;
  deletedAt: Micros | null;
};

export type TicketRecord = {
  id: number;
  externalId: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  channel: string;
  via: string;
  isFromAgent: boolean;
  isSpam: boolean;
  isImported: boolean;
  isUnread: boolean;
  customerId: number | null;
  assigneeUserId: number | null;
  assigneeTeamId: number | null;
  language: string | null;
  subject: string | null;
  meta: JsonObject | null;
  tagIds: number[];
  customFields: Map<number, string | number | boolean>;
  messageIds: number[];
  splitFrom: number | null;
  createdAt: Micros;
  updatedAt: Micros;
  openedAt: Micros | null;
  closedAt: Micros | null;
  lastMessageAt: Micros | null;
  lastReceivedMessageAt: Micros | null;
  snoozeAt: Micros | null;
  trashedAt: Micros | null;
};

export type CustomFieldRecord = {
  id: number;
  objectType: CustomFieldObjectType;
  label: string;
  dataType: CustomFieldDataType;
  inputSettings: JsonObject;
  description: string | null;
  priority: number;
  isRequired: boolean;
  managedType: string | null;
  externalId: string | null;
  createdAt: Micros;
  updatedAt: Micros;
  deactivatedAt: Micros | null;
};

export type EventRecord = {
  id: number;
  type: string;
  objectType: EventObjectType;
  objectId: number;
  userId: number | null;
  data: JsonObject;
  createdAt: Micros;
};

export type IntegrationRecord = {
  id: number;
  name: string;
  description: string | null;
  http: HttpConfigInput;
  isManaged: boolean;
  userId: number | null;
  consecutiveFailures: number;
  createdAt: Micros;
  updatedAt: Micros;
  deactivatedAt: Micros | null;
};

export type StoredFile = { fileType: string; name: string; contentType: string; content: Uint8Array };
