//! Re-runnable bash scripts (`apply`, `refresh`, `verify`) for iptables+ipset
//! and for nftables. `refresh` resolves A and AAAA records on every run and
//! swaps the address sets atomically, so it can run from cron or a systemd
//! timer while CDN addresses rotate.

use super::{header, iptables_restore, nft_ruleset, v4_cidrs, v6_cidrs, wildcard_entries};
use crate::allowlist::Allowlist;
use crate::profiles::HostMatch;

fn bash_array(name: &str, items: &[String]) -> String {
    // Items are validated host names, addresses and CIDRs: no quote can occur.
    let quoted: Vec<String> = items.iter().map(|i| format!("'{i}'")).collect();
    format!("{name}=({})\n", quoted.join(" "))
}

fn prelude(list: &Allowlist, name: &str) -> String {
    let mut s = String::from("#!/usr/bin/env bash\n");
    s.push_str(&header(list, "#"));
    s.push_str(&format!(
        "#\n# Usage: {name} [apply|refresh|verify]\n\
         #   apply    (default) resolve the hosts, load the rules for IPv4 and IPv6, verify\n\
         #   refresh  re-resolve A and AAAA records and swap the address sets atomically;\n\
         #            run it from cron or a systemd timer, e.g.\n\
         #            */15 * * * * root /usr/local/sbin/{name} refresh\n\
         #   verify   an allowed endpoint is reachable; example.com and other hosts are not\n\
         set -euo pipefail\n\n"
    ));
    let hosts: Vec<String> = list
        .entries()
        .iter()
        .filter(|e| e.kind == HostMatch::Exact)
        .map(|e| e.host.clone())
        .collect();
    s.push_str(&bash_array("HOSTS", &hosts));
    let wild = wildcard_entries(list);
    if !wild.is_empty() {
        s.push_str("# Wildcard entries have no addresses to resolve; enforce them with an SNI\n# proxy (guard net allowlist --format squid-splice):\n");
        for w in wild {
            s.push_str(&format!("#   {}\n", w.pattern()));
        }
    }
    s.push_str(&bash_array("CIDRS4", &v4_cidrs(list)));
    s.push_str(&bash_array("CIDRS6", &v6_cidrs(list)));
    s.push_str("# DNS servers; empty: the nameservers of /etc/resolv.conf at each run.\n");
    let res: Vec<String> = list.resolvers().iter().map(|r| r.to_string()).collect();
    s.push_str(&bash_array("RESOLVERS", &res));
    let verify = hosts.first().cloned().unwrap_or_default();
    let port = list
        .entries()
        .iter()
        .find(|e| e.host == verify)
        .and_then(|e| e.port)
        .unwrap_or(443);
    s.push_str(&format!("VERIFY_HOST='{verify}'\nVERIFY_PORT={port}\n\n"));
    s.push_str(PRELUDE_FUNCTIONS);
    s
}

const PRELUDE_FUNCTIONS: &str = r#"log() { printf 'guard-egress: %s\n' "$*" >&2; }

need_root() {
  if [[ $EUID -ne 0 ]]; then log "run as root"; exit 1; fi
}

resolvers() {
  if ((${#RESOLVERS[@]})); then printf '%s\n' "${RESOLVERS[@]}"; return 0; fi
  local kw addr rest
  while read -r kw addr rest; do
    if [[ $kw == nameserver && -n $addr ]]; then printf '%s\n' "${addr%%\%*}"; fi
  done < /etc/resolv.conf
}

# Fills R4, R6 (A and AAAA records of the hosts) and D4, D6 (resolvers).
collect() {
  R4=(); R6=(); D4=(); D6=()
  local -A seen=()
  local h ip rest found
  for h in "${HOSTS[@]}"; do
    found=0
    while read -r ip rest; do
      found=1
      if [[ -z ${seen[$ip]:-} ]]; then seen[$ip]=1; R4+=("$ip"); fi
    done < <(getent ahostsv4 "$h" || true)
    while read -r ip rest; do
      case $ip in ::ffff:*) continue ;; esac
      found=1
      if [[ -z ${seen[$ip]:-} ]]; then seen[$ip]=1; R6+=("$ip"); fi
    done < <(getent ahostsv6 "$h" || true)
    if ((found == 0)); then
      log "warning: $h did not resolve; it stays blocked until the next refresh"
    fi
  done
  while read -r ip; do
    case $ip in *:*) D6+=("$ip") ;; *) D4+=("$ip") ;; esac
  done < <(resolvers)
}

can_connect() { timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

verify() {
  local failed=0
  if can_connect "$VERIFY_HOST" "$VERIFY_PORT"; then
    log "ok: $VERIFY_HOST:$VERIFY_PORT is reachable"
  else
    log "FAIL: $VERIFY_HOST:$VERIFY_PORT is not reachable"; failed=1
  fi
  local target
  for target in example.com:443 1.1.1.1:22 2606:4700:4700::1111:443; do
    if can_connect "${target%:*}" "${target##*:}"; then
      log "FAIL: $target is reachable but not allowed"; failed=1
    else
      log "ok: $target is blocked"
    fi
  done
  return "$failed"
}

"#;

const MAIN: &str = r#"
case "${1:-apply}" in
  apply) need_root; apply ;;
  refresh) need_root; refresh ;;
  verify) verify ;;
  *) echo "usage: $0 [apply|refresh|verify]" >&2; exit 2 ;;
esac
"#;

/// ipset + iptables-restore + ip6tables-restore.
pub fn iptables_script(list: &Allowlist) -> String {
    let mut s = prelude(list, "guard-egress-iptables.sh");
    s.push_str(
        r#"# Fill a temporary set and swap it in: readers never see a half-filled set.
ipset_fill() {
  local set=$1 type=$2 family=$3 a; shift 3
  ipset create "$set" "$type" family "$family" -exist
  ipset create "${set}_next" "$type" family "$family" -exist
  ipset flush "${set}_next"
  for a in "$@"; do ipset add "${set}_next" "$a" -exist; done
  ipset swap "${set}_next" "$set"
  ipset destroy "${set}_next"
}

refresh() {
  collect
  ipset_fill guard_allow4 hash:net inet "${CIDRS4[@]}" "${R4[@]}"
  ipset_fill guard_allow6 hash:net inet6 "${CIDRS6[@]}" "${R6[@]}"
  ipset_fill guard_dns4 hash:ip inet "${D4[@]}"
  ipset_fill guard_dns6 hash:ip inet6 "${D6[@]}"
  log "sets refreshed: ${#R4[@]} IPv4 and ${#R6[@]} IPv6 addresses resolved, $((${#D4[@]} + ${#D6[@]})) resolver(s)"
}

apply() {
  # Resolve while the previous rules still allow DNS, then replace the filter tables.
  refresh
  iptables-restore <<'GUARD_RULES4'
"#,
    );
    s.push_str(&iptables_restore(list, false));
    s.push_str("GUARD_RULES4\n  ip6tables-restore <<'GUARD_RULES6'\n");
    s.push_str(&iptables_restore(list, true));
    s.push_str("GUARD_RULES6\n  verify\n}\n");
    s.push_str(MAIN);
    s
}

/// The nftables ruleset plus the set elements, loaded in one transaction.
pub fn nft_script(list: &Allowlist) -> String {
    let mut s = prelude(list, "guard-egress-nft.sh");
    s.push_str(
        r#"# nft commands that replace the contents of the address sets.
set_elements() {
  local set
  for set in resolved4 resolved6 dns4 dns6; do
    echo "flush set inet guard_egress $set"
  done
  emit resolved4 "${R4[@]}"
  emit resolved6 "${R6[@]}"
  emit dns4 "${D4[@]}"
  emit dns6 "${D6[@]}"
}

emit() {
  local set=$1; shift
  if (($#)); then
    local IFS=,
    echo "add element inet guard_egress $set { $* }"
  fi
}

refresh() {
  collect
  set_elements | nft -f -
  log "sets refreshed: ${#R4[@]} IPv4 and ${#R6[@]} IPv6 addresses resolved"
}

apply() {
  collect
  { cat <<'GUARD_RULESET'
"#,
    );
    s.push_str(&nft_ruleset(list));
    s.push_str("GUARD_RULESET\n    set_elements\n  } | nft -f -\n  verify\n}\n");
    s.push_str(MAIN);
    s
}
