// Micro-benchmark of the Realtime codec's hot path: parsing audio deltas and encoding audio appends.
// Run: node_modules/.bin/node test/bench/realtime-codec.bench.ts (prints ns per operation; not part of the test run).
import { encodeAppendAudio, parseRealtimeEvent } from '../../src/voice/realtime-codec.ts';

const ROUNDS = 7;
const OPERATIONS_PER_ROUND = 100_000;

function audioDeltaFrame(durationMs: number): string {
  // µ-law is 8 bytes per ms (openai-realtime.md, 2, note A).
  const audio = Buffer.alloc(durationMs * 8, 0x7f).toString('base64');
  return JSON.stringify({
    type: 'response.output_audio.delta',
    event_id: 'event_CkL2pQ9x1mVb7sTz',
    response_id: 'resp_CkL2pQ9x1mVb7sTz',
    item_id: 'item_CkL2pQ9x1mVb7sTz',
    output_index: 0,
    content_index: 0,
    delta: audio,
  });
}

/** Median ns per call over several rounds, after a warm-up round. */
function measureNs(operation: () => number): number {
  let sink = 0;
  for (let i = 0; i < OPERATIONS_PER_ROUND; i++) sink += operation();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const startedNs = process.hrtime.bigint();
    for (let i = 0; i < OPERATIONS_PER_ROUND; i++) sink += operation();
    rounds.push(Number(process.hrtime.bigint() - startedNs) / OPERATIONS_PER_ROUND);
  }
  if (sink === -1) console.log('unreachable');
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)] ?? Number.NaN;
}

const rows: Array<{ case: string; frameChars: number; nsPerOp: number }> = [];

for (const durationMs of [20, 100, 500]) {
  const frame = audioDeltaFrame(durationMs);
  rows.push({
    case: `JSON.parse only, ${durationMs} ms delta`,
    frameChars: frame.length,
    nsPerOp: measureNs(() => (JSON.parse(frame) as { delta: string }).delta.length),
  });
  rows.push({
    case: `parseRealtimeEvent, ${durationMs} ms delta`,
    frameChars: frame.length,
    nsPerOp: measureNs(() => {
      const result = parseRealtimeEvent(frame);
      return result.ok && result.value.type === 'audioDelta' ? result.value.audioBase64.length : 0;
    }),
  });
}

const twilioFrame = Buffer.alloc(160, 0xff).toString('base64');
rows.push({
  case: 'encodeAppendAudio, 20 ms frame (flattened as ws.send does)',
  frameChars: encodeAppendAudio(twilioFrame).length,
  nsPerOp: measureNs(() => Buffer.byteLength(encodeAppendAudio(twilioFrame))),
});

console.table(rows.map((row) => ({ ...row, nsPerOp: Math.round(row.nsPerOp) })));
