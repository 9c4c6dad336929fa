// Plain-language notes, one template per kind of rule or finding, in English and Chinese. The UI
// shows them next to each rule; `{name}` placeholders are filled from the note's params.

export interface NoteText {
  en: string;
  zh: string;
}

export const NOTES = {
  'rule.portals': { en: 'Every packet {where} is sent through KUBE-SERVICES, where kube-proxy looks for a Service address.', zh: '所有{whereZh}的数据包都先交给 KUBE-SERVICES 链，kube-proxy 在那里查找 Service 地址。' },
  'rule.clusterip': { en: 'Packets to the ClusterIP {ip}:{port}/{proto} of {service} go to {chain}.', zh: '发往 {service} 的 ClusterIP {ip}:{port}/{proto} 的数据包跳转到 {chain}。' },
  'rule.externalip': { en: 'Packets to the external IP {ip}:{port}/{proto} of {service} go to {chain}.', zh: '发往 {service} 的外部 IP {ip}:{port}/{proto} 的数据包跳转到 {chain}。' },
  'rule.lbip': { en: 'Packets to the LoadBalancer IP {ip}:{port}/{proto} of {service} go to {chain}.', zh: '发往 {service} 的负载均衡 IP {ip}:{port}/{proto} 的数据包跳转到 {chain}。' },
  'rule.nodeports-last': { en: 'Anything addressed to this node itself is checked against the NodePorts last (KUBE-NODEPORTS).', zh: '目的地址是本节点自身的数据包，最后再与 NodePort 规则（KUBE-NODEPORTS）比对。' },
  'rule.nodeport': { en: 'Node port {port}/{proto} on this node\'s addresses leads to {service} ({chain}).', zh: '本节点地址上的 NodePort {port}/{proto} 通往 {service}（{chain}）。' },
  'rule.masq-not-pod': { en: 'Connections to {service} from outside the pod network {cidr} are marked for masquerade, so replies come back through this node.', zh: '从 Pod 网络 {cidr} 以外访问 {service} 的连接会被打上伪装（SNAT）标记，使回包经过本节点返回。' },
  'rule.masq-all': { en: 'Every connection to {service} is marked for masquerade (masqueradeAll).', zh: '访问 {service} 的所有连接都会被打上伪装标记（masqueradeAll）。' },
  'rule.masq-hairpin': { en: 'When the endpoint {ip} reaches itself through the Service it is masqueraded (hairpin), so the reply does not bypass the DNAT.', zh: '端点 {ip} 通过 Service 访问到自己时会被伪装（hairpin），以免回包绕过 DNAT。' },
  'rule.masq-external': { en: 'Traffic from outside the cluster to {service} is marked for masquerade (externalTrafficPolicy: Cluster).', zh: '集群外访问 {service} 的流量会被打上伪装标记（externalTrafficPolicy: Cluster）。' },
  'rule.masq-local-src': { en: 'Traffic from this node itself to {service}\'s external address is masqueraded.', zh: '本节点自身访问 {service} 外部地址的流量会被伪装。' },
  'rule.ext-pod-shortcut': { en: 'Pods that use the external address of {service} are sent to all its endpoints, as if they used the ClusterIP.', zh: 'Pod 使用 {service} 的外部地址访问时，按 ClusterIP 处理，可到达所有端点。' },
  'rule.ext-local-route': { en: 'Traffic from this node itself to {service}\'s external address may use any endpoint.', zh: '本节点自身访问 {service} 外部地址的流量可以使用任意端点。' },
  'rule.ext-to-svc': { en: 'External traffic for {service} may go to endpoints on any node (externalTrafficPolicy: Cluster).', zh: '{service} 的外部流量可以转发到任意节点上的端点（externalTrafficPolicy: Cluster）。' },
  'rule.ext-to-svl': { en: 'External traffic for {service} only goes to endpoints on this node (externalTrafficPolicy: Local), keeping the client\'s source address.', zh: '{service} 的外部流量只转发到本节点上的端点（externalTrafficPolicy: Local），保留客户端源地址。' },
  'rule.sep-share': { en: '{fraction} of the new connections that reach this rule go to {endpoint}: {percent} of all.', zh: '到达这条规则的新连接中有 {fraction} 转发到 {endpoint}：占全部的 {percent}。' },
  'rule.sep-last': { en: 'Every new connection still here goes to {endpoint} (the last endpoint needs no probability): {percent} of all.', zh: '仍未被选走的新连接全部转发到 {endpoint}（最后一个端点无需概率）：占全部的 {percent}。' },
  'rule.sep-probability-why': { en: 'kube-proxy wrote 1/{remaining}: {remaining} endpoints are still in play here, so this one takes 1/{remaining} of what is left; the kernel stores it as {kernel}.', zh: 'kube-proxy 写的是 1/{remaining}：此处还剩 {remaining} 个端点，这一个取剩余连接的 1/{remaining}；内核按 {kernel} 存储。' },
  'rule.affinity-check': { en: 'A client seen at {endpoint} in the last {seconds} s goes there again (sessionAffinity: ClientIP).', zh: '在过去 {seconds} 秒内访问过 {endpoint} 的客户端会再次被转发到那里（sessionAffinity: ClientIP）。' },
  'rule.affinity-set': { en: 'Remembers the client\'s address for session affinity ({list}).', zh: '记录客户端地址，用于会话保持（{list}）。' },
  'rule.dnat': { en: 'Rewrites the destination to the endpoint {target}; conntrack remembers this for the whole connection.', zh: '把目的地址改写为端点 {target}；conntrack 会在整个连接期间记住这一改写。' },
  'rule.reject-no-endpoints': { en: '{service} has no endpoints: new connections to it are rejected here (filter table).', zh: '{service} 没有端点：新连接在这里被拒绝（filter 表）。' },
  'rule.drop-no-local': { en: '{service} has no endpoints on this node and a Local traffic policy: its traffic is dropped.', zh: '{service} 在本节点上没有端点且流量策略为 Local：流量被丢弃。' },
  'rule.fw-allow': { en: 'Source range {cidr} may use the LoadBalancer of {service}.', zh: '来源网段 {cidr} 允许访问 {service} 的负载均衡器。' },
  'rule.fw-end': { en: 'Any other source is dropped by KUBE-PROXY-FIREWALL (loadBalancerSourceRanges).', zh: '其他来源由 KUBE-PROXY-FIREWALL 丢弃（loadBalancerSourceRanges）。' },
  'rule.fw-drop': { en: 'Traffic to the LoadBalancer IP of {service} from a source outside its allowed ranges is dropped.', zh: '来自允许网段以外、发往 {service} 负载均衡 IP 的流量被丢弃。' },
  'rule.mark-drop-legacy': { en: 'Marks the packet to be dropped later (KUBE-MARK-DROP, older kube-proxy).', zh: '给数据包打上稍后丢弃的标记（KUBE-MARK-DROP，旧版 kube-proxy）。' },
  'rule.healthcheck': { en: 'Lets the load balancer\'s health checks reach port {port} on this node.', zh: '允许负载均衡器的健康检查访问本节点的 {port} 端口。' },
  'rule.mark-masq': { en: 'Sets mark {mark}: "masquerade this connection when it leaves the node".', zh: '设置标记 {mark}：表示“离开本节点时对该连接做伪装”。' },
  'rule.postrouting-return': { en: 'Packets without the masquerade mark leave unchanged.', zh: '没有伪装标记的数据包原样离开。' },
  'rule.postrouting-clear': { en: 'Clears the mark so it does not travel on with the packet.', zh: '清除标记，避免它随数据包继续传递。' },
  'rule.postrouting-masq': { en: 'Masquerades: the source becomes this node\'s address on the outgoing interface.', zh: '做伪装：源地址改为本节点出接口的地址。' },
  'rule.forward-invalid': { en: 'Drops packets conntrack considers INVALID.', zh: '丢弃 conntrack 判定为 INVALID 的数据包。' },
  'rule.forward-mark': { en: 'Forwards packets marked for masquerade (service traffic).', zh: '放行带伪装标记的数据包（Service 流量）。' },
  'rule.forward-conntrack': { en: 'Forwards packets of connections already established.', zh: '放行已建立连接的数据包。' },
  'rule.localnet': { en: 'Blocks connections to 127.0.0.0/8 that did not come from the node itself (route_localnet protection).', zh: '阻止并非来自本机、发往 127.0.0.0/8 的连接（route_localnet 防护）。' },
  'rule.jump': { en: 'Continues in chain {chain}.', zh: '跳转到 {chain} 链继续匹配。' },
  'rule.other-software': { en: 'A rule of {software}; it is shown, and traced, but not explained in detail.', zh: '这是 {software} 的规则；会显示并参与追踪，但不做详细解释。' },
  'rule.verdict': { en: 'Ends here with {target}.', zh: '在此以 {target} 结束。' },
  'rule.unknown': { en: 'Not understood: {words}. The evaluator will not guess what it does.', zh: '无法理解：{words}。求值器不会猜测它的作用。' },

  'diag.missing-chain': { en: 'Rule jumps to {chain}, which is not in the dump{partial}.', zh: '规则跳转到 {chain}，但转储中没有这个链{partialZh}。' },
  'diag.unreferenced-chain': { en: 'Nothing jumps to chain {chain}: its rules are never used.', zh: '没有规则跳转到 {chain} 链：其中的规则不会被用到。' },
  'diag.shadowed-rule': { en: 'This rule can never match: rule {earlier} (line {line}) before it in {chain} catches the same packets and ends the walk with {target}.', zh: '这条规则永远不会匹配：{chain} 中位于它之前的第 {earlier} 条规则（第 {line} 行）匹配相同的数据包并以 {target} 结束。' },
  'diag.uneven-shares': { en: 'The endpoints of {service} do not get equal shares: {why}.', zh: '{service} 的各端点分到的连接并不均等：{whyZh}。' },
  'diag.why-5digit': { en: 'probabilities were written with 5 decimals (kube-proxy before ~1.10), so the rounding shows', zh: '概率只写了 5 位小数（约 1.10 之前的 kube-proxy），舍入误差显现出来' },
  'diag.why-duplicate': { en: 'the same address appears more than once ({address})', zh: '同一个地址出现了不止一次（{address}）' },
  'diag.why-hand': { en: 'the probabilities are not kube-proxy\'s 1/n, 1/(n-1), …, 1 cascade', zh: '概率不是 kube-proxy 的 1/n、1/(n-1)、…、1 级联' },
  'diag.even-shares': { en: '{service}: {count} endpoints, each gets {share} of new connections. The rules say {written} because each rule only sees the connections the rules above it left over; the last rule has no probability: it takes everything still there.', zh: '{service}：{count} 个端点，每个得到 {share} 的新连接。规则上写的是 {written}，因为每条规则只看到前面规则剩下的连接；最后一条没有概率：剩下的全部归它。' },
  'diag.affinity': { en: '{service} uses ClientIP session affinity: the shares apply to new clients; a known client returns to its endpoint for {seconds} s.', zh: '{service} 使用 ClientIP 会话保持：这些比例只适用于新客户端；已知客户端在 {seconds} 秒内会回到原来的端点。' },
  'diag.legacy': { en: 'This dump comes from an older kube-proxy ({signs}).', zh: '该转储来自较旧版本的 kube-proxy（{signs}）。' },
  'diag.large-cluster': { en: 'Endpoint rules carry no comments: kube-proxy was in large-cluster mode (more than 1000 endpoints), so service names come from the other rules only.', zh: '端点规则没有注释：kube-proxy 处于大集群模式（端点超过 1000 个），Service 名称只能从其他规则得知。' },
  'diag.other-software': { en: 'Chains of other software are present: {list}.', zh: '转储中还有其他软件的链：{list}。' },
  'diag.no-kube-proxy': { en: 'No kube-proxy chains were found in this text.', zh: '文本中没有找到 kube-proxy 的链。' },
  'diag.partial': { en: 'The text is partial (a grep excerpt or "..." elisions): services and rules not shown cannot be assumed absent; unknown fields are left empty.', zh: '文本不完整（grep 摘录或 “...” 省略）：未显示的 Service 和规则不能视为不存在；未知字段留空。' },
  'diag.other-format': { en: '{format} output is present (lines {lines}); it is kept for the {format} view and not explained as iptables rules.', zh: '文本中包含 {format} 的输出（第 {lines} 行）；它保留给 {format} 视图，不按 iptables 规则解释。' },
} satisfies Record<string, NoteText>;

export type NoteKey = keyof typeof NOTES;

export function renderNote(key: NoteKey, params: Record<string, string | number>, lang: 'en' | 'zh' = 'en'): string {
  return NOTES[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}
