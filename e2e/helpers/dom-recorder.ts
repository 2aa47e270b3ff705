// Samples the page's DOM while a reply streams: a MutationObserver in the page records a snapshot
// of chosen fields after every change, so a test can prove what was on screen before the reply
// ended (partial text, a reasoning block still open, tool arguments still filling in) without
// polling or sleeping.
import type { Page } from 'playwright-core';

/** Where to read one field of a snapshot: the last element matching `selector`, its text or an attribute. */
export interface FieldSource {
  readonly selector: string;
  /** Read this attribute instead of the text (`textContent`). */
  readonly attribute?: string;
}

/** One snapshot: each field's value (`null` when its element is absent), and `at` (ms since recording began). */
export type Snapshot<K extends string> = Record<K, string | null> & { readonly at: number };

interface RecorderWindow {
  __e2eSnapshots?: Record<string, string | null>[];
  __e2eObserver?: MutationObserver;
}

/**
 * Starts recording: from now on, each DOM change that alters one of `fields` adds a snapshot
 * (the first one is taken at once). A new call replaces the previous recording.
 */
export async function startRecording<K extends string>(page: Page, fields: Record<K, FieldSource>): Promise<void> {
  await page.evaluate((sources: Record<string, FieldSource>) => {
    const target = window as unknown as RecorderWindow;
    target.__e2eObserver?.disconnect();
    const snapshots: Record<string, string | null>[] = [];
    target.__e2eSnapshots = snapshots;
    const started = performance.now();
    const read = (source: FieldSource): string | null => {
      const all = document.querySelectorAll(source.selector);
      const element = all[all.length - 1];
      if (element === undefined) return null;
      return source.attribute === undefined ? element.textContent : element.getAttribute(source.attribute);
    };
    const take = (): void => {
      const snapshot: Record<string, string | null> = {};
      for (const [name, source] of Object.entries(sources)) snapshot[name] = read(source);
      const previous = snapshots[snapshots.length - 1];
      if (previous !== undefined && Object.keys(sources).every((name) => previous[name] === snapshot[name])) return;
      snapshots.push({ ...snapshot, at: String(Math.round(performance.now() - started)) });
    };
    target.__e2eObserver = new MutationObserver(take);
    target.__e2eObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    take();
  }, fields as Record<string, FieldSource>);
}

/** Stops recording and returns the snapshots, oldest first. */
export async function stopRecording<K extends string>(page: Page): Promise<Snapshot<K>[]> {
  const raw = await page.evaluate(() => {
    const target = window as unknown as RecorderWindow;
    target.__e2eObserver?.disconnect();
    return target.__e2eSnapshots ?? [];
  });
  return raw.map((snapshot) => ({ ...snapshot, at: Number(snapshot['at']) })) as Snapshot<K>[];
}
