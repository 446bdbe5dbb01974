// The agent's way to finish a call it resolved: the session says goodbye, waits for it to play, then hangs up.
import { z } from 'zod';
import { defineTool } from '../tool-registry.ts';

const endCallInput = z.object({
  summary: z.string().min(3).max(300).describe('One line: what the caller needed and how it was resolved.'),
});

export const endCallTool = defineTool({
  name: 'end_call',
  description:
    'End the call once the caller has what they needed and has said goodbye. Say a short goodbye first; the line closes after it plays.',
  input: endCallInput,
  timeoutMs: 1000,
  async run(input) {
    return {
      output: { status: 'ending', instruction: 'Do not say anything else; the call is ending.' },
      summary: input.summary,
      effects: [{ kind: 'end_call', summary: input.summary }],
    };
  },
});
