// What the window remembers between sessions on this computer (localStorage): the theme, and the site
// and technician of the job. A browser that refuses storage (private mode, a full disk) just forgets.

export interface Preferences {
  get: <T>(key: string, fallback: T, valid: (v: unknown) => v is T) => T;
  set: (key: string, value: unknown) => void;
}

export function createPreferences(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): Preferences {
  return {
    get(key, fallback, valid) {
      try {
        const raw = storage?.getItem(`dockside.${key}`);
        if (raw == null) return fallback;
        const value: unknown = JSON.parse(raw);
        return valid(value) ? value : fallback;
      } catch {
        return fallback;
      }
    },
    set(key, value) {
      try {
        storage?.setItem(`dockside.${key}`, JSON.stringify(value));
      } catch {
        // Not remembered; the window still works.
      }
    },
  };
}

/** The page's own storage, when it has one it may use. */
export function pageStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
