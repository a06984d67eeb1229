# The data-centre node of examples/datacenter-node/ (config.cmds) as a NixOS configuration:
# storage and management VLANs in the design's `interfaces vlan` form, eBGP to two
# top-of-rack switches over tagged uplinks (the uplink VLANs in extraCommands).
{ ... }:
{
  nix-nos = {
    enable = true;
    interfaces = {
      lo = {
        addresses = [
          "192.0.2.11/32"
        ];
      };
    };
    vlans = {
      vlan10 = {
        id = 10;
        interface = "eth2";
        addresses = [
          "203.0.113.1/26"
        ];
        description = "storage";
      };
      vlan20 = {
        id = 20;
        interface = "eth2";
        addresses = [
          "203.0.113.65/26"
        ];
        description = "management";
      };
    };
    bgp = {
      enable = true;
      asn = 65011;
      routerId = "192.0.2.11";
      peers = {
        "198.51.100.0" = {
          asn = 65001;
          description = "tor1";
        };
        "198.51.100.2" = {
          asn = 65002;
          description = "tor2";
        };
      };
      announcements = [
        "192.0.2.11/32"
        "203.0.113.0/26"
        "203.0.113.64/26"
      ];
    };
    extraCommands = [
      "set interfaces ethernet eth0 description 'uplink to tor1'"
      "set interfaces ethernet eth0 vif 101 address '198.51.100.1/31'"
      "set interfaces ethernet eth0 vif 101 description 'BGP to tor1'"
      "set interfaces ethernet eth1 description 'uplink to tor2'"
      "set interfaces ethernet eth1 vif 102 address '198.51.100.3/31'"
      "set interfaces ethernet eth1 vif 102 description 'BGP to tor2'"
      "set interfaces ethernet eth2 description 'server trunk'"
      "set system host-name 'node1'"
    ];
  };
}
