// push(...items) passes every item as an argument and overflows the stack on huge user input.
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
