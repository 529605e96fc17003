import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { NavigationEvent, WebContentsLike, WebRequestHeadersDetails } from './electron-surface';
import { allowedOrigins, applyWindowRules, WINDOW_RULES } from './window-policy';

/** Electron's WebContents is an EventEmitter with a few setters; this stands in for it in plain Node. */
function contentsStandIn() {
  const emitter = new EventEmitter();
  const handlers: {
    open?: (d: { url: string }) => { action: string };
    permission?: (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    check?: (c: unknown, p: string) => boolean;
    headers?: (d: WebRequestHeadersDetails, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;
  } = {};
  const contents = {
    on: (event: string, listener: (...args: any[]) => void) => emitter.on(event, listener),
    setWindowOpenHandler: (h: typeof handlers.open) => (handlers.open = h),
    send: () => undefined,
    isDestroyed: () => false,
    session: {
      setPermissionRequestHandler: (h: typeof handlers.permission) => (handlers.permission = h),
      setPermissionCheckHandler: (h: typeof handlers.check) => (handlers.check = h),
      webRequest: { onHeadersReceived: (h: typeof handlers.headers) => (handlers.headers = h) },
    },
  } as unknown as WebContentsLike;
  const navigate = (event: string, url: string) => {
    let prevented = false;
    const e: NavigationEvent = { preventDefault: () => (prevented = true) };
    emitter.emit(event, e, url);
    return prevented;
  };
  return { contents, handlers, navigate };
}

const RENDERER = 'file:///opt/Dockside/resources/app.asar/dist/renderer/';
const isAllowed = allowedOrigins([RENDERER]);

describe('allowedOrigins', () => {
  it.each([
    [`${RENDERER}index.html#/devices`, true],
    ['file:///opt/Dockside/resources/app.asar/dist/renderer-evil/index.html', false],
    ['file:///etc/passwd', false],
    ['https://example.test/', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => expect(isAllowed(url)).toBe(allowed));
});

describe('the window rules', () => {
  it('names each rule', () => {
    expect(WINDOW_RULES.map((r) => r.name)).toHaveLength(new Set(WINDOW_RULES.map((r) => r.name)).size);
  });

  it('block navigation and redirects away from the app but not within it', () => {
    const w = contentsStandIn();
    applyWindowRules(w.contents, isAllowed);
    expect(w.navigate('will-navigate', 'https://example.test/phish')).toBe(true);
    expect(w.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(w.navigate('will-navigate', `${RENDERER}index.html#/log`)).toBe(false);
    expect(w.navigate('will-attach-webview', '')).toBe(true);
  });

  it('deny new windows and every permission, and put the CSP on responses', () => {
    const w = contentsStandIn();
    applyWindowRules(w.contents, isAllowed);
    expect(w.handlers.open?.({ url: 'https://example.test/' })).toEqual({ action: 'deny' });
    const answers: boolean[] = [];
    w.handlers.permission?.(null, 'media', (g) => answers.push(g));
    expect(answers).toEqual([false]);
    expect(w.handlers.check?.(null, 'geolocation')).toBe(false);
    let headers: Record<string, string[]> | undefined;
    w.handlers.headers?.({ url: RENDERER, responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    // Nothing from elsewhere: no script, style, frame or socket but the app's own, no plugin, no framing.
    const csp =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [csp] });
  });
});
