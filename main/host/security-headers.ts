// The web host's response headers, one small named rule each, composed in one list: the policy reads at
// a glance. The Electron window has its own list in main/electron/window-policy.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HeaderRule {
  name: string;
  apply: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A Host header worth echoing into the CSP; anything odd is left out rather than trusted. */
function safeHost(host: string | undefined): string | undefined {
  return host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : undefined;
}

/** The page's own origin only; the API socket is named explicitly for browsers whose 'self' skips ws:. */
export function contentSecurityPolicy(host?: string): string {
  const ws = safeHost(host);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${ws ? ` ws://${ws}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const cspHeader: HeaderRule = {
  name: 'content security policy',
  apply: (req, res) => res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host)),
};

export const noSniff: HeaderRule = {
  name: 'no MIME sniffing',
  apply: (_req, res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
};

export const noReferrer: HeaderRule = {
  name: 'no referrer',
  apply: (_req, res) => res.setHeader('Referrer-Policy', 'no-referrer'),
};

export const noFraming: HeaderRule = {
  name: 'no framing (for browsers without frame-ancestors)',
  apply: (_req, res) => res.setHeader('X-Frame-Options', 'DENY'),
};

export const sameOriginResources: HeaderRule = {
  name: 'resources and windows stay same-origin',
  apply: (_req, res) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  },
};

export const noPowerfulFeatures: HeaderRule = {
  name: 'no camera, microphone or location',
  apply: (_req, res) => res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=()'),
};

export const SECURITY_HEADERS: readonly HeaderRule[] = [cspHeader, noSniff, noReferrer, noFraming, sameOriginResources, noPowerfulFeatures];

export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, rules: readonly HeaderRule[] = SECURITY_HEADERS): void {
  for (const rule of rules) rule.apply(req, res);
}
