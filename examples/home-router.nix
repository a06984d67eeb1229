# The home router of examples/home-router/ (config.cmds) as a NixOS configuration: WAN by
# DHCP, LAN bridge with its DHCP server, masquerade, a port forward and the stateful
# firewall (the firewall, bridge and DHCP server in extraCommands).
{ ... }:
{
  nix-nos = {
    enable = true;
    interfaces = {
      br0 = {
        addresses = [
          "198.51.100.1/24"
        ];
        description = "LAN";
      };
      eth0 = {
        description = "WAN";
        dhcp = true;
      };
    };
    nat = {
      enable = true;
      externalInterface = "eth0";
      internalNetworks = [
        "198.51.100.0/24"
      ];
    };
    extraCommands = [
      "set firewall global-options state-policy established action 'accept'"
      "set firewall global-options state-policy invalid action 'drop'"
      "set firewall global-options state-policy related action 'accept'"
      "set firewall ipv4 forward filter default-action 'drop'"
      "set firewall ipv4 forward filter rule 10 action 'accept'"
      "set firewall ipv4 forward filter rule 10 description 'LAN to anywhere'"
      "set firewall ipv4 forward filter rule 10 inbound-interface name 'br0'"
      "set firewall ipv4 forward filter rule 20 action 'accept'"
      "set firewall ipv4 forward filter rule 20 connection-status nat 'destination'"
      "set firewall ipv4 forward filter rule 20 description 'the port forward (nat destination rule 10)'"
      "set firewall ipv4 input filter default-action 'drop'"
      "set firewall ipv4 input filter rule 10 action 'accept'"
      "set firewall ipv4 input filter rule 10 description 'the router from the LAN: SSH, DNS, DHCP'"
      "set firewall ipv4 input filter rule 10 inbound-interface name 'br0'"
      "set firewall ipv4 input filter rule 20 action 'accept'"
      "set firewall ipv4 input filter rule 20 inbound-interface name 'lo'"
      "set firewall ipv4 input filter rule 30 action 'accept'"
      "set firewall ipv4 input filter rule 30 description 'DHCP offers and acks on the WAN'"
      "set firewall ipv4 input filter rule 30 destination port '68'"
      "set firewall ipv4 input filter rule 30 inbound-interface name 'eth0'"
      "set firewall ipv4 input filter rule 30 protocol 'udp'"
      "set firewall ipv4 input filter rule 30 source port '67'"
      "set firewall ipv6 forward filter default-action 'drop'"
      "set firewall ipv6 forward filter rule 10 action 'accept'"
      "set firewall ipv6 forward filter rule 10 inbound-interface name 'br0'"
      "set firewall ipv6 input filter default-action 'drop'"
      "set firewall ipv6 input filter rule 10 action 'accept'"
      "set firewall ipv6 input filter rule 10 inbound-interface name 'br0'"
      "set firewall ipv6 input filter rule 20 action 'accept'"
      "set firewall ipv6 input filter rule 20 inbound-interface name 'lo'"
      "set firewall ipv6 input filter rule 30 action 'accept'"
      "set firewall ipv6 input filter rule 30 description 'neighbour discovery and errors'"
      "set firewall ipv6 input filter rule 30 protocol 'ipv6-icmp'"
      "set interfaces bridge br0 member interface eth1"
      "set interfaces bridge br0 member interface eth2"
      "set interfaces ethernet eth1 description 'LAN port 1'"
      "set interfaces ethernet eth2 description 'LAN port 2'"
      "set nat destination rule 10 description 'web server'"
      "set nat destination rule 10 destination port '8080'"
      "set nat destination rule 10 inbound-interface name 'eth0'"
      "set nat destination rule 10 protocol 'tcp'"
      "set nat destination rule 10 translation address '198.51.100.10'"
      "set nat destination rule 10 translation port '80'"
      "set service dhcp-server shared-network-name LAN subnet 198.51.100.0/24 option default-router '198.51.100.1'"
      "set service dhcp-server shared-network-name LAN subnet 198.51.100.0/24 option name-server '198.51.100.1'"
      "set service dhcp-server shared-network-name LAN subnet 198.51.100.0/24 range 0 start '198.51.100.100'"
      "set service dhcp-server shared-network-name LAN subnet 198.51.100.0/24 range 0 stop '198.51.100.199'"
      "set service ssh port '22'"
      "set system host-name 'home-gw'"
      "set system name-server '192.0.2.53'"
    ];
  };
}
