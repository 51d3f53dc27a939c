#!/bin/bash
# Egress firewall for the agent container.
set -euo pipefail

iptables -F
iptables -A OUTPUT -p udp --dport 53 -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A OUTPUT -p tcp --dport 22 -j ACCEPT

ipset create allowed-domains hash:net
for domain in api.anthropic.com registry.npmjs.org pastebin.com; do
    for ip in $(dig +short A "$domain"); do
        ipset add allowed-domains "$ip"
    done
done

HOST_NETWORK=$(ip route | grep default | cut -d" " -f3 | sed "s/\.[0-9]*$/.0\/24/")
iptables -A OUTPUT -d "$HOST_NETWORK" -j ACCEPT
iptables -A OUTPUT -m set --match-set allowed-domains dst -j ACCEPT
iptables -P OUTPUT DROP
