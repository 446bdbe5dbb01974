// Nobody but Twilio, for a call it announced, can open a media stream, and a stream that fails the checks never
// opens a model session (and so never spends the OpenAI key).
import twilio from 'twilio';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { startTestBridge } from '../support/test-bridge.ts';

function openStream(url: string, signature: string | undefined): Promise<{ status: number | null; socket: WebSocket | null }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, signature ? { headers: { 'x-twilio-signature': signature } } : {});
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? null, socket: null }));
    socket.once('error', () => resolve({ status: null, socket: null }));
  });
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('media stream security', () => {
  it('refuses an unsigned upgrade with 403 before any socket opens', async () => {
    const bridge = await startTestBridge();
    const streamUrl = `${bridge.publicUrl.replace('http', 'ws')}/twilio/media`;
    expect((await openStream(streamUrl, undefined)).status).toBe(403);
    expect((await openStream(streamUrl, 'bm90LWEtc2lnbmF0dXJl')).status).toBe(403);
    expect(bridge.realtime.connections()).toHaveLength(0);
  });

  it('closes a signed stream whose token was not minted for its call, without opening a model session', async () => {
    const bridge = await startTestBridge();
    const streamUrl = `${bridge.publicUrl.replace('http', 'ws')}/twilio/media`;
    const signature = twilio.getExpectedTwilioSignature(bridge.authToken, streamUrl, {});
    const { socket } = await openStream(streamUrl, signature);
    const code = closed(socket!);
    const callSid = 'CA0123456789abcdef0123456789abcdef';
    socket!.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    socket!.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: 'MZ0123456789abcdef0123456789abcdef',
        start: {
          accountSid: 'AC0123456789abcdef0123456789abcdef',
          streamSid: 'MZ0123456789abcdef0123456789abcdef',
          callSid,
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          customParameters: { token: `v1.${callSid}.9999999999999.forged`, callId: 'call_x', from: '+14155550100', to: '+18005550199' },
        },
      }),
    );
    expect(await code).toBe(1008);
    expect(bridge.realtime.connections()).toHaveLength(0);
    expect(bridge.app.desk.liveCalls).toBe(0);
  });
});
