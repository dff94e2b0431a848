const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Time left as the shopper reads it, precise where it matters: days and hours while there is a
 * lot of it, minutes and seconds in the last hour. Never negative.
 */
export function formatTimeLeft(ms: number): string {
  const left = Math.max(0, Math.ceil(ms / second) * second);
  if (left >= day) {
    const hours = Math.floor((left % day) / hour);
    return `${plural(Math.floor(left / day), 'day', 'days')} ${plural(hours, 'hour', 'hours')}`;
  }
  if (left >= hour) return `${Math.floor(left / hour)} h ${pad(Math.floor((left % hour) / minute))} min`;
  if (left >= minute)
    return `${Math.floor(left / minute)} min ${pad(Math.floor((left % minute) / second))} s`;
  return `${left / second} s`;
}

/**
 * The moments worth telling a screen-reader user about, from the last: a visible countdown
 * changes every second, which nobody wants read out, so only these are announced.
 */
export const countdownMilestones = [
  { beforeMs: 0, message: 'The time to pay has run out.' },
  { beforeMs: minute, message: 'One minute left to pay.' },
  { beforeMs: 5 * minute, message: 'Five minutes left to pay.' },
] as const;

/**
 * The announcement for moving from `previousMs` left to `nowMs` left: the milestone crossed, the
 * latest if several were (a tab asleep in the background), or null.
 */
export function crossedMilestone(previousMs: number, nowMs: number): string | null {
  for (const milestone of countdownMilestones) {
    if (previousMs > milestone.beforeMs && nowMs <= milestone.beforeMs) return milestone.message;
  }
  return null;
}
