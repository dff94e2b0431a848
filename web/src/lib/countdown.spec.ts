import { describe, expect, it } from 'vitest';
import { crossedMilestone, formatTimeLeft } from './countdown';

const s = 1000;
const min = 60 * s;
const h = 60 * min;

describe('formatTimeLeft', () => {
  it('gives days and hours while there is a lot of time, minutes and seconds in the last hour', () => {
    expect(formatTimeLeft(2 * 24 * h + 3 * h + 5 * min)).toBe('2 days 3 hours');
    expect(formatTimeLeft(24 * h)).toBe('1 day 0 hours');
    expect(formatTimeLeft(23 * h + 59 * min)).toBe('23 h 59 min');
    expect(formatTimeLeft(h + 5 * min)).toBe('1 h 05 min');
    expect(formatTimeLeft(14 * min + 7 * s)).toBe('14 min 07 s');
    expect(formatTimeLeft(59 * s)).toBe('59 s');
  });

  it('rounds a part-second up, so the last second shows as 1 s and never as 0 too early', () => {
    expect(formatTimeLeft(200)).toBe('1 s');
    expect(formatTimeLeft(min - 1)).toBe('1 min 00 s');
    expect(formatTimeLeft(0)).toBe('0 s');
    expect(formatTimeLeft(-5 * s)).toBe('0 s');
  });
});

describe('crossedMilestone', () => {
  it('announces five minutes, one minute and time up, once each', () => {
    expect(crossedMilestone(5 * min + s, 5 * min)).toBe('Five minutes left to pay.');
    expect(crossedMilestone(5 * min, 5 * min - s)).toBeNull();
    expect(crossedMilestone(min + 400, min - 600)).toBe('One minute left to pay.');
    expect(crossedMilestone(s, 0)).toBe('The time to pay has run out.');
    expect(crossedMilestone(0, 0)).toBeNull();
  });

  it('says only the latest when a sleeping tab wakes past several', () => {
    expect(crossedMilestone(10 * min, 30 * s)).toBe('One minute left to pay.');
    expect(crossedMilestone(10 * min, 0)).toBe('The time to pay has run out.');
  });

  it('says nothing while time passes between milestones', () => {
    expect(crossedMilestone(h, h - s)).toBeNull();
    expect(crossedMilestone(3 * min, 2 * min)).toBeNull();
  });
});
