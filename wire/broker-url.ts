// A broker URL may carry userinfo (`mqtt://user:pass@host`). It is taken apart into username and password
// before connecting, so the URL that is shown, returned and remembered never holds the password; and
// anything that prints a URL it did not clean itself prints it redacted.

/** The fields of a connection's settings a URL's userinfo can fill; wire/ is shared with the simulators, so it names no app type. */
interface LoginFields {
  url: string;
  username?: string;
  password?: string;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Settings whose URL has no userinfo; the URL's username and password fill the fields the technician left
 * empty (typed fields win). A URL that does not parse is left to the connect step to refuse.
 */
export function takeUserinfo<Settings extends LoginFields>(settings: Settings): Settings {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    return settings;
  }
  if (!url.username && !url.password) return settings;
  const username = settings.username || decoded(url.username) || undefined;
  const password = settings.password || decoded(url.password) || undefined;
  url.username = '';
  url.password = '';
  return { ...settings, url: url.href.replace(/\/$/, ''), ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** The URL fit to print: the password, if any, removed (the username stays, it helps to tell brokers apart). */
export function redactBrokerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL: still never echo what sits between "//" and "@".
    return text.replace(/\/\/[^/?#\s]*@/g, '//***@');
  }
  if (!url.password) return text;
  url.password = '';
  const clean = url.href;
  return text.endsWith('/') ? clean : clean.replace(/\/$/, '');
}
