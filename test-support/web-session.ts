// How a local tool (a test, a script) drives the web host's API: it reads this start's session token
// from the page at `/`, as the window does, and offers it as a WebSocket subprotocol.
import WebSocket from 'ws';
import { API_SUBPROTOCOL, SESSION_META_NAME, SESSION_SUBPROTOCOL_PREFIX } from '../preload/api';

export async function sessionOfPage(pageUrl: string): Promise<string> {
  const html = await (await fetch(pageUrl)).text();
  const token = new RegExp(`<meta name="${SESSION_META_NAME}" content="([0-9a-f]+)">`).exec(html)?.[1];
  if (!token) throw new Error(`no session token in the page at ${pageUrl}`);
  return token;
}

/** One contract call over a fresh socket: resolves with the frame answering it ({id, res} or {id, error}). */
export async function callOverSocket(pageUrl: string, name: string, req: unknown): Promise<{ res?: unknown; error?: { code: string; message: string } }> {
  const token = await sessionOfPage(pageUrl);
  const ws = new WebSocket(`${pageUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/api/ws`, [API_SUBPROTOCOL, `${SESSION_SUBPROTOCOL_PREFIX}${token}`]);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ v: 1, id: 1, call: name, req })));
    // Stream batches may arrive first (connection, devices): wait for the frame answering our id.
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: unknown; res?: unknown; error?: { code: string; message: string } };
      if (frame.id !== 1) return;
      ws.close();
      resolve(frame);
    });
  });
}
