/**
 * Wall-clock time in a guardian's zone: an IANA zone through Intl (DST-aware) or a fixed offset
 * "+05:30". Pure: depends only on the instant and the zone (and the runtime's tz database).
 */
import type { Weekday } from './types.ts';

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** Minutes east of UTC for a "+HH:MM"/"-HH:MM" zone within ±14:00, else undefined. */
export function parseFixedOffset(zone: string): number | undefined {
  const m = FIXED_OFFSET.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59 || minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for a fixed offset or a zone name this runtime knows, in its canonical spelling. */
export function isValidZone(zone: string): boolean {
  if (FIXED_OFFSET.test(zone)) return parseFixedOffset(zone) !== undefined;
  try {
    return formatter(zone).resolvedOptions().timeZone === zone;
  } catch {
    return false;
  }
}

const mod = (a: number, b: number) => ((a % b) + b) % b;

/** Local wall clock minus UTC at instant `ms`, in ms. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const fixed = parseFixedOffset(zone);
  if (fixed !== undefined) return fixed * 60_000;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return wall - (ms - mod(ms, 1000));
}

export type LocalTime = { weekday: Weekday; minuteOfDay: number /** wall clock as if it were UTC */; wallMs: number };

export function localTime(ms: number, zone: string): LocalTime {
  const wallMs = ms + zoneOffsetMs(ms, zone);
  const d = new Date(wallMs);
  return { weekday: d.getUTCDay() as Weekday, minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(), wallMs };
}

/** The instant whose wall clock in `zone` reads `wallMs` (best effort inside DST gaps/folds). */
export function instantOfWall(wallMs: number, zone: string): number {
  const first = wallMs - zoneOffsetMs(wallMs, zone);
  return wallMs - zoneOffsetMs(first, zone);
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
