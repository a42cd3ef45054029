// How the UI writes the API's vocabulary: money from integer cents (integer arithmetic
// only, never floating point), instants shown in a named IANA zone, minutes as hours.

/** 123456 -> "$1,234.56"; -5 -> "-$0.05". */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const dollars = Math.trunc(abs / 100);
  const rest = abs % 100;
  const grouped = String(dollars).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${String(rest).padStart(2, '0')}`;
}

/**
 * "52", "52.5", "$1,052.05" -> cents (5200, 5250, 105205) without floating point;
 * null when the text is not an amount of dollars with at most two decimals.
 */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{0,2}))?\s*$/.exec(text);
  if (!m?.[1]) return null;
  const dollars = Number(m[1].replaceAll(',', ''));
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  const total = dollars * 100 + cents;
  return Number.isSafeInteger(total) ? total : null;
}

/** 450 -> "7.50 h" (exact to the minute: 7 h 30 min is 7.50). */
export function formatHours(minutes: number): string {
  const whole = Math.trunc(minutes / 60);
  const hundredths = Math.round(((minutes % 60) * 100) / 60);
  return `${whole}.${String(hundredths).padStart(2, '0')} h`;
}

/** 90 -> "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const h = Math.trunc(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withZone: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
      minute: '2-digit', hourCycle: 'h23', ...(withZone ? { timeZoneName: 'short' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** An instant as wall-clock time in `timeZone`, e.g. "Mon, Nov 30, 2026, 07:00 CST". */
export function formatInZone(at: string | null | undefined, timeZone: string, withZone = true): string {
  if (!at) return '—';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  try {
    return formatter(timeZone, withZone).format(date);
  } catch {
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** Only the time of day in `timeZone`, "19:05". */
export function formatTimeInZone(at: string | null | undefined, timeZone: string): string {
  if (!at) return '—';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** "2026-11-01T07:00" (a facility-local wall time from the API) -> "Sun, Nov 1, 2026, 07:00". */
export function formatLocal(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const [, y, mo, d, h, mi] = m;
  // A UTC date only to name the weekday and month of that calendar day.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const text = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric',
  }).format(day);
  return `${text}, ${h}:${mi}`;
}

/** The wall-clock "YYYY-MM-DDTHH:MM" of an instant in `timeZone` (for datetime-local inputs). */
export function localInputValue(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * The instant of the wall-clock time "YYYY-MM-DDTHH:MM" in `timeZone`, as RFC 3339 UTC; null
 * for text that is not such a time. In a fall-back hour the earlier instant is chosen; a time
 * in the spring-forward gap moves forward by the gap (the server re-checks every time).
 */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Offset of the zone at an instant, in ms: local wall time read back as if it were UTC.
  const offsetAt = (t: number) => {
    const text = localInputValue(new Date(t), timeZone);
    const p = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
    if (!p) return 0;
    return Date.UTC(Number(p[1]), Number(p[2]) - 1, Number(p[3]), Number(p[4]), Number(p[5])) - t;
  };
  // Try the offsets in force a day either side; keep the earliest instant that reads back right.
  const candidates = [offsetAt(wall - 86_400_000), offsetAt(wall + 86_400_000)]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  for (const t of candidates) {
    if (localInputValue(new Date(t), timeZone) === local) return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const later = candidates[candidates.length - 1];
  return later === undefined ? null : new Date(later).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 2034 -> "2.0 km", 140 -> "140 m". */
export function formatDistance(meters: number | null | undefined): string {
  if (meters === null || meters === undefined) return 'no location';
  if (meters < 1000) return `${meters} m`;
  return `${(meters / 1000).toFixed(1)} km`;
}

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD" (NaN if it is not one). */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** The calendar date `days` after `date` ("YYYY-MM-DD"). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** "2026-11-01" -> "Sun, Nov 1, 2026" (a calendar date, no time zone involved). */
export function formatDate(date: string): string {
  const day = dayNumber(date);
  if (Number.isNaN(day)) return date;
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric',
  }).format(new Date(day * 86_400_000));
}
