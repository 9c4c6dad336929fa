import { WORKLOADS } from './src/engine/netfilter/bench.ts';
for (const w of WORKLOADS) {
  const ctx = w.setup();
  const reps = w.name.startsWith('one packet') ? 200 : 3;
  w.run(ctx as never);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) w.run(ctx as never);
  console.log(w.name, ((performance.now() - t0) / reps).toFixed(3), 'ms');
}
