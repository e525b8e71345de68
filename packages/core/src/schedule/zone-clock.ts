/** Formats showing an instant's wall-clock fields in a zone, one per zone (creating one is slow). */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(zone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (wallFormats.size >= 1000) wallFormats.clear();
    wallFormats.set(zone, format);
  }
  return format;
}

/**
 * Names of UTC itself (lowercase), each with the short name Intl gives it. They are answered
 * without Intl: its first use with a time zone loads megabytes of ICU data, which a worker whose
 * schedules all run in UTC (the default) need not pay for.
 */
export const UTC_ZONES: ReadonlyMap<string, string> = new Map([
  ...['utc', 'gmt', 'etc/utc', 'etc/gmt', 'uct', 'etc/uct', 'zulu', 'etc/zulu', 'universal', 'etc/universal', 'gmt0', 'gmt+0', 'gmt-0'].map(
    (name) => [name, 'UTC'] as const,
  ),
  ...['etc/gmt0', 'etc/gmt+0', 'etc/gmt-0', 'greenwich', 'etc/greenwich'].map((name) => [name, 'GMT'] as const),
]);

/**
 * Whether the runtime's Intl data knows `zone` as an IANA name, such as `'Europe/Berlin'`,
 * `'UTC'` or `'Etc/GMT+5'`. Bare offsets (`'+05:30'`), which newer runtimes also accept, are not
 * zones here: they have no DST rules and would hide a typo.
 */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '' || /^[+\-\d]/.test(zone)) return false;
  if (UTC_ZONES.has(zone.toLowerCase()) || wallFormats.has(zone)) return true;
  try {
    wallFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC offset (ms, to the second) of a zone at an instant, from the runtime's IANA data: the
 * wall clock Intl shows, read back as if it were UTC, minus the instant.
 */
export function zoneOffset(zone: string, instant: number): number {
  if (UTC_ZONES.has(zone.toLowerCase())) return 0;
  const at = Math.floor(instant / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of wallFormat(zone).formatToParts(at)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value) % 24; break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
      case 'era': bc = /^b/i.test(part.value); break;
      default:
    }
  }
  const wall = new Date(0);
  wall.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  return wall.getTime() - at;
}

/** How far apart offsets are probed: no IANA zone changes offset twice within this span. */
const STEP_MS = 6 * 3_600_000;
/** Offsets never exceed this in either direction, so a wall time's instants lie within it. */
const REACH_MS = 18 * 3_600_000;
/** Asked about an instant this far outside what is known, start afresh rather than walk there. */
const JUMP_MS = 7 * 86_400_000;

/** A span of instants `[start, end)` during which the zone's UTC offset stays `offset` (ms). */
interface Segment {
  start: number;
  end: number;
  offset: number;
}

/**
 * Maps between instants and a zone's wall-clock time ("wall" = the local date and time written
 * as if it were UTC, in epoch milliseconds). Offsets come from the IANA data behind Intl;
 * the transitions found are kept so that mapping thousands of fire times costs a lookup each.
 */
export class ZoneClock {
  private segments: Segment[] = [];

  constructor(readonly name: string) {}

  /** UTC offset in milliseconds at an instant. */
  offsetAt(instant: number): number {
    this.cover(instant);
    return this.segments[this.indexOf(instant)]!.offset;
  }

  /** The wall time shown by the zone's clocks at an instant. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant a wall time stands for, by Mainspring's DST rule: a repeated wall time (fall-back)
   * is its first occurrence; a skipped one (spring-forward) is the first instant after the gap.
   */
  instantOf(wall: number): number {
    this.cover(wall - REACH_MS);
    this.cover(wall + REACH_MS);
    const segs = this.segments;
    const first = this.indexOf(wall - REACH_MS);
    for (let i = first; i < segs.length && segs[i]!.start <= wall + REACH_MS; i++) {
      const seg = segs[i]!;
      const instant = wall - seg.offset;
      // Segments run in time order, so the first one that holds the wall time holds its first occurrence.
      if (instant >= seg.start && instant < seg.end) return instant;
    }
    for (let i = first; i + 1 < segs.length && segs[i]!.start <= wall + REACH_MS; i++) {
      const before = segs[i]!;
      const after = segs[i + 1]!;
      const transition = after.start;
      if (wall >= transition + before.offset && wall < transition + after.offset) return transition;
    }
    throw new Error(`Mainspring: no instant found for wall time ${new Date(wall).toISOString()} in ${this.name}`);
  }

  private raw(instant: number): number {
    return zoneOffset(this.name, instant);
  }

  /** Index of the segment holding a covered instant. */
  private indexOf(instant: number): number {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.start <= instant) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The first instant in `(a, b]` whose offset differs from the one at `a`, given that `b`'s does. */
  private transitionBetween(a: number, b: number, offsetAtA: number): number {
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.raw(mid) === offsetAtA) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** Extend the known segments (contiguously) until they contain `instant`. */
  private cover(instant: number): void {
    const segs = this.segments;
    if (segs.length === 0 || instant < segs[0]!.start - JUMP_MS || instant >= segs[segs.length - 1]!.end + JUMP_MS) {
      this.segments = [{ start: instant, end: instant + 1, offset: this.raw(instant) }];
      return;
    }
    while (instant >= segs[segs.length - 1]!.end) {
      const last = segs[segs.length - 1]!;
      const a = last.end - 1;
      const b = a + STEP_MS;
      const offsetB = this.raw(b);
      if (offsetB === last.offset) {
        last.end = b + 1;
      } else {
        const t = this.transitionBetween(a, b, last.offset);
        last.end = t;
        segs.push({ start: t, end: b + 1, offset: offsetB });
      }
    }
    while (instant < segs[0]!.start) {
      const head = segs[0]!;
      const b = head.start;
      const a = b - STEP_MS;
      const offsetA = this.raw(a);
      if (offsetA === head.offset) {
        head.start = a;
      } else {
        const t = this.transitionBetween(a, b, offsetA);
        head.start = t;
        segs.unshift({ start: a, end: t, offset: offsetA });
      }
    }
  }
}

const clocks = new Map<string, ZoneClock>();

/** The shared clock for a zone (callers validate the name first). */
export function zoneClock(name: string): ZoneClock {
  let clock = clocks.get(name);
  if (!clock) {
    if (clocks.size >= 1000) clocks.clear();
    clock = new ZoneClock(name);
    clocks.set(name, clock);
  }
  return clock;
}
