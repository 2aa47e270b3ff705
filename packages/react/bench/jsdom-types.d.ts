// The little of jsdom's API the render benchmark uses (jsdom ships no types, and @types/jsdom is
// not a dependency of this workspace).
declare module 'jsdom' {
  export interface ConstructorOptions {
    /** Gives the window `requestAnimationFrame` at 60 Hz and `document.hidden === false`. */
    pretendToBeVisual?: boolean;
    url?: string;
  }
  export class JSDOM {
    constructor(html?: string, options?: ConstructorOptions);
    readonly window: Window & typeof globalThis;
  }
}
