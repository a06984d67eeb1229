# The checks of the design as NixOS assertions: `cfg` (config.nix-nos) -> [ { assertion; message; } ].
# Where nos-shell's own verify has the rule, the message after the option path is the
# shell's text (nos_shell/schema/types.py, nos_shell/models/bgp_verify.py).
cfg:
let
  inherit (builtins) attrNames concatMap elem filter map match;
  check = ok: message: { assertion = ok; inherit message; };
  each = set: f: concatMap (name: f name set.${name}) (attrNames set);
  cidr = at: addresses: map (a: check (match ".*/.*" a != null)
    "${at}.addresses: Address ${a} needs a prefix length, e.g. ${a}/24") addresses;
  bgp = cfg.bgp;
in
  each cfg.interfaces (name: i: [
    (check (!(i.dhcp && i.addresses != [ ]))
      "nix-nos.interfaces.${name}: set dhcp or addresses, not both")
    (check (i.dhcp || i.addresses != [ ])
      "nix-nos.interfaces.${name}: set dhcp or addresses (neither is set)")
  ] ++ cidr "nix-nos.interfaces.${name}" i.addresses)
  ++ each cfg.vlans (name: v: [
    (check (v.id >= 1 && v.id <= 4094) "nix-nos.vlans.${name}.id: VLAN ID must be between 1 and 4094")
  ] ++ cidr "nix-nos.vlans.${name}" v.addresses)
  ++ each cfg.routing.static (dest: r: [
    (check ((r.via != null) != r.blackhole)
      "nix-nos.routing.static.\"${dest}\": set via (a next hop) or blackhole, one of them")
  ])
  ++ (if !bgp.enable then [ ] else [
    (check (bgp.backend == null || elem bgp.backend [ "bird" "gobgp" ])
      "nix-nos.bgp.backend: Value must be one of: bird, gobgp")
    (check (bgp.asn != null)
      "nix-nos.bgp.asn: BGP needs the AS number of this router: set protocols bgp system-as")
  ] ++ each bgp.peers (address: p: [
    (check (p.asn != null)
      "nix-nos.bgp.peers.\"${address}\": Neighbor ${address} has no remote-as: set it on the neighbor")
  ]))
  ++ [
    (check (!cfg.nat.enable || cfg.nat.externalInterface != null)
      "nix-nos.nat.externalInterface: masquerading needs the interface traffic leaves by")
  ]
