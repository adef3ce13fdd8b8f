/**
 * Working hours: this device co-signs only on the listed weekdays between start (inclusive) and
 * end (exclusive), in the guardian's own zone. retryAt is the next opening.
 */
import { DAY_MS } from './assets.ts';
import { WEEKDAY_NAMES, instantOfWall, localTime } from './localTime.ts';
import type { GuardianPolicy, RuleDenial, WorkingHours } from './types.ts';

/** "09:30" → 570; "24:00" → 1440. Assumes a validated string. */
export function parseHHMM(s: string): number {
  return Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
}

export function isWithinWorkingHours(wh: WorkingHours, ms: number): boolean {
  const { weekday, minuteOfDay } = localTime(ms, wh.zone);
  return wh.days.includes(weekday) && minuteOfDay >= parseHHMM(wh.start) && minuteOfDay < parseHHMM(wh.end);
}

/** The first instant after `now` inside the window, within the next 8 days. */
export function nextOpening(wh: WorkingHours, now: number): number | undefined {
  const { wallMs } = localTime(now, wh.zone);
  const localMidnight = wallMs - (((wallMs % DAY_MS) + DAY_MS) % DAY_MS);
  for (let d = 0; d <= 8; d++) {
    const dayWall = localMidnight + d * DAY_MS;
    if (!wh.days.includes(new Date(dayWall).getUTCDay() as WorkingHours['days'][number])) continue;
    const t = instantOfWall(dayWall + parseHHMM(wh.start) * 60_000, wh.zone);
    if (t <= now) continue; // today's window already passed (we are outside it)
    // Around a DST change the guessed instant can miss the window or land inside it late: walk
    // forward to the first minute inside, then back while the minute before is still inside.
    for (let k = 0; k <= 180; k++) {
      let at = t + k * 60_000;
      if (!isWithinWorkingHours(wh, at)) continue;
      for (let back = 0; back < 180 && at - 60_000 > now && isWithinWorkingHours(wh, at - 60_000); back++) at -= 60_000;
      return at;
    }
  }
  return undefined;
}

export function describeWorkingHours(wh: WorkingHours): string {
  const days = [...wh.days]
    .sort((a, b) => a - b)
    .map((d) => WEEKDAY_NAMES[d])
    .join(', ');
  return `${days} ${wh.start}–${wh.end} (${wh.zone})`;
}

export function checkWorkingHours(policy: GuardianPolicy, now: number): RuleDenial | undefined {
  const wh = policy.workingHours;
  if (!wh || isWithinWorkingHours(wh, now)) return undefined;
  const retryAt = nextOpening(wh, now);
  const message = `Outside your working hours: ${describeWorkingHours(wh)}`;
  return retryAt === undefined ? { rule: 'workingHours', message } : { rule: 'workingHours', message, retryAt };
}
