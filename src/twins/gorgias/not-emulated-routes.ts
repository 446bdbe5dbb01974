// Endpoints Gorgias has (gorgias-rest-api.md, 1.1) that the twin does not emulate: they answer 501 so a test
// that reaches one fails loudly instead of passing on a made-up answer.
import { ERROR_MESSAGES, errorReply } from './api-reply.ts';
import type { HttpMethod, Route } from './route-table.ts';

const NOT_EMULATED: readonly [HttpMethod, string][] = [
  ['PUT', '/api/custom-fields'],
  ['GET', '/api/customers/:customerId/custom-fields'],
  ['PUT', '/api/customers/:customerId/custom-fields'],
  ['PUT', '/api/customers/:customerId/custom-fields/:fieldId'],
  ['DELETE', '/api/customers/:customerId/custom-fields/:fieldId'],
  ['PUT', '/api/tags/:tagId/merge'],
  ['POST', '/api/users'],
  ['PUT', '/api/users/:userId'],
  ['DELETE', '/api/users/:userId'],
  ['POST', '/api/teams'],
  ['PUT', '/api/teams/:teamId'],
  ['DELETE', '/api/teams/:teamId'],
  ['GET', '/api/widgets'],
  ['POST', '/api/widgets'],
  ['GET', '/api/widgets/:widgetId'],
  ['PUT', '/api/widgets/:widgetId'],
  ['DELETE', '/api/widgets/:widgetId'],
  ['GET', '/api/phone/voice-calls'],
  ['GET', '/api/phone/voice-calls/:callId'],
  ['GET', '/api/phone/voice-call-events'],
  ['GET', '/api/phone/voice-call-events/:eventId'],
  ['GET', '/api/phone/voice-call-recordings'],
  ['GET', '/api/phone/voice-call-recordings/:recordingId'],
  ['DELETE', '/api/phone/voice-call-recordings/:recordingId'],
  ['POST', '/api/upload'],
  ['GET', '/api/account/settings'],
  ['GET', '/api/macros'],
  ['GET', '/api/rules'],
  ['GET', '/api/views'],
  ['GET', '/api/jobs'],
  ['GET', '/api/satisfaction-surveys'],
];

export const notEmulatedRoutes: readonly Route[] = NOT_EMULATED.map(([method, pattern]) => ({
  method,
  pattern,
  scope: null,
  handle: () => errorReply(501, ERROR_MESSAGES.notEmulated),
}));
