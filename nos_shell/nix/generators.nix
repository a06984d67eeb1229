# Pure functions from nix-nos options to nos-shell `set` lines and config.boot text
# (builtins only: usable without nixpkgs). `cfg` is the value of `config.nix-nos`, or any
# attribute set of the same shape: absent options count as unset.
#
#   toSetLines cfg  -> list of `set` lines (the options' lines, then extraCommands)
#   toCommands cfg  -> the same as text, one line each
#   toBoot cfg      -> config.boot text of that configuration
let
  syntax = import ./setlines.nix;
  inherit (syntax) value key;
  inherit (builtins) attrNames concatLists concatMap concatStringsSep filter foldl' elem
    length genList elemAt match toString;

  when = cond: l: if cond then l else [ ];
  ifSet = v: f: if v == null then [ ] else f v;
  isV6 = a: match ".*:.*" a != null;
  trim = l: builtins.head (match "[ \t]*(.*[^ \t])[ \t]*" l);
  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];

  # The nos-shell interface type of a nix-nos interface name (or its `type`).
  ifaceType = name: i:
    if (i.type or null) != null then i.type
    else if match "lo[0-9]*" name != null then "loopback"
    else if match "br[0-9]+" name != null then "bridge"
    else "ethernet";

  # address / dhcp / description / mtu of an interface or VLAN at path `at`.
  ifaceLines = at: i:
    map (a: "${at} address ${value a}") (i.addresses or [ ])
    ++ when (i.dhcp or false) [ "${at} address 'dhcp'" ]
    ++ ifSet (i.description or null) (d: [ "${at} description ${value d}" ])
    ++ ifSet (i.mtu or null) (m: [ "${at} mtu ${value m}" ]);

  routeNode = dest: if isV6 dest then "route6" else "route";
  staticLines = dest: r:
    let
      at = "set protocols static ${routeNode dest} ${key dest}";
      dist = r.distance or null;
    # (a bare path only when nothing is set below it, as `show configuration commands`)
    ends = at: if dist == null then [ at ] else [ "${at} distance ${value dist}" ];
  in
    ifSet (r.via or null) (v: ends "${at} next-hop ${key v}")
    ++ when (r.blackhole or false) (ends "${at} blackhole");
  gatewayLines = i: ifSet (i.gateway or null) (g: staticLines (if isV6 g then "::/0" else "0.0.0.0/0") { via = g; });

  interfaceLines = interfaces: concatMap (name:
    let i = interfaces.${name}; in ifaceLines "set interfaces ${ifaceType name i} ${key name}" i)
    (attrNames interfaces);

  vlanLines = vlans: concatMap (name:
    let v = vlans.${name}; at = "set interfaces vlan ${toString v.id}"; in
    ifSet (v.interface or null) (p: [ "${at} source-interface ${value p}" ]) ++ ifaceLines at v)
    (attrNames vlans);

  bgpLines = b:
    let at = "set protocols bgp"; peers = b.peers or { }; in
    when (b.enable or false) (
      ifSet (b.backend or null) (x: [ "${at} backend ${value x}" ])
      ++ ifSet (b.asn or null) (x: [ "${at} system-as ${value x}" ])
      ++ ifSet (b.routerId or null) (x: [ "${at} parameters router-id ${value x}" ])
      ++ concatMap (addr: let p = peers.${addr}; n = "${at} neighbor ${key addr}"; in
        ifSet (p.asn or null) (x: [ "${n} remote-as ${value x}" ])
        ++ ifSet (p.description or null) (x: [ "${n} description ${value x}" ])) (attrNames peers)
      ++ map (p: "${at} address-family ${if isV6 p then "ipv6" else "ipv4"}-unicast network ${key p}")
        (b.announcements or [ ]));

  # Masquerade: one source rule per internal network from `firstRule` up (one rule for
  # everything leaving when no network is listed).
  natLines = n:
    let
      nets = n.internalNetworks or [ ];
      first = n.firstRule or 100;
      rule = i: net: let at = "set nat source rule ${toString (first + i)}"; in
        [ "${at} outbound-interface name ${value n.externalInterface}" ]
        ++ ifSet net (a: [ "${at} source address ${value a}" ])
        ++ [ "${at} translation address 'masquerade'" ];
    in
    when ((n.enable or false) && (n.externalInterface or null) != null)
      (if nets == [ ] then rule 0 null
       else concatLists (genList (i: rule i (elemAt nets i)) (length nets)));

  nameServerLines = cfg:
    let all = map (name: cfg.interfaces.${name}) (attrNames (cfg.interfaces or { }))
      ++ map (name: cfg.vlans.${name}) (attrNames (cfg.vlans or { })); in
    map (s: "set system name-server ${value s}") (unique (concatMap (i: i.dns or [ ]) all));

  toSetLines = cfg:
    let
      interfaces = cfg.interfaces or { };
      vlans = cfg.vlans or { };
      routes = (cfg.routing or { }).static or { };
      ifaces = map (n: interfaces.${n}) (attrNames interfaces) ++ map (n: vlans.${n}) (attrNames vlans);
    in
    interfaceLines interfaces
    ++ vlanLines vlans
    ++ nameServerLines cfg
    ++ concatMap gatewayLines ifaces
    ++ concatMap (d: staticLines d routes.${d}) (attrNames routes)
    ++ bgpLines (cfg.bgp or { })
    ++ natLines (cfg.nat or { })
    ++ map trim (filter (l: match "[ \t]*(#.*)?" l == null) (syntax.lines (cfg.extraCommands or [ ])));
in {
  inherit toSetLines ifaceType;
  toCommands = cfg: concatStringsSep "" (map (l: l + "\n") (toSetLines cfg));
  toBoot = cfg: syntax.boot (toSetLines cfg);
  # The lower layer: quoting, parsing and config.boot text of any `set` lines.
  setLines = syntax;
}
