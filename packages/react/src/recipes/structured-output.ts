import { createPartialJSONParser, openAIChatProtocol, streamTokens } from '@tokenstream/sse-client';

const schema = {
  name: 'city',
  schema: {
    type: 'object',
    properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['name', 'tags'],
    additionalProperties: false,
  },
  strict: true,
};

// Structured output: the model streams JSON as text. Show the object as it fills in (each value a
// frozen object that keeps the identity of what did not change), and return the complete one.
export async function describeCity(city: string, show: (partial: unknown) => void, signal?: AbortSignal): Promise<unknown> {
  const parser = createPartialJSONParser();
  const stream = streamTokens('/v1/chat/completions', {
    protocol: openAIChatProtocol,
    body: {
      model: 'gpt-4.1-mini',
      stream: true,
      messages: [{ role: 'user', content: `Describe ${city}.` }],
      response_format: { type: 'json_schema', json_schema: schema },
    },
    signal,
  });
  for await (const token of stream) {
    parser.push(token);
    show(parser.value);
  }
  return parser.end(); // equals JSON.parse of the whole text; a PartialJSONError if it is not JSON
}
