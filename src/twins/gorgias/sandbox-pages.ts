// The sandbox's read-only view of the twin: `GET /twin/tickets` (JSON) and `GET /twin` (HTML table).
// Not part of the Gorgias API: unauthenticated, never rate-limited, and marked as the twin on every answer.
import type { ApiReply } from './api-reply.ts';
import type { TwinState } from './twin-state.ts';
import { formatWireDatetime } from './wire-datetime.ts';

export type SandboxTicketRow = {
  id: number;
  subject: string | null;
  customer: { id: number; name: string | null; email: string | null } | null;
  tags: string[];
  status: string;
  channel: string;
  messageCount: number;
  createdDatetime: string;
};

export function handleSandboxPage(method: string, path: string, state: TwinState): ApiReply {
  if (method !== 'GET') return { status: 405, body: { error: { msg: 'The Gorgias twin pages are read-only.' } } };
  if (path === '/twin/tickets') return { status: 200, body: { twin: 'gorgias', isReadOnly: true, tickets: listRows(state) } };
  if (path === '/twin') {
    return { status: 200, body: Buffer.from(renderPage(listRows(state)), 'utf8'), headers: { 'content-type': 'text/html; charset=utf-8' } };
  }
  return { status: 404, body: { error: { msg: 'No such Gorgias twin page.' } } };
}

export function listRows(state: TwinState): SandboxTicketRow[] {
  return [...state.tickets.values()]
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
    .map((ticket) => {
      const customer = ticket.customerId === null ? undefined : state.customers.get(ticket.customerId);
      return {
        id: ticket.id,
        subject: ticket.subject,
        customer: customer ? { id: customer.id, name: customer.name, email: customer.email } : null,
        tags: ticket.tagIds.flatMap((id) => state.tags.get(id)?.name ?? []),
        status: ticket.status,
        channel: ticket.channel,
        messageCount: ticket.messageIds.length,
        createdDatetime: formatWireDatetime(ticket.createdAt),
      };
    });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function renderPage(rows: readonly SandboxTicketRow[]): string {
  const body = rows.length === 0
    ? '<tr><td colspan="7">No tickets yet.</td></tr>'
    : rows
        .map((row) => {
          const customer = row.customer ? (row.customer.name ?? row.customer.email ?? `#${row.customer.id}`) : '';
          const cells = [String(row.id), row.subject ?? '', customer, row.tags.join(', '), row.status, String(row.messageCount), row.createdDatetime];
          return `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
        })
        .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gorgias twin — local emulator</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}.banner{background:#fde68a;padding:.5rem 1rem;border-radius:4px}
table{border-collapse:collapse;margin-top:1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style></head>
<body><p class="banner"><strong>Gorgias twin</strong>: a local emulator for the sandbox, not Gorgias. Read-only; data lives in memory.</p>
<table><thead><tr><th>id</th><th>subject</th><th>customer</th><th>tags</th><th>status</th><th>messages</th><th>created</th></tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}
