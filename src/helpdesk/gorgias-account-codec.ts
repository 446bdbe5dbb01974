// Gorgias account-level bodies → our types: users, the account, events, integrations, custom fields, search hits.
// Pure, like gorgias-codec.ts: unknown fields are dropped; a missing required one is a `bad_response`.
import { z } from 'zod';
import { optionalBoolean, optionalNumber, optionalText } from './gorgias-codec.ts';

export const userSchema = z
  .object({
    id: z.number().int(),
    email: optionalText,
    name: optionalText,
    firstname: optionalText,
    lastname: optionalText,
    role: z.union([z.string(), z.object({ name: z.string() })]).nullish(),
    active: optionalBoolean,
    created_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    email: wire.email,
    name: wire.name,
    firstname: wire.firstname,
    lastname: wire.lastname,
    role: typeof wire.role === 'string' ? wire.role : (wire.role?.name ?? null),
    isActive: wire.active,
    createdDatetime: wire.created_datetime,
  }));
export type GorgiasUser = z.output<typeof userSchema>;

/** The account object's fields are not in the contract; only its presence is checked. */
export const accountSchema = z
  .object({ domain: optionalText, status: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(), created_datetime: optionalText })
  .transform((wire) => ({ domain: wire.domain, status: typeof wire.status === 'string' ? wire.status : null, createdDatetime: wire.created_datetime }));
export type GorgiasAccount = z.output<typeof accountSchema>;

/** Event (gorgias-rest-api.md, 11). */
export const eventSchema = z
  .object({
    id: z.number().int(),
    type: z.string(),
    object_id: optionalNumber,
    object_type: optionalText,
    user_id: optionalNumber,
    data: z.unknown().optional(),
    context: optionalText,
    created_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    type: wire.type,
    objectId: wire.object_id,
    objectType: wire.object_type,
    userId: wire.user_id,
    data: wire.data ?? null,
    context: wire.context,
    createdDatetime: wire.created_datetime,
  }));
export type GorgiasEvent = z.output<typeof eventSchema>;

/** Integration (gorgias-rest-api.md, 12.1); `http` is present for HTTP integrations. */
export const integrationSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    description: optionalText,
    http: z
      .object({
        url: z.string(),
        method: z.string(),
        request_content_type: optionalText,
        triggers: z.record(z.string(), z.boolean()).nullish(),
      })
      .nullish(),
    deactivated_datetime: optionalText,
    created_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    name: wire.name,
    type: wire.type,
    description: wire.description,
    http: wire.http
      ? { url: wire.http.url, method: wire.http.method, requestContentType: wire.http.request_content_type, triggers: wire.http.triggers ?? {} }
      : null,
    deactivatedDatetime: wire.deactivated_datetime,
    createdDatetime: wire.created_datetime,
  }));
export type GorgiasIntegration = z.output<typeof integrationSchema>;

/** A custom field definition (gorgias-rest-api.md, 10). */
export const customFieldSchema = z
  .object({
    id: z.number().int(),
    label: z.string(),
    object_type: optionalText,
    definition: z.object({ data_type: optionalText }).nullish(),
    required: optionalBoolean,
  })
  .transform((wire) => ({
    id: wire.id,
    label: wire.label,
    objectType: wire.object_type,
    dataType: wire.definition?.data_type ?? null,
    isRequired: wire.required,
  }));
export type GorgiasCustomField = z.output<typeof customFieldSchema>;

/** A custom field value on a ticket: `{ field, value }` (gorgias-rest-api.md, 10). */
export const customFieldValueSchema = z
  .object({ field: customFieldSchema, value: z.unknown() })
  .transform((wire) => ({ field: wire.field, value: wire.value ?? null }));
export type GorgiasCustomFieldValue = z.output<typeof customFieldValueSchema>;

const searchHitSchema = z
  .object({
    id: z.number().int(),
    name: optionalText,
    email: optionalText,
    address: optionalText,
    customer: z.object({ id: z.number().int(), name: optionalText }).nullish(),
  })
  .transform((wire) => ({ id: wire.id, name: wire.name, email: wire.email, address: wire.address, customerId: wire.customer?.id ?? null }));
export type GorgiasSearchHit = z.output<typeof searchHitSchema>;

/** Search answers `{ data: [...] }`; a bare array is accepted too (gorgias-rest-api.md, 9.5 [S]). */
export const searchResultSchema = z.union([
  z.object({ data: z.array(searchHitSchema) }).transform((wire) => wire.data),
  z.array(searchHitSchema),
]);
