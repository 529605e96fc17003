// The web host's session token as the window holds it: read from the meta element the host wrote into
// index.html, and read again from a fresh copy of `/` when the host restarted with a new one.
import { SESSION_META_NAME } from '../preload/api';

export interface SessionSource {
  token: () => string;
  /** Fetches the page again and takes its token; the old one stays when that fails. */
  renew: () => Promise<void>;
}

const META = new RegExp(`<meta name="${SESSION_META_NAME}" content="([0-9a-f]+)">`);

export function sessionFromHtml(html: string): string | undefined {
  return META.exec(html)?.[1];
}

export function sessionFromDocument(doc: Pick<Document, 'querySelector'>): string {
  return doc.querySelector<HTMLMetaElement>(`meta[name="${SESSION_META_NAME}"]`)?.content ?? '';
}

export function createSessionSource(initial: string, fetchPage: () => Promise<string>): SessionSource {
  let current = initial;
  return {
    token: () => current,
    async renew() {
      try {
        current = sessionFromHtml(await fetchPage()) ?? current;
      } catch {
        // The host is still away: the next reconnect tries again.
      }
    },
  };
}
