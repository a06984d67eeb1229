# The edge router of examples/edge-router/ (config.cmds) as a NixOS configuration: customer
# and server VLANs, static routes to the networks behind them, a blackhole for the own
# aggregate, eBGP to the transit on GoBGP, the zone firewall (in extraCommands).
{ ... }:
{
  nix-nos = {
    enable = true;
    interfaces = {
      eth0 = {
        addresses = [
          "192.0.2.2/30"
        ];
        description = "transit";
      };
    };
    vlans = {
      vlan20 = {
        id = 20;
        interface = "eth2";
        addresses = [
          "203.0.113.65/26"
        ];
        description = "servers";
      };
    };
    routing = {
      static = {
        "0.0.0.0/0" = {
          via = "192.0.2.1";
          distance = 200;
        };
        "203.0.113.0/24" = {
          blackhole = true;
        };
        "203.0.113.128/27" = {
          via = "203.0.113.10";
        };
        "203.0.113.160/27" = {
          via = "203.0.113.70";
        };
      };
    };
    bgp = {
      enable = true;
      asn = 64500;
      backend = "gobgp";
      peers = {
        "192.0.2.1" = {
          asn = 64496;
          description = "transit A";
        };
      };
      announcements = [
        "203.0.113.0/24"
      ];
    };
    extraCommands = [
      "set firewall global-options state-policy established action 'accept'"
      "set firewall global-options state-policy invalid action 'drop'"
      "set firewall global-options state-policy related action 'accept'"
      "set firewall ipv4 name LAN-LOCAL default-action 'accept'"
      "set firewall ipv4 name LAN-WAN default-action 'accept'"
      "set firewall ipv4 name LOCAL-OUT default-action 'accept'"
      "set firewall ipv4 name WAN-LAN default-action 'drop'"
      "set firewall ipv4 name WAN-LAN rule 10 action 'accept'"
      "set firewall ipv4 name WAN-LAN rule 10 protocol 'icmp'"
      "set firewall ipv4 name WAN-LAN rule 20 action 'accept'"
      "set firewall ipv4 name WAN-LAN rule 20 description 'web servers'"
      "set firewall ipv4 name WAN-LAN rule 20 destination port '80,443'"
      "set firewall ipv4 name WAN-LAN rule 20 protocol 'tcp'"
      "set firewall ipv4 name WAN-LOCAL default-action 'drop'"
      "set firewall ipv4 name WAN-LOCAL rule 10 action 'accept'"
      "set firewall ipv4 name WAN-LOCAL rule 10 description 'BGP from transit A'"
      "set firewall ipv4 name WAN-LOCAL rule 10 destination port '179'"
      "set firewall ipv4 name WAN-LOCAL rule 10 protocol 'tcp'"
      "set firewall ipv4 name WAN-LOCAL rule 10 source address '192.0.2.1'"
      "set firewall ipv4 name WAN-LOCAL rule 20 action 'accept'"
      "set firewall ipv4 name WAN-LOCAL rule 20 protocol 'icmp'"
      "set firewall zone LAN description 'customers and servers (between them traffic passes)'"
      "set firewall zone LAN from LOCAL firewall name 'LOCAL-OUT'"
      "set firewall zone LAN from WAN firewall name 'WAN-LAN'"
      "set firewall zone LAN interface 'eth1.10'"
      "set firewall zone LAN interface 'eth2.20'"
      "set firewall zone LOCAL from LAN firewall name 'LAN-LOCAL'"
      "set firewall zone LOCAL from WAN firewall name 'WAN-LOCAL'"
      "set firewall zone LOCAL local-zone"
      "set firewall zone WAN description 'transit'"
      "set firewall zone WAN from LAN firewall name 'LAN-WAN'"
      "set firewall zone WAN from LOCAL firewall name 'LOCAL-OUT'"
      "set firewall zone WAN interface 'eth0'"
      "set interfaces ethernet eth1 description 'customer trunk'"
      "set interfaces ethernet eth1 vif 10 address '203.0.113.1/26'"
      "set interfaces ethernet eth1 vif 10 description 'customers'"
      "set interfaces ethernet eth2 description 'server trunk'"
      "set protocols static route 203.0.113.128/27 description 'customer network behind cust'"
      "set protocols static route 203.0.113.160/27 description 'container network behind web'"
      "set system host-name 'edge1'"
    ];
  };
}
