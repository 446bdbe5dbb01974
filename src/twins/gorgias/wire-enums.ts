// The Gorgias enumerations the twin enforces on requests (gorgias-rest-api.md, 6.3, 9.1, 9.5, 11, 2.2).
// Values only; which field takes which list is decided by request-schemas.ts.

/** Ticket and message `channel` (LegacyChannelSlug) [C] S2, plus the newer slugs S2 shows in settings enums [!]. */
export const CHANNELS = [
  'aircall', 'api', 'chat', 'contact_form', 'email', 'facebook', 'facebook-mention', 'facebook-messenger',
  'facebook-recommendations', 'help-center', 'instagram-ad-comment', 'instagram-comment',
  'instagram-direct-message', 'instagram-mention', 'internal-note', 'phone', 'sms', 'twitter',
  'twitter-direct-message', 'whatsapp', 'yotpo-review',
  'tiktok-shop', 'google-business-messages', 'custom-chat',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** `via` accepted on requests: the TicketVia enum minus the output-only values (6.3 [!]). */
export const REQUEST_VIAS = [
  'aircall', 'api', 'chat', 'contact_form', 'email', 'facebook', 'facebook-mention', 'facebook-messenger',
  'facebook-recommendations', 'form', 'help-center', 'helpdesk', 'instagram', 'instagram-ad-comment',
  'instagram-comment', 'instagram-direct-message', 'instagram-mention', 'internal-note', 'phone', 'rule',
  'shopify', 'sms', 'twilio', 'twitter', 'twitter-direct-message', 'whatsapp', 'yotpo', 'yotpo-review', 'zendesk',
] as const;
export type Via = (typeof REQUEST_VIAS)[number];

/** TicketMessageSourceType [C] S2. */
export const SOURCE_TYPES = [
  'aircall', 'api', 'app', 'custom-chat', 'chat', 'chat-contact-form', 'chat-offline-capture', 'contact-form',
  'email', 'facebook', 'facebook-comment', 'facebook-mention-comment', 'facebook-mention-post', 'facebook-message',
  'facebook-messenger', 'facebook-post', 'facebook-review', 'facebook-review-comment', 'form',
  'google-business-messages', 'help-center', 'help-center-contact-form', 'helpdesk', 'instagram',
  'instagram-ad-comment', 'instagram-ad-media', 'instagram-comment', 'instagram-direct-message', 'instagram-media',
  'instagram-mention-comment', 'instagram-mention-media', 'internal-note', 'ottspott-call', 'phone', 'rule',
  'self_service', 'shopify', 'sms', 'system-message', 'tiktok-shop', 'twilio', 'twitter-direct-message',
  'twitter-mention-tweet', 'twitter-quoted-tweet', 'twitter-tweet', 'whatsapp-message', 'yotpo-review',
  'yotpo-review-private-comment', 'yotpo-review-public-comment',
] as const;

export const TICKET_STATUSES = ['open', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** No `urgent`: S12 invents it (6.3). */
export const TICKET_PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Customer channel `type` [C] S2 (9.1); other "non-legacy slugs" are not enumerated anywhere, so they are refused. */
export const CUSTOMER_CHANNEL_TYPES = [
  'email', 'phone', 'chat', 'twitter', 'facebook', 'instagram', 'instagram-direct-message', 'whatsapp',
] as const;

export const SEARCH_TYPES = [
  'agent', 'customer', 'customer_profile', 'customer_channel', 'customer_channel_email', 'customer_channel_phone',
  'customers_by_phone', 'integration', 'team', 'tag',
] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const EVENT_OBJECT_TYPES = [
  'Account', 'AccountSetting', 'Macro', 'Tag', 'Customer', 'Team', 'View', 'Widget', 'CustomField',
  'CustomFieldCondition', 'User', 'TicketMessage', 'Ticket', 'Rule', 'Integration', 'SatisfactionSurvey',
] as const;
export type EventObjectType = (typeof EVENT_OBJECT_TYPES)[number];

/** HTTP integration trigger keys, hyphenated as in the current schema (12.1 [!]). */
export const HTTP_TRIGGERS = [
  'ticket-created', 'ticket-updated', 'ticket-message-created', 'ticket-self-unsnoozed', 'ticket-message-failed',
  'ticket-assignment-updated', 'ticket-status-updated', 'ticket-handed-over',
] as const;
export type HttpTrigger = (typeof HTTP_TRIGGERS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'] as const;

/** OAuth2 scopes (2.2 [C]); `write:all` is the deprecated all-access scope. */
export const OAUTH_SCOPES = [
  'openid', 'email', 'profile', 'offline',
  'account:read', 'account:write', 'users:read', 'users:write', 'customers:read', 'customers:write',
  'tickets:read', 'tickets:write', 'custom_fields:read', 'custom_fields:write', 'events:read', 'events:write',
  'integrations:read', 'integrations:write', 'write:all',
] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/** Scopes an API route can demand of a Bearer token. */
export type ApiScope = Exclude<OAuthScope, 'openid' | 'email' | 'profile' | 'offline' | 'write:all'>;

export const CUSTOM_FIELD_DATA_TYPES = ['text', 'number', 'boolean'] as const;
export type CustomFieldDataType = (typeof CUSTOM_FIELD_DATA_TYPES)[number];

export const CUSTOM_FIELD_OBJECT_TYPES = ['Ticket', 'Customer'] as const;
export type CustomFieldObjectType = (typeof CUSTOM_FIELD_OBJECT_TYPES)[number];

export function isOneOf<T extends string>(values: readonly T[], candidate: string): candidate is T {
  return (values as readonly string[]).includes(candidate);
}
