import {
  createChatStore,
  lastAssistantMessageIsCompleteWithToolCalls,
  openAIChatProtocol,
  toOpenAIChatMessages,
  type ChatStore,
  type ToolCallPart,
} from '@tokenstream/sse-client';

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The current weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

// A chat with an OpenAI-compatible endpoint (your server relays it to the provider and adds the
// key), whose model may call a tool that runs here, in the client. The tool's result goes back to
// the model on its own, once every call of the reply has one.
export function createWeatherChat(getWeather: (city: string) => Promise<string>): ChatStore {
  async function run(call: ToolCallPart): Promise<void> {
    const { city } = call.input as { city: string };
    try {
      chat.addToolResult({ toolCallId: call.toolCallId, output: await getWeather(city) });
    } catch (error) {
      chat.addToolResult({ toolCallId: call.toolCallId, errorText: String(error) });
    }
  }

  const chat = createChatStore({
    url: '/v1/chat/completions',
    protocol: openAIChatProtocol,
    body: ({ messages }) => ({ model: 'gpt-4.1-mini', stream: true, tools, messages: toOpenAIChatMessages(messages) }),
    onToolCall: (call) => {
      if (call.toolName === 'get_weather') void run(call);
    },
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
  });
  return chat;
}
