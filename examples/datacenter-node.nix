# The data-centre leaf of examples/datacenter-node.cmds as a NixOS configuration: loopback,
# two routed uplinks, eBGP to both spines (a peer group, in extraCommands), VLANs to servers.
{ ... }:
{
  nix-nos = {
    enable = true;
    interfaces = {
      lo.addresses = [ "192.0.2.11/32" ];
      eth0.addresses = [ "198.51.100.1/31" ];
      eth1.addresses = [ "198.51.100.3/31" ];
    };
    vlans.servers2 = { id = 200; interface = "eth2"; addresses = [ "203.0.113.65/26" ]; };
    bgp = {
      enable = true;
      asn = 65011;
      routerId = "192.0.2.11";
      announcements = [ "192.0.2.11/32" ];
    };
    extraCommands = [''
      set system host-name 'leaf1'
      set interfaces ethernet eth2 vif 100 address '203.0.113.1/26'
      set interfaces ethernet eth2 vif 100 description 'servers'
      set protocols bgp peer-group SPINES remote-as '65000'
      set protocols bgp neighbor 198.51.100.0 peer-group 'SPINES'
      set protocols bgp neighbor 198.51.100.2 peer-group 'SPINES'
      set protocols bgp address-family ipv4-unicast redistribute connected
    ''];
  };
}
