import { describe, expect, it } from 'vitest';
import { packetProgress, quadPoint } from './packetProgress.ts';
import { analyzeDump } from '../../worker/dump.ts';
import { SEED_DUMP } from '../../engine/scenario/dumps.ts';

describe('packetProgress', () => {
  const events = analyzeDump({ text: SEED_DUMP.text, packet: SEED_DUMP.packet }).run!.events;
  const dnat = events.findIndex((e) => e.reasonKey === 'trace.rule.dnat' && e.matched);
  const reply = events.findIndex((e) => e.leg === 'reply');

  it('travels to the Service until the DNAT step, then to the pod, then back to the client', () => {
    expect(dnat).toBeGreaterThan(0);
    expect(reply).toBeGreaterThan(dnat);
    expect(packetProgress(events, 0)).toEqual({ leg: 'toService', t: 0 });
    expect(packetProgress(events, dnat - 1).leg).toBe('toService');
    expect(packetProgress(events, dnat)).toEqual({ leg: 'toPod', t: 0 });
    expect(packetProgress(events, reply - 1)).toEqual({ leg: 'toPod', t: 1 });
    expect(packetProgress(events, reply)).toEqual({ leg: 'reply', t: 0 });
    expect(packetProgress(events, events.length - 1)).toEqual({ leg: 'reply', t: 1 });
  });

  it('without a reply leg (a rejected packet) the walk ends where the request ends', () => {
    const noReply = events.slice(0, reply);
    expect(packetProgress(noReply, noReply.length - 1)).toEqual({ leg: 'toPod', t: 1 });
  });

  it('never moves backwards as the cursor advances', () => {
    let prev = -1;
    for (let i = 0; i < events.length; i++) {
      const p = packetProgress(events, i);
      const pos = (p.leg === 'reply' ? 2 : p.leg === 'toPod' ? 1 : 0) + p.t;
      expect(pos).toBeGreaterThanOrEqual(prev);
      prev = pos;
    }
  });

  it('quadPoint starts and ends at the ends', () => {
    expect(quadPoint({ x: 0, y: 0 }, { x: 5, y: 10 }, { x: 10, y: 0 }, 0)).toEqual({ x: 0, y: 0 });
    expect(quadPoint({ x: 0, y: 0 }, { x: 5, y: 10 }, { x: 10, y: 0 }, 1)).toEqual({ x: 10, y: 0 });
    expect(quadPoint({ x: 0, y: 0 }, { x: 5, y: 10 }, { x: 10, y: 0 }, 0.5)).toEqual({ x: 5, y: 5 });
  });
});
