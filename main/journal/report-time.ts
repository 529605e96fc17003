// Times in the report are the customer's: local to one named time zone ("Europe/Berlin, UTC+01:00"),
// written the same way everywhere ("2026-12-05 14:02:11"). The window sends its own zone; the CLI and a
// request without one use the host's.

export interface ReportClock {
  /** The IANA zone, e.g. "Europe/Berlin". */
  zone: string;
  /** "2026-12-05 14:02:11" */
  stamp: (ms: number) => string;
  /** "2026-12-05" */
  day: (ms: number) => string;
  /** "14:02" */
  minutes: (ms: number) => string;
  /** "14:02:11" */
  seconds: (ms: number) => string;
  /** The zone's offset at that instant: "UTC+01:00", "UTC". */
  offset: (ms: number) => string;
  /** The same in ms (local time minus UTC). */
  offsetMs: (ms: number) => number;
  /** "Europe/Berlin (UTC+01:00)" */
  zoneWords: (ms: number) => string;
}

export class ReportTimeZoneError extends Error {
  override name = 'ReportTimeZoneError';
}

export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function reportClock(timeZone: string = hostTimeZone()): ReportClock {
  let parts: Intl.DateTimeFormat;
  let named: Intl.DateTimeFormat;
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    named = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' });
  } catch {
    throw new ReportTimeZoneError(`unknown time zone "${timeZone}" (use an IANA name, e.g. Europe/Berlin)`);
  }
  const zone = timeZone;
  const fields = (ms: number) => Object.fromEntries(parts.formatToParts(new Date(ms)).map((p) => [p.type, p.value])) as Record<string, string>;
  const day = (f: Record<string, string>) => `${f.year}-${f.month}-${f.day}`;
  const offset = (ms: number) => {
    const name = named.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return name === 'GMT' ? 'UTC' : name.replace(/^GMT/, 'UTC');
  };
  return {
    zone,
    stamp: (ms) => {
      const f = fields(ms);
      return `${day(f)} ${f.hour}:${f.minute}:${f.second}`;
    },
    day: (ms) => day(fields(ms)),
    minutes: (ms) => {
      const f = fields(ms);
      return `${f.hour}:${f.minute}`;
    },
    seconds: (ms) => {
      const f = fields(ms);
      return `${f.hour}:${f.minute}:${f.second}`;
    },
    offset,
    offsetMs: (ms) => {
      const m = /^UTC([+-])(\d{2}):(\d{2})$/.exec(offset(ms));
      return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
    },
    zoneWords: (ms) => `${zone} (${offset(ms)})`,
  };
}
