// Shared by the useChatStream tests: a fake server whose responses the test writes.
import { createControlledResponse, createFakeFetch, type ResponseController } from '@tokenstream/sse-client/testing';

/** A fake server: one controlled response per request, in `responses` (in request order). */
export function scriptedServer() {
  const responses: ResponseController[] = [];
  const fetch = createFakeFetch(() => {
    const response = createControlledResponse();
    responses.push(response);
    return response.response;
  });
  return { fetch, responses };
}
