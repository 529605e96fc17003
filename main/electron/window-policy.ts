// The Electron window's security policy, one small named rule each (after vite-electron-builder), so a
// reviewer reads the whole policy in WINDOW_RULES at a glance.
import { contentSecurityPolicy } from '../host/security-headers';
import type { WebContentsLike } from './electron-surface';

export interface WindowRule {
  name: string;
  apply: (contents: WebContentsLike, isAllowedUrl: (url: string) => boolean) => void;
}

/** Only the app's own pages: the built renderer folder (file://) and, in development, the dev server. */
export function allowedOrigins(prefixes: readonly string[]): (url: string) => boolean {
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.username || parsed.password) return false;
    return prefixes.some((prefix) => parsed.href.startsWith(prefix));
  };
}

export const blockNavigation: WindowRule = {
  name: 'block navigation away from the app',
  apply(contents, isAllowedUrl) {
    const guard = (event: { preventDefault: () => void }, url: string) => {
      if (!isAllowedUrl(url)) event.preventDefault();
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
  },
};

export const denyNewWindows: WindowRule = {
  name: 'deny new windows',
  apply(contents) {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  },
};

export const denyWebviews: WindowRule = {
  name: 'deny <webview>',
  apply(contents) {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  },
};

export const denyPermissions: WindowRule = {
  name: 'deny permission requests (camera, location, notifications from the page…)',
  apply(contents) {
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    contents.session.setPermissionCheckHandler(() => false);
  },
};

/** The same policy the web host sends, with no socket: the window talks to main over IPC only. */
export const ELECTRON_CSP = contentSecurityPolicy();

export const cspHeader: WindowRule = {
  name: 'content security policy header',
  apply(contents) {
    contents.session.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
    });
  },
};

export const WINDOW_RULES: readonly WindowRule[] = [blockNavigation, denyNewWindows, denyWebviews, denyPermissions, cspHeader];

export function applyWindowRules(contents: WebContentsLike, isAllowedUrl: (url: string) => boolean, rules: readonly WindowRule[] = WINDOW_RULES): void {
  for (const rule of rules) rule.apply(contents, isAllowedUrl);
}
