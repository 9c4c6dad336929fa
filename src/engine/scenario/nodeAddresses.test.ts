import { describe, expect, it } from 'vitest';
import { nodeAddresses } from './nodeAddresses.ts';
import { findScenario } from './scenarios.ts';

describe('nodeAddresses', () => {
  it('reads a node’s InternalIP from the scenario YAML', () => {
    const yaml = findScenario('nginx-nodeport')!.yaml;
    expect(nodeAddresses(yaml, 'k8s-node-01')).toEqual(['192.168.56.11']);
    expect(nodeAddresses(yaml, 'k8s-master')).toEqual(['192.168.56.10']);
    expect(nodeAddresses(yaml, 'nope')).toEqual([]);
  });
  it('reads kind: List and tolerates broken text', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - kind: Node\n    metadata: {name: a}\n    status:\n      addresses:\n        - {type: InternalIP, address: 10.0.0.5}\n        - {type: Hostname, address: a}\n';
    expect(nodeAddresses(list, 'a')).toEqual(['10.0.0.5']);
    expect(nodeAddresses('kind: Node\nmetadata: [\n', 'a')).toEqual([]);
    expect(nodeAddresses('a: &x [*x]\n', 'a')).toEqual([]);
    expect(nodeAddresses('', 'a')).toEqual([]);
  });
});
