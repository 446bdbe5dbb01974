// The internal note an agent reads first on an escalated call ticket, as plain text and HTML, and the labels it uses.
// Pure: facts in, text out. The note is Gorgias content, not a log line, so it carries the caller's number.
import { escalationLabel, isEscalationReason } from '../agent/policies/escalation-reasons.ts';
import { callIntentLabel, isCallIntent } from '../agent/policies/call-intents.ts';
import type { EscalationActionKind } from './escalation-details.ts';

export type NoteFacts = {
  isResolved: boolean;
  reason: string | null;
  intent: string | null;
  summary: string | null;
  callerWants: string | null;
  isVerified: boolean;
  verifiedBy: readonly string[];
  callerName: string | null;
  callerPhone: string;
  handoff: string | null;
  orders: readonly { name: string; status: string }[];
  actions: readonly { kind: string; detail: string }[];
  checks: readonly { name: string; status: string; resultSummary: string }[];
  recordingUrl: string | null;
  dashboardUrl: string | null;
  callSid: string;
  startedAt: Date;
  durationSeconds: number | null;
};

const HANDOFF_LABELS: Readonly<Record<string, string>> = {
  transfer: 'Transfer to a person started',
  transfer_connected: 'Transferred to a person',
  callback: 'Callback requested (no live transfer available)',
  voicemail: 'Caller left a voicemail',
};

// `satisfies` keeps a label for every action kind the details schema names.
const ACTION_LABELS: Readonly<Record<string, string>> = {
  return_requested: 'Return requested',
  sms_sent: 'SMS sent',
  callback_requested: 'Callback requested',
  transfer_attempted: 'Transfer attempted',
  voicemail_left: 'Voicemail left',
} satisfies Record<EscalationActionKind, string>;

const VERIFICATION_LABELS: Readonly<Record<string, string>> = {
  caller_id: 'caller ID matches the order',
  email: 'order number and email',
  postal_code: 'order number and postal code',
};

/** Reasons and intents read as the agent catalogs name them; a code they do not know is shown humanized. */
export const reasonLabel = (reason: string): string => (isEscalationReason(reason) ? escalationLabel(reason) : humanize(reason));
export const intentLabel = (intent: string): string => (isCallIntent(intent) ? callIntentLabel(intent) : humanize(intent));
export const actionLabel = (kind: string): string => ACTION_LABELS[kind] ?? humanize(kind);

/** `transfer_<dial status>` is a transfer that did not connect (no-answer, busy, failed). */
export function handoffLabel(handoff: string): string {
  const known = HANDOFF_LABELS[handoff];
  if (known) return known;
  return handoff.startsWith('transfer_') ? `Transfer not connected (${handoff.slice('transfer_'.length)}): call back` : humanize(handoff);
}

function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Section = { label: string; value: string | null; link?: boolean } | { label: string; items: readonly string[] };

export function renderEscalationNote(facts: NoteFacts): { text: string; html: string } {
  const sections = noteSections(facts);
  const title = facts.isResolved ? 'AI phone agent: call resolved' : 'AI phone agent: call escalated';
  const text = [title, ...sections.flatMap(sectionText)].join('\n');
  const html = [`<p><strong>${escapeHtml(title)}</strong></p>`, ...sections.map(sectionHtml)].join('');
  return { text, html };
}

function noteSections(facts: NoteFacts): Section[] {
  const isCallbackWanted = isCallbackHandoff(facts.handoff) || facts.actions.some((action) => action.kind === 'callback_requested');
  return [
    ...(facts.isResolved ? [] : [{ label: 'Why escalated', value: facts.reason ? reasonLabel(facts.reason) : 'Not stated' }]),
    { label: 'Hand-off', value: facts.handoff ? handoffLabel(facts.handoff) : null },
    { label: 'Intent', value: facts.intent ? intentLabel(facts.intent) : null },
    { label: 'AI summary', value: facts.summary },
    { label: 'What the shopper wants next', value: facts.callerWants },
    { label: 'Identity verified', value: facts.isVerified ? verifiedLine(facts.verifiedBy) : 'No: do not disclose order details before verifying' },
    { label: 'Caller', value: [facts.callerName, facts.callerPhone].filter(Boolean).join(', ') },
    ...(isCallbackWanted ? [{ label: 'Call back on', value: facts.callerPhone }] : []),
    { label: 'Orders discussed', items: facts.orders.map((order) => `${order.name}: ${order.status}`) },
    { label: 'Actions taken', items: facts.actions.map((action) => (action.detail ? `${actionLabel(action.kind)}: ${action.detail}` : actionLabel(action.kind))) },
    { label: 'Checks the AI made', items: facts.checks.map((check) => `${check.name} (${check.status}): ${check.resultSummary}`) },
    { label: 'Recording', value: facts.recordingUrl, link: true },
    { label: 'Call in the dashboard', value: facts.dashboardUrl, link: true },
    { label: 'Call', value: callLine(facts) },
  ];
}

function isCallbackHandoff(handoff: string | null): boolean {
  return handoff === 'callback' || (handoff !== null && handoff.startsWith('transfer_') && handoff !== 'transfer_connected');
}

function verifiedLine(methods: readonly string[]): string {
  const how = [...new Set(methods)].map((method) => VERIFICATION_LABELS[method] ?? humanize(method));
  return how.length > 0 ? `Yes (${how.join('; ')})` : 'Yes';
}

function callLine(facts: NoteFacts): string {
  const duration = facts.durationSeconds === null ? '' : `, ${Math.floor(facts.durationSeconds / 60)} min ${facts.durationSeconds % 60} s`;
  return `${facts.callSid}, started ${facts.startedAt.toISOString()}${duration}`;
}

function sectionText(section: Section): string[] {
  if ('items' in section) return section.items.length === 0 ? [] : [`${section.label}:`, ...section.items.map((item) => `- ${item}`)];
  return section.value ? [`${section.label}: ${section.value}`] : [];
}

function sectionHtml(section: Section): string {
  const label = `<strong>${escapeHtml(section.label)}:</strong>`;
  if ('items' in section) {
    if (section.items.length === 0) return '';
    return `<p>${label}</p><ul>${section.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
  }
  if (!section.value) return '';
  const value = escapeHtml(section.value);
  // Only http(s) becomes a link, so a stored URL can never smuggle a script into the agent's view.
  return section.link && /^https?:\/\//.test(section.value) ? `<p>${label} <a href="${value}">${value}</a></p>` : `<p>${label} ${value}</p>`;
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}
