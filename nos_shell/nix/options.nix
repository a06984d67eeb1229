# The nix-nos.* options (the original design's shape). Declarations only: checks are in
# assertions.nix, the configuration in module.nix.
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption types literalExpression;
  str = mkOption { type = types.nullOr types.str; default = null; };
  common = {
    addresses = mkOption {
      type = types.listOf types.str; default = [ ];
      description = "Addresses in CIDR notation (`192.0.2.1/24`, `2001:db8::1/64`).";
    };
    gateway = str // { description = "Default gateway: a static default route (0.0.0.0/0 or ::/0) through this address."; };
    dns = mkOption {
      type = types.listOf types.str; default = [ ];
      description = "Name servers (`system name-server`; the lists of all interfaces are merged).";
    };
    mtu = mkOption { type = types.nullOr types.ints.positive; default = null; description = "MTU in bytes."; };
    description = str // { description = "Free-form description of the interface."; };
  };
  interface = { name, ... }: {
    options = common // {
      dhcp = mkOption { type = types.bool; default = false; description = "Address by DHCP (`address dhcp`); exclusive with `addresses`."; };
      type = str // {
        description = ''nos-shell interface type (`ethernet`, `loopback`, `bridge`, ...); by default
          `loopback` for lo*, `bridge` for br<N>, else `ethernet`.'';
      };
    };
  };
  vlan = { name, ... }: {
    options = common // {
      id = mkOption { type = types.int; description = "VLAN ID, 1-4094 (`interfaces vlan <id>`)."; };
      interface = mkOption { type = types.str; description = "Parent interface carrying the VLAN."; };
    };
  };
  peer = {
    options = {
      asn = mkOption { type = types.nullOr types.ints.u32; default = null; description = "The peer's AS number (required)."; };
      description = str // { description = "Free-form description of the peer."; };
    };
  };
  route = {
    options = {
      via = str // { description = "Next-hop address."; };
      blackhole = mkOption { type = types.bool; default = false; description = "Discard packets to this prefix."; };
      distance = mkOption { type = types.nullOr (types.ints.between 1 255); default = null; description = "Administrative distance."; };
    };
  };
in {
  options.nix-nos = {
    enable = mkEnableOption "nos-shell as this machine's network layer (networkd units, BIRD/GoBGP, nftables)";
    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = literalExpression "nix-nos.packages.\${system}.default";
      description = "The nos-shell package.";
    };
    shell.enable = mkOption {
      type = types.bool; default = true;
      description = ''The interactive shell (`nos-shell` on the PATH) and its SSH server for VyOS
        automation clients, which listens where `service ssh` of the configuration says
        (nowhere without it; choose a port other than OpenSSH's when both run).'';
    };
    interfaces = mkOption {
      type = types.attrsOf (types.submodule interface); default = { };
      description = "Interfaces by name (systemd-networkd units); each needs `dhcp` or `addresses`.";
      example = literalExpression ''{ eth0.dhcp = true; eth1.addresses = [ "192.0.2.1/24" ]; }'';
    };
    vlans = mkOption {
      type = types.attrsOf (types.submodule vlan); default = { };
      description = "VLAN interfaces (`interfaces vlan <id> source-interface <interface>`), by any name.";
      example = literalExpression ''{ servers = { id = 100; interface = "eth2"; addresses = [ "203.0.113.1/26" ]; }; }'';
    };
    routing.static = mkOption {
      type = types.attrsOf (types.submodule route); default = { };
      description = "Static routes by destination prefix: `via` a next hop or `blackhole`.";
      example = literalExpression ''{ "0.0.0.0/0".via = "192.0.2.1"; "203.0.113.0/24".blackhole = true; }'';
    };
    bgp = {
      enable = mkEnableOption "BGP";
      asn = mkOption { type = types.nullOr types.ints.u32; default = null; description = "Local AS number (`system-as`)."; };
      routerId = str // { description = "Router ID (an IPv4 address); by default nos-shell takes a loopback address."; };
      backend = str // { description = "BGP daemon: `bird` or `gobgp` (unset: nos-shell's default, bird)."; };
      peers = mkOption {
        type = types.attrsOf (types.submodule peer); default = { };
        description = "Neighbors by address.";
        example = literalExpression ''{ "192.0.2.1" = { asn = 64496; description = "transit"; }; }'';
      };
      announcements = mkOption {
        type = types.listOf types.str; default = [ ];
        description = "Prefixes to announce (`address-family ipv4-unicast|ipv6-unicast network`).";
      };
    };
    nat = {
      enable = mkEnableOption "masquerading (source NAT) for the home-router case";
      externalInterface = str // { description = "Interface the masqueraded traffic leaves by."; };
      internalNetworks = mkOption {
        type = types.listOf types.str; default = [ ];
        description = "Source prefixes to masquerade (one rule each; none: everything leaving).";
      };
      firstRule = mkOption { type = types.ints.between 1 999999; default = 100; description = "Number of the first `nat source rule`."; };
    };
    extraCommands = mkOption {
      type = types.listOf types.str; default = [ ];
      description = ''Raw nos-shell `set` lines (as `show configuration commands` prints them), for
        everything the options do not cover. An element may hold several lines.'';
      example = literalExpression ''[ "set system host-name 'gw'" ]'';
    };
    generated = {
      commands = mkOption { type = types.str; readOnly = true; description = "The generated `set` lines (read-only)."; };
      boot = mkOption { type = types.str; readOnly = true; description = "The generated config.boot text (read-only)."; };
    };
  };
}
