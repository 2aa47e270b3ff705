import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

/** How close to the bottom, in CSS pixels, still counts as "at the bottom" (a wheel notch is about 100). */
const AT_BOTTOM_SLACK = 48;

function scrollToBottom(element: HTMLElement): void {
  element.scrollTop = element.scrollHeight;
}

/**
 * Keeps a scrolling element at its bottom while its content grows, unless the user has scrolled up
 * to read something: then it stays where they left it until they scroll back down, or until
 * `resume` changes (the user sent a message: they want to see its reply).
 *
 * It scrolls after every commit in which `content` changed, whatever changed: a new token, but
 * also a reply's status mark or error line appearing when it stops or fails, so the end of the
 * reply never stays hidden below the fold. It also scrolls when the element itself gets shorter
 * (a resized window or prompt box), where the browser has `ResizeObserver`.
 *
 * @param content - Anything that changes when the content does (the messages array: the chat store
 *   makes a new one for every change).
 * @param resume - Anything that changes when the view should follow the bottom again, even if the
 *   user had scrolled up (the id of the last user message).
 * @returns `ref` for the scrolling element and `onScroll` for its scroll events.
 */
export function useStickToBottom<T extends HTMLElement>(content: unknown, resume: unknown) {
  const ref = useRef<T>(null);
  const following = useRef(true);
  const resumedFor = useRef(resume);

  const onScroll = useCallback(() => {
    const element = ref.current;
    if (element === null) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_BOTTOM_SLACK;
  }, []);

  // Before the browser paints: the new content never shows a frame away from the bottom.
  useLayoutEffect(() => {
    if (resume !== resumedFor.current) {
      resumedFor.current = resume;
      following.current = true;
    }
    if (following.current && ref.current !== null) scrollToBottom(ref.current);
  }, [content, resume]);

  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (following.current) scrollToBottom(element);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return { ref, onScroll };
}
