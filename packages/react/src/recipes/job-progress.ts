import { fetchEventStream } from '@tokenstream/sse-client';

// Progress events of a long job (any event stream, not only tokens): `event: progress` with
// `{"percent": ...}`, then `event: done`. The server numbers its events (`id`), so a dropped
// connection is resumed after the last one received (a `Last-Event-ID` header).
export async function watchJob(id: string, onProgress: (percent: number) => void, signal?: AbortSignal): Promise<void> {
  const events = fetchEventStream(`/jobs/${encodeURIComponent(id)}/progress`, { method: 'GET', signal, reconnect: true });
  for await (const event of events) {
    if (event.type === 'progress') onProgress((JSON.parse(event.data) as { percent: number }).percent);
    if (event.type === 'done') return; // ends the loop, and closes the connection
  }
  throw new Error('The progress stream ended before the job did');
}
