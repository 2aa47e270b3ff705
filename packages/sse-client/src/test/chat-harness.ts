// Shared pieces of the chat store's tests: a fake server whose responses the test writes, and a
// recorder of the snapshots the listeners were notified of.
import type { ChatSnapshot, ChatStore } from '../index.js';
import { createControlledResponse, createFakeFetch, type ResponseController } from '../testing/index.js';

/** A fake server whose responses the test writes, one per request, in `responses` (in request order). */
export function scriptedServer() {
  const responses: ResponseController[] = [];
  const fetch = createFakeFetch(() => {
    const response = createControlledResponse();
    responses.push(response);
    return response.response;
  });
  return {
    fetch,
    responses,
    /** The controller of request `index`, once it has been made. */
    async response(index = 0): Promise<ResponseController> {
      await fetch.waitForRequest(index);
      return responses[index]!;
    },
  };
}

/** Every snapshot the store notified its listeners of, in order. */
export function track(store: ChatStore): ChatSnapshot[] {
  const snapshots: ChatSnapshot[] = [];
  store.subscribe(() => snapshots.push(store.getSnapshot()));
  return snapshots;
}

/** The last message of the store's conversation. */
export function lastMessage(store: ChatStore) {
  return store.getSnapshot().messages.at(-1);
}
