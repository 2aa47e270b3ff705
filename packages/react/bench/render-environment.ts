// The browser the render benchmark runs in: a jsdom window with real animation frames (60 Hz), its
// globals installed before React loads, and React's production build. Import this module first.
import { JSDOM } from 'jsdom';

// React picks its build when it is first loaded: measure the production build users ship.
process.env.NODE_ENV = 'production';

const dom = new JSDOM('<!doctype html><html><body></body></html>', {
  pretendToBeVisual: true,
  url: 'http://localhost/',
});
const { window } = dom;

/** Only the DOM: Node's own fetch, streams, timers, `performance` and `MessageChannel` stay. */
const browserGlobals = {
  window,
  document: window.document,
  navigator: window.navigator,
  requestAnimationFrame: window.requestAnimationFrame.bind(window),
  cancelAnimationFrame: window.cancelAnimationFrame.bind(window),
  MutationObserver: window.MutationObserver,
  Node: window.Node,
  Element: window.Element,
  HTMLElement: window.HTMLElement,
  HTMLIFrameElement: window.HTMLIFrameElement,
  Event: window.Event,
};
for (const [name, value] of Object.entries(browserGlobals)) {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

/**
 * Counts animation frames: while running, one `requestAnimationFrame` callback is always pending,
 * so `frames` goes up by one at every frame (about every 16.7 ms).
 */
export const frameClock = {
  frames: 0,
  running: false,
  handle: 0,
  start(): void {
    this.frames = 0;
    this.running = true;
    const tick = (): void => {
      if (!this.running) return;
      this.frames += 1;
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  },
  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.handle);
  },
};
