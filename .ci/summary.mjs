// Sums Vitest's and Playwright's JSON reports into the plain closing line CI reads.
import fs from 'node:fs';
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; } };
const u = read('reports/unit.json');
const e = read('reports/e2e.json');
const unit = u ? { p: u.numPassedTests, f: u.numFailedTests, s: u.numPendingTests + u.numTodoTests } : { p: 0, f: 1, s: 0 };
const e2e = e ? { p: e.stats.expected + e.stats.flaky, f: e.stats.unexpected, s: e.stats.skipped } : { p: 0, f: 1, s: 0 };
const line = (n, r) => console.log(`${n}: ${r.p} passed, ${r.f} failed, ${r.s} skipped`);
line('unit', unit);
line('e2e', e2e);
const t = { p: unit.p + e2e.p, f: unit.f + e2e.f, s: unit.s + e2e.s };
console.log(`${t.p} passed, ${t.f} failed, ${t.s} skipped`);
process.exit(t.f > 0 || t.p === 0 ? 1 : 0);
