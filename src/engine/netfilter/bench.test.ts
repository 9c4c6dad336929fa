// The benchmark workloads build what they claim (no timing here: `npm run bench` times them).
import { describe, expect, it } from 'vitest';
import { kubeProxySave, lastServicePacket, parseLazy, parseOnly, saveOfLines, sampleMany, splitLines, traceOne, WORKLOADS } from './bench.ts';
import { printSave } from './print.ts';

describe('bench workloads', () => {
  it('a save of about N lines that round-trips through the printer', () => {
    const text = saveOfLines(2000);
    expect(Math.abs(splitLines(text) - 2000)).toBeLessThan(40);
    expect(printSave(parseOnly(text))).toBe(text);
    expect(printSave(parseLazy(text))).toBe(text);
  });
  it('the packet to the last Service walks every KUBE-SERVICES rule before it and is DNATed', () => {
    const rs = parseOnly(kubeProxySave(500, 2));
    const r = traceOne(rs, lastServicePacket(500));
    expect(r.outcome.verdict).toBe('ACCEPT');
    expect(r.outcome.dnat).toMatch(/^10\.244\./);
    // PREROUTING jump + 500 KUBE-SERVICES rules + masq rule + 1-2 SVC rules + SEP rules, then POSTROUTING
    expect(r.rulesEvaluated).toBeGreaterThanOrEqual(1 + 500 + 2);
  });
  it('sampling spreads over the endpoints', () => {
    const rs = parseOnly(kubeProxySave(1, 3));
    const s = sampleMany(rs, lastServicePacket(1), 3000);
    expect(s.counts).toHaveLength(3);
    expect(WORKLOADS.map((w) => w.name)).toHaveLength(5);
  });
});
