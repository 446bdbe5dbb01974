// The composition root: builds every adapter from config, wires the parts together and registers the routes.
// The only place that knows every part; nothing here holds business rules.
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import websocket from '@fastify/websocket';
import type { Config } from './config/config.ts';
import type { Clock } from './shared/clock.ts';
import type { IdSource } from './shared/ids.ts';
import type { Logger } from './shared/logger.ts';
import { openDatabase, type Database } from './store/database.ts';
import { CallRecords, type CallEnding, type HandoffResult } from './store/call-records.ts';
import { createGorgiasClient, type GorgiasCredentials } from './helpdesk/gorgias-client.ts';
import { createOutboxWorker, gorgiasHandoffJobsFor, gorgiasJobsFor } from './helpdesk/outbox-worker.ts';
import { registerTwilioWebhooks, twilioCallbackUrls } from './telephony/webhook-routes.ts';
import { registerMediaStreamRoute } from './telephony/media-stream-routes.ts';
import { deriveStreamTokenSecret } from './telephony/stream-token.ts';
import { createCallControl } from './telephony/call-control.ts';
import { buildFallbackTwiml, buildRejectTwiml, buildSayHangupTwiml, buildTransferTwiml, buildVoicemailTwiml } from './telephony/twiml.ts';
import { connectRealtime } from './voice/realtime-link.ts';
import { encodeSessionUpdate } from './voice/realtime-codec.ts';
import { buildSessionConfig } from './voice/session-config.ts';
import { loadAgentPrompts } from './agent/instructions.ts';
import { ToolRegistry } from './agent/tool-registry.ts';
import { buildAgentTools } from './agent/agent-tools.ts';
import { CallerPrefetch } from './agent/caller-prefetch.ts';
import type { SmsSender } from './agent/ports.ts';
import { createShopifyOrderLookup } from './commerce/shopify-client.ts';
import { openKnowledgeBase } from './knowledge/knowledge-base.ts';
import { isWithinBusinessHours, nextOpening, parseBusinessHours } from './agent/policies/business-hours.ts';
import { EscalationReason } from './agent/policies/escalation-reasons.ts';
import { CallDesk, type DeskTwiml } from './call/call-desk.ts';
import { registerMetricsEndpoint } from './dashboard/metrics-endpoint.ts';
import type { CallRecorder, HandoffRecorder } from './call/ports.ts';

export type BridgeApp = {
  server: FastifyInstance;
  desk: CallDesk;
  database: Database;
  calls: CallRecords;
  /** Starts listening; resolves with the address. */
  listen(): Promise<string>;
  /** Stops taking calls, lets live ones finish up to DRAIN_SECONDS, then closes everything. */
  shutdown(): Promise<void>;
};

/** Where the service reaches its outside services; in sandbox mode the twins' addresses and keys. */
export type Endpoints = {
  publicUrl: string;
  twilio: { accountSid: string; authToken: string; apiUrl: string };
  openai: { realtimeUrl: string; apiKey: string };
  shopify: { shop: string; adminToken?: string; clientId?: string; clientSecret?: string; adminApiUrl?: string };
  gorgias: { apiUrl: string; credentials: GorgiasCredentials; botUserId: number };
};

export type AppOptions = { config: Config; endpoints: Endpoints; log: Logger; clock: Clock; ids: IdSource; database?: Database };


export async function buildApp(options: AppOptions): Promise<BridgeApp> {
  const { config, endpoints, log, clock, ids } = options;
  const database =
    options.database ??
    (await openDatabase(config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir }));
  const calls = new CallRecords(database);
  const urls = twilioCallbackUrls(endpoints.publicUrl);

  const prompts = loadAgentPrompts({ brandName: config.brandName, recordingDisclosure: config.recordingDisclosure });
  const businessHours = parseBusinessHours(config.businessHours.spec, config.businessHours.timeZone);
  if (!businessHours.ok) throw new Error(`BUSINESS_HOURS: ${businessHours.error.problems.join("; ")}`);
  const hours = businessHours.value;
  const control = createCallControl({ accountSid: endpoints.twilio.accountSid, authToken: endpoints.twilio.authToken, apiBaseUrl: endpoints.twilio.apiUrl, log });
  const smsFrom = config.twilio.smsFrom;
  const sms: SmsSender | null = smsFrom
    ? { send: async ({ to, body }) => control.sendSms({ to, from: smsFrom, body }) }
    : null;
  const orders = createShopifyOrderLookup({ ...endpoints.shopify, apiVersion: config.shopify.apiVersion }, { clock, log });
  const knowledge = await openKnowledgeBase({ dir: config.knowledge.dir, log });
  // The prefetch never waits for Shopify's bucket: it stands aside for the live lookups, which may (B4).
  const prefetchOrders = createShopifyOrderLookup(
    { ...endpoints.shopify, apiVersion: config.shopify.apiVersion },
    { clock, log: log.child({ part: 'prefetch' }, { level: 'error' }), policy: { throttleBudgetMs: 0, retryDelayMs: 0 } },
  );
  const prefetch = new CallerPrefetch({ orders, prefetchOrders, clock, log });
  const tools = new ToolRegistry(
    buildAgentTools({
      handoff: {
        reasons: Object.values(EscalationReason) as [string, ...string[]],
        canTransferNow: (nowMs) => config.humanTransferNumber !== undefined && isWithinBusinessHours(hours, new Date(nowMs)),
        followUpPhrase: (nowMs) => nextOpening(hours, new Date(nowMs)).phrase,
      },
      orders,
      prefetch,
      knowledge,
      sms,
      returns: config.returns,
      timeZone: config.businessHours.timeZone,
      brandName: config.brandName,
    }),
  );
  const sessionConfig = buildSessionConfig({
    model: config.openai.model,
    instructions: prompts.instructions,
    voice: config.openai.voice,
    turnDetection: config.openai.turnDetection,
    vadSilenceMs: config.openai.vadSilenceMs,
    transcriptionModel: config.openai.transcriptionModel,
    tools: tools.schemasForModel(),
  });
  const encodedSessionUpdate = encodeSessionUpdate(sessionConfig);
  const connectLink = async () => {
    const link = await connectRealtime({ url: endpoints.openai.realtimeUrl, apiKey: endpoints.openai.apiKey, model: config.openai.model, connectTimeoutMs: 1500, log, clock });
    // The session is configured before the stream starts, so the greeting needs no round trip (pre-warm).
    if (link.ok) link.value.send(encodedSessionUpdate);
    return link;
  };

  const voicemail = {
    prompt: `Please leave your name, your order number if you have it, and what you need after the tone. The ${config.brandName} team will call you back.`,
    maxLengthSeconds: 120,
    recordingStatusCallbackUrl: urls.recording,
    actionUrl: urls.voicemailDone,
  };
  const twiml: DeskTwiml = {
    fallback: (to) =>
      buildFallbackTwiml({
        apology: `Sorry, our voice assistant is unavailable right now.${config.humanTransferNumber ? ' Let me connect you to the team.' : ''}`,
        ...(config.humanTransferNumber ? { transferNumber: config.humanTransferNumber, callerId: to, dialActionUrl: urls.dialStatus, dialTimeoutSeconds: 25 } : {}),
        voicemail,
      }),
    transfer: (to) =>
      config.humanTransferNumber ? buildTransferTwiml({ number: config.humanTransferNumber, callerId: to, timeoutSeconds: 25, actionUrl: urls.dialStatus }) : null,
    busy: () => buildRejectTwiml({ message: `Thanks for calling ${config.brandName}. We can't take your call right now.`, voicemail }),
    afterFailedTransfer: () => buildVoicemailTwiml({ ...voicemail, prompt: `Sorry, nobody on the team could pick up. ${voicemail.prompt}` }),
    afterVoicemail: () => buildSayHangupTwiml('Thank you. Goodbye.'),
  };

  const gorgias = createGorgiasClient({ apiUrl: endpoints.gorgias.apiUrl, credentials: endpoints.gorgias.credentials, clock, random: Math.random, log });
  const outbox = createOutboxWorker({
    db: database,
    calls,
    gorgias,
    clock,
    random: Math.random,
    log,
    pollIntervalMs: 1000,
    config: {
      escalation: {
        baseTags: config.gorgias.tags,
        botUserId: endpoints.gorgias.botUserId,
        dashboardUrlBase: `${endpoints.publicUrl}/dashboard`,
        contactReasonFieldId: config.gorgias.contactReasonFieldId ?? null,
        logResolvedCalls: config.gorgias.logResolvedCalls,
      },
    },
  });
  // The escalation job is born with the outcome, in one transaction; waking the worker only shortens the wait.
  const jobOptions = { newId: () => ids.next('job'), deadlineHours: config.outbox.deadlineHours, logResolvedCalls: config.gorgias.logResolvedCalls };
  const recordOutcome = async (callId: string, ending: CallEnding) => {
    const jobs = gorgiasJobsFor(ending, jobOptions);
    const isRecorded = await calls.recordOutcome(callId, ending, jobs);
    if (isRecorded && jobs.length > 0) outbox.wake();
    return isRecorded;
  };
  // A hand-off result that lands after the outcome (dial result, voicemail, recording) becomes a note on the ticket.
  const recordHandoff = async (callSid: string, result: HandoffResult) => {
    const recorded = await calls.recordHandoff(callSid, result, (call) => gorgiasHandoffJobsFor(call, result, jobOptions));
    if (recorded && recorded.jobsWritten > 0) outbox.wake();
  };

  const recorder: CallRecorder & HandoffRecorder = {
    markLive: (callId, streamSid, at) => calls.markLive(callId, streamSid, at),
    appendTurn: (callId, turn) => calls.appendTurn(callId, turn),
    recordUsage: (callId, usage) => calls.recordUsage(callId, usage),
    recordToolCall: (callId, call) => calls.recordToolCall(callId, call),
    recordEvent: (callId, event) => calls.recordEvent(callId, event),
    recordOutcome,
    recordHandoff,
  };

  const desk = new CallDesk({
    calls,
    recorder,
    connectLink,
    control,
    tools,
    prompts,
    twiml,
    settings: {
      maxCallSeconds: config.maxCallSeconds,
      vadSilenceMs: config.openai.vadSilenceMs,
      modelRecoveryMs: 2000,
      wrapUpLeadMs: 30_000,
      exitPlayoutTimeoutMs: 15_000,
      dtmfPauseMs: 3000,
    },
    model: config.openai.model,
    recordCalls: config.recordCalls,
    onRinging: (call) => prefetch.start(call),
    clock,
    ids,
    log,
  });

  // Shutdown drains calls first; whatever connection is still open after that is closed, not waited for.
  const server = Fastify({ logger: false, bodyLimit: 256 * 1024, forceCloseConnections: true });
  await server.register(formbody);
  await server.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/readyz', async (_request, reply) => {
    if (desk.isDraining) return reply.code(503).send({ status: 'draining' });
    try {
      await database.query('select 1');
      return { status: 'ready', liveCalls: desk.liveCalls };
    } catch {
      return reply.code(503).send({ status: 'store_unreachable' });
    }
  });
  registerMetricsEndpoint(server, { liveCalls: () => desk.liveCalls, database, clock });
  const streamTokenSecret = deriveStreamTokenSecret(endpoints.twilio.authToken);
  registerTwilioWebhooks(server, {
    publicUrl: endpoints.publicUrl,
    authToken: endpoints.twilio.authToken,
    streamTokenSecret,
    clock,
    log,
    onIncomingCall: (call) => desk.answer(call),
    onCallStatus: (status) => desk.onCallStatus(status),
    onRecordingStatus: (recording) => desk.onRecordingStatus(recording),
    onDialResult: (result) => desk.onDialResult(result),
    onVoicemailDone: (voicemailDone) => desk.onVoicemailDone(voicemailDone),
  });
  registerMediaStreamRoute(server, {
    publicUrl: endpoints.publicUrl,
    authToken: endpoints.twilio.authToken,
    streamTokenSecret,
    clock,
    log,
    onStream: (stream) => desk.connect(stream),
  });

  let isShutDown = false;
  return {
    server,
    desk,
    database,
    calls,
    async listen() {
      const address = await server.listen({ port: config.port, host: config.host });
      outbox.start();
      return address;
    },
    async shutdown() {
      if (isShutDown) return;
      isShutDown = true;
      await desk.drain(config.drainSeconds * 1000);
      await server.close();
      await outbox.stop();
      knowledge.close();
      if (!options.database) await database.close();
    },
  };
}
