// The app's one engine client, set by main.tsx (tests render without one).
import type { EngineClient } from '../worker/client.ts';

let client: EngineClient | null = null;

export function setEngineClient(c: EngineClient | null): void {
  client = c;
}

export function getEngineClient(): EngineClient | null {
  return client;
}
