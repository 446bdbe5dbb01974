// Fires HTTP integrations on ticket events (gorgias-rest-api.md, 12.1): renders `{{ticket.*}}` templates in url,
// headers and form, sends, and disables an integration after 100 failures in a row ([C] S8). No signing: unknown.
import type { Clock } from '../../shared/clock.ts';
import type { EventRecord, IntegrationRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { microsFromMs } from './wire-datetime.ts';
import type { HttpTrigger } from './wire-enums.ts';
import { viewMessage, viewTicket } from './wire-views.ts';

export type WebhookDelivery = {
  integrationId: number;
  trigger: HttpTrigger;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  status: number | null;
  error: string | null;
};

const FAILURES_BEFORE_DISABLE = 100;
const DELIVERY_TIMEOUT_MS = 10_000;

const TRIGGER_BY_EVENT: Record<string, HttpTrigger> = {
  'ticket-created': 'ticket-created',
  'ticket-updated': 'ticket-updated',
  'ticket-message-created': 'ticket-message-created',
  'ticket-message-failed': 'ticket-message-failed',
  'ticket-closed': 'ticket-status-updated',
  'ticket-reopened': 'ticket-status-updated',
  'ticket-assigned': 'ticket-assignment-updated',
  'ticket-unassigned': 'ticket-assignment-updated',
  'ticket-team-assigned': 'ticket-assignment-updated',
  'ticket-team-unassigned': 'ticket-assignment-updated',
  'ticket-self-unsnoozed': 'ticket-self-unsnoozed',
};

export class WebhookDispatcher {
  #state: TwinState;
  #clock: Clock;
  #deliveries: WebhookDelivery[] = [];
  #inFlight = new Set<Promise<void>>();
  #aborts = new Set<AbortController>();

  constructor(state: TwinState, clock: Clock) {
    this.#state = state;
    this.#clock = clock;
    state.onEvent((event) => {
      const trigger = TRIGGER_BY_EVENT[event.type];
      if (trigger === undefined || this.#state.integrations.size === 0) return;
      // Route handlers run synchronously, so the microtask sees the finished request (messages, tags included).
      queueMicrotask(() => this.#fire(event, trigger));
    });
  }

  deliveries(): WebhookDelivery[] {
    return [...this.#deliveries];
  }

  async close(): Promise<void> {
    for (const abort of this.#aborts) abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  #fire(event: EventRecord, trigger: HttpTrigger): void {
    const context = this.#templateContext(event);
    if (!context) return;
    for (const integration of this.#state.integrations.values()) {
      if (integration.deactivatedAt !== null || integration.http.triggers?.[trigger] !== true) continue;
      const sending = this.#send(integration, trigger, context);
      this.#inFlight.add(sending);
      void sending.finally(() => this.#inFlight.delete(sending));
    }
  }

  /** The `TicketHttpIntegration` context: the ticket plus flat ids (12.1 [C] S1), and the message for message triggers. */
  #templateContext(event: EventRecord): Record<string, unknown> | undefined {
    const message = event.objectType === 'TicketMessage' ? this.#state.messages.get(event.objectId) : undefined;
    const ticketId = message?.ticketId ?? (event.objectType === 'Ticket' ? event.objectId : undefined);
    const ticket = ticketId === undefined ? undefined : this.#state.tickets.get(ticketId);
    if (!ticket) return undefined;
    const ticketView = {
      ...viewTicket(this.#state, ticket),
      customer_id: ticket.customerId,
      assignee_user_id: ticket.assigneeUserId,
      assignee_team_id: ticket.assigneeTeamId,
    };
    return message ? { ticket: ticketView, message: viewMessage(this.#state, message) } : { ticket: ticketView };
  }

  async #send(integration: IntegrationRecord, trigger: HttpTrigger, context: Record<string, unknown>): Promise<void> {
    const { http } = integration;
    const url = renderTemplate(http.url, context);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(http.headers ?? {})) headers[name] = renderTemplate(value, context);
    // Without a `form`, the object is sent wrapped under `ticket` / `message` (12.1 [I] from S4).
    const payload = http.form === undefined ? context : renderValue(http.form, context);
    let body: string | null = null;
    if (http.method !== 'GET' && http.method !== 'HEAD') {
      headers['content-type'] = http.request_content_type;
      body = http.request_content_type === 'application/json' ? JSON.stringify(payload) : encodeForm(payload);
    }
    const delivery: WebhookDelivery = { integrationId: integration.id, trigger, method: http.method, url, headers, body, status: null, error: null };
    this.#deliveries.push(delivery);
    // Tests and the sandbox run offline: anything but loopback is recorded, not sent, and not counted.
    if (!isLoopback(url)) {
      delivery.error = 'not sent: the twin delivers only to loopback URLs';
      return;
    }
    const abort = new AbortController();
    this.#aborts.add(abort);
    const timer = this.#clock.setTimeout(() => abort.abort(), DELIVERY_TIMEOUT_MS);
    try {
      const response = await fetch(url, { method: http.method, headers, body, signal: abort.signal });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    } finally {
      timer.cancel();
      this.#aborts.delete(abort);
    }
    this.#count(integration, delivery.status !== null && delivery.status >= 200 && delivery.status < 300);
  }

  #count(integration: IntegrationRecord, isSuccess: boolean): void {
    if (isSuccess) {
      integration.consecutiveFailures = 0;
      return;
    }
    integration.consecutiveFailures += 1;
    if (integration.consecutiveFailures >= FAILURES_BEFORE_DISABLE && integration.deactivatedAt === null) {
      const at = microsFromMs(this.#clock.now());
      integration.deactivatedAt = at;
      this.#state.recordEvent({ type: 'integration-deactivated', objectType: 'Integration', objectId: integration.id, userId: null, at });
    }
  }
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** `{{ ticket.customer.email }}` style paths; an unknown path renders empty [I]. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, path: string) => {
    let value: unknown = context;
    for (const key of path.split('.')) {
      value = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
    }
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

function renderValue(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, context)]));
  }
  return value;
}

function encodeForm(payload: unknown): string {
  const form = new URLSearchParams();
  if (typeof payload === 'object' && payload !== null) {
    for (const [key, value] of Object.entries(payload)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form.toString();
}
