# The edge router of examples/edge-router.cmds as a NixOS configuration: one transit with
# eBGP on GoBGP, a blackhole for the own aggregate, zone firewall (in extraCommands).
{ ... }:
{
  nix-nos = {
    enable = true;
    interfaces.eth0 = { addresses = [ "192.0.2.2/30" ]; description = "transit"; };
    interfaces.eth1.addresses = [ "203.0.113.1/24" ];
    routing.static = {
      "203.0.113.0/24".blackhole = true;
      "0.0.0.0/0" = { via = "192.0.2.1"; distance = 200; };
    };
    bgp = {
      enable = true;
      backend = "gobgp";
      asn = 64500;
      peers."192.0.2.1" = { asn = 64496; description = "transit A"; };
      announcements = [ "203.0.113.0/24" ];
    };
    extraCommands = [''
      set system host-name 'edge1'
      set firewall global-options state-policy established action 'accept'
      set firewall global-options state-policy related action 'accept'
      set firewall global-options state-policy invalid action 'drop'
      set firewall ipv4 name WAN-LAN default-action 'drop'
      set firewall ipv4 name WAN-LAN rule 10 action 'accept'
      set firewall ipv4 name WAN-LAN rule 10 protocol 'icmp'
      set firewall ipv4 name WAN-LAN rule 20 description 'web servers'
      set firewall ipv4 name WAN-LAN rule 20 action 'accept'
      set firewall ipv4 name WAN-LAN rule 20 protocol 'tcp'
      set firewall ipv4 name WAN-LAN rule 20 destination port '80,443'
      set firewall ipv4 name LAN-WAN default-action 'accept'
      set firewall ipv4 name WAN-LOCAL default-action 'drop'
      set firewall ipv4 name WAN-LOCAL rule 10 description 'BGP from transit A'
      set firewall ipv4 name WAN-LOCAL rule 10 action 'accept'
      set firewall ipv4 name WAN-LOCAL rule 10 protocol 'tcp'
      set firewall ipv4 name WAN-LOCAL rule 10 source address '192.0.2.1'
      set firewall ipv4 name WAN-LOCAL rule 10 destination port '179'
      set firewall ipv4 name WAN-LOCAL rule 20 action 'accept'
      set firewall ipv4 name WAN-LOCAL rule 20 protocol 'icmp'
      set firewall ipv4 name LAN-LOCAL default-action 'accept'
      set firewall ipv4 name LOCAL-OUT default-action 'accept'
      set firewall zone WAN description 'transit'
      set firewall zone WAN interface 'eth0'
      set firewall zone WAN from LAN firewall name 'LAN-WAN'
      set firewall zone WAN from LOCAL firewall name 'LOCAL-OUT'
      set firewall zone LAN description 'customer network'
      set firewall zone LAN interface 'eth1'
      set firewall zone LAN from WAN firewall name 'WAN-LAN'
      set firewall zone LAN from LOCAL firewall name 'LOCAL-OUT'
      set firewall zone LOCAL local-zone
      set firewall zone LOCAL from WAN firewall name 'WAN-LOCAL'
      set firewall zone LOCAL from LAN firewall name 'LAN-LOCAL'
    ''];
  };
}
