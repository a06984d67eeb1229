# Generated from nos-shell's schema by `python3 -m nos_shell.nix.schemagen`: do not edit.
{ c = {
  "firewall" = { c = {
    "global-options" = { c = {
      "all-ping" = "l";
      "broadcast-ping" = "l";
      "ip-src-route" = "l";
      "ipv6-receive-redirects" = "l";
      "ipv6-src-route" = "l";
      "log-martians" = "l";
      "receive-redirects" = "l";
      "send-redirects" = "l";
      "source-validation" = "l";
      "state-policy" = { c = {
        "established" = { c = {
          "action" = "l";
          "log" = "f";
        }; };
        "invalid" = { c = {
          "action" = "l";
          "log" = "f";
        }; };
        "related" = { c = {
          "action" = "l";
          "log" = "f";
        }; };
      }; };
      "syn-cookies" = "l";
      "twa-hazards-protection" = "l";
    }; };
    "group" = { c = {
      "address-group" = { t = {
        "address" = "m";
        "description" = "l";
        "include" = "m";
      }; };
      "interface-group" = { t = {
        "description" = "l";
        "include" = "m";
        "interface" = "m";
      }; };
      "ipv6-address-group" = { t = {
        "address" = "m";
        "description" = "l";
        "include" = "m";
      }; };
      "ipv6-network-group" = { t = {
        "description" = "l";
        "include" = "m";
        "network" = "m";
      }; };
      "network-group" = { t = {
        "description" = "l";
        "include" = "m";
        "network" = "m";
      }; };
      "port-group" = { t = {
        "description" = "l";
        "include" = "m";
        "port" = "m";
      }; };
    }; };
    "ipv4" = { c = {
      "forward" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmp" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
      "input" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmp" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
      "name" = { t = {
        "default-action" = "l";
        "default-log" = "f";
        "description" = "l";
        "rule" = { t = {
          "action" = "l";
          "connection-status" = { c = {
            "nat" = "l";
          }; };
          "description" = "l";
          "destination" = { c = {
            "address" = "l";
            "group" = { c = {
              "address-group" = "l";
              "network-group" = "l";
              "port-group" = "l";
            }; };
            "port" = "l";
          }; };
          "disable" = "f";
          "icmp" = { c = {
            "code" = "l";
            "type" = "l";
            "type-name" = "l";
          }; };
          "inbound-interface" = { c = {
            "group" = "l";
            "name" = "l";
          }; };
          "jump-target" = "l";
          "limit" = { c = {
            "burst" = "l";
            "rate" = "l";
          }; };
          "log" = "f";
          "outbound-interface" = { c = {
            "group" = "l";
            "name" = "l";
          }; };
          "protocol" = "l";
          "source" = { c = {
            "address" = "l";
            "group" = { c = {
              "address-group" = "l";
              "network-group" = "l";
              "port-group" = "l";
            }; };
            "port" = "l";
          }; };
          "state" = "m";
          "tcp" = { c = {
            "flags" = { c = {
              "ack" = "f";
              "cwr" = "f";
              "ecn" = "f";
              "fin" = "f";
              "not" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
              "psh" = "f";
              "rst" = "f";
              "syn" = "f";
              "urg" = "f";
            }; };
          }; };
        }; };
      }; };
      "output" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmp" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
    }; };
    "ipv6" = { c = {
      "forward" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmpv6" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
      "input" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmpv6" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
      "name" = { t = {
        "default-action" = "l";
        "default-log" = "f";
        "description" = "l";
        "rule" = { t = {
          "action" = "l";
          "connection-status" = { c = {
            "nat" = "l";
          }; };
          "description" = "l";
          "destination" = { c = {
            "address" = "l";
            "group" = { c = {
              "address-group" = "l";
              "network-group" = "l";
              "port-group" = "l";
            }; };
            "port" = "l";
          }; };
          "disable" = "f";
          "icmpv6" = { c = {
            "code" = "l";
            "type" = "l";
            "type-name" = "l";
          }; };
          "inbound-interface" = { c = {
            "group" = "l";
            "name" = "l";
          }; };
          "jump-target" = "l";
          "limit" = { c = {
            "burst" = "l";
            "rate" = "l";
          }; };
          "log" = "f";
          "outbound-interface" = { c = {
            "group" = "l";
            "name" = "l";
          }; };
          "protocol" = "l";
          "source" = { c = {
            "address" = "l";
            "group" = { c = {
              "address-group" = "l";
              "network-group" = "l";
              "port-group" = "l";
            }; };
            "port" = "l";
          }; };
          "state" = "m";
          "tcp" = { c = {
            "flags" = { c = {
              "ack" = "f";
              "cwr" = "f";
              "ecn" = "f";
              "fin" = "f";
              "not" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
              "psh" = "f";
              "rst" = "f";
              "syn" = "f";
              "urg" = "f";
            }; };
          }; };
        }; };
      }; };
      "output" = { c = {
        "filter" = { c = {
          "default-action" = "l";
          "default-log" = "f";
          "description" = "l";
          "rule" = { t = {
            "action" = "l";
            "connection-status" = { c = {
              "nat" = "l";
            }; };
            "description" = "l";
            "destination" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "disable" = "f";
            "icmpv6" = { c = {
              "code" = "l";
              "type" = "l";
              "type-name" = "l";
            }; };
            "inbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "jump-target" = "l";
            "limit" = { c = {
              "burst" = "l";
              "rate" = "l";
            }; };
            "log" = "f";
            "outbound-interface" = { c = {
              "group" = "l";
              "name" = "l";
            }; };
            "protocol" = "l";
            "source" = { c = {
              "address" = "l";
              "group" = { c = {
                "address-group" = "l";
                "network-group" = "l";
                "port-group" = "l";
              }; };
              "port" = "l";
            }; };
            "state" = "m";
            "tcp" = { c = {
              "flags" = { c = {
                "ack" = "f";
                "cwr" = "f";
                "ecn" = "f";
                "fin" = "f";
                "not" = { c = {
                  "ack" = "f";
                  "cwr" = "f";
                  "ecn" = "f";
                  "fin" = "f";
                  "psh" = "f";
                  "rst" = "f";
                  "syn" = "f";
                  "urg" = "f";
                }; };
                "psh" = "f";
                "rst" = "f";
                "syn" = "f";
                "urg" = "f";
              }; };
            }; };
          }; };
        }; };
      }; };
    }; };
    "zone" = { t = {
      "default-action" = "l";
      "default-log" = "f";
      "description" = "l";
      "from" = { t = {
        "firewall" = { c = {
          "ipv6-name" = "l";
          "name" = "l";
        }; };
      }; };
      "interface" = "m";
      "local-zone" = "f";
    }; };
  }; };
  "interfaces" = { c = {
    "bonding" = { t = {
      "address" = "m";
      "description" = "l";
      "dhcp-options" = { c = {
        "default-route-distance" = "l";
        "host-name" = "l";
        "no-default-route" = "f";
      }; };
      "disable" = "f";
      "hash-policy" = "l";
      "mac" = "l";
      "member" = { c = {
        "interface" = "m";
      }; };
      "mode" = "l";
      "mtu" = "l";
      "vif" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
      }; };
      "vif-s" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
        "protocol" = "l";
        "vif-c" = { t = {
          "address" = "m";
          "description" = "l";
          "dhcp-options" = { c = {
            "default-route-distance" = "l";
            "host-name" = "l";
            "no-default-route" = "f";
          }; };
          "disable" = "f";
          "mtu" = "l";
        }; };
      }; };
    }; };
    "bridge" = { t = {
      "address" = "m";
      "aging" = "l";
      "description" = "l";
      "dhcp-options" = { c = {
        "default-route-distance" = "l";
        "host-name" = "l";
        "no-default-route" = "f";
      }; };
      "disable" = "f";
      "mac" = "l";
      "member" = { c = {
        "interface" = { t = {
          "cost" = "l";
          "priority" = "l";
        }; };
      }; };
      "mtu" = "l";
      "priority" = "l";
      "stp" = "f";
      "vif" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
      }; };
    }; };
    "dummy" = { t = {
      "address" = "m";
      "description" = "l";
      "disable" = "f";
    }; };
    "ethernet" = { t = {
      "address" = "m";
      "description" = "l";
      "dhcp-options" = { c = {
        "default-route-distance" = "l";
        "host-name" = "l";
        "no-default-route" = "f";
      }; };
      "disable" = "f";
      "hw-id" = "l";
      "mac" = "l";
      "mtu" = "l";
      "vif" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
      }; };
      "vif-s" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
        "protocol" = "l";
        "vif-c" = { t = {
          "address" = "m";
          "description" = "l";
          "dhcp-options" = { c = {
            "default-route-distance" = "l";
            "host-name" = "l";
            "no-default-route" = "f";
          }; };
          "disable" = "f";
          "mtu" = "l";
        }; };
      }; };
    }; };
    "loopback" = { t = {
      "address" = "m";
      "description" = "l";
    }; };
    "pseudo-ethernet" = { t = {
      "address" = "m";
      "description" = "l";
      "dhcp-options" = { c = {
        "default-route-distance" = "l";
        "host-name" = "l";
        "no-default-route" = "f";
      }; };
      "disable" = "f";
      "mac" = "l";
      "mode" = "l";
      "mtu" = "l";
      "source-interface" = "l";
      "vif" = { t = {
        "address" = "m";
        "description" = "l";
        "dhcp-options" = { c = {
          "default-route-distance" = "l";
          "host-name" = "l";
          "no-default-route" = "f";
        }; };
        "disable" = "f";
        "mac" = "l";
        "mtu" = "l";
      }; };
    }; };
    "vlan" = { t = {
      "address" = "m";
      "description" = "l";
      "dhcp-options" = { c = {
        "default-route-distance" = "l";
        "host-name" = "l";
        "no-default-route" = "f";
      }; };
      "disable" = "f";
      "mtu" = "l";
      "source-interface" = "l";
    }; };
    "vxlan" = { t = {
      "address" = "m";
      "description" = "l";
      "disable" = "f";
      "group" = "l";
      "mac" = "l";
      "mtu" = "l";
      "port" = "l";
      "remote" = "l";
      "source-address" = "l";
      "source-interface" = "l";
      "vni" = "l";
    }; };
    "wireguard" = { t = {
      "address" = "m";
      "description" = "l";
      "disable" = "f";
      "fwmark" = "l";
      "mtu" = "l";
      "peer" = { t = {
        "address" = "l";
        "allowed-ips" = "m";
        "description" = "l";
        "disable" = "f";
        "persistent-keepalive" = "l";
        "port" = "l";
        "preshared-key" = "l";
        "public-key" = "l";
      }; };
      "port" = "l";
      "private-key" = "l";
    }; };
  }; };
  "nat" = { c = {
    "destination" = { c = {
      "rule" = { t = {
        "description" = "l";
        "destination" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
        "disable" = "f";
        "exclude" = "f";
        "inbound-interface" = { c = {
          "name" = "l";
        }; };
        "protocol" = "l";
        "source" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
        "translation" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
      }; };
    }; };
    "source" = { c = {
      "rule" = { t = {
        "description" = "l";
        "destination" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
        "disable" = "f";
        "exclude" = "f";
        "outbound-interface" = { c = {
          "name" = "l";
        }; };
        "protocol" = "l";
        "source" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
        "translation" = { c = {
          "address" = "l";
          "port" = "l";
        }; };
      }; };
    }; };
  }; };
  "protocols" = { c = {
    "bgp" = { c = {
      "address-family" = { c = {
        "ipv4-unicast" = { c = {
          "network" = { t = {
          }; };
          "redistribute" = { c = {
            "connected" = { c = {
              "metric" = "l";
            }; };
            "static" = { c = {
              "metric" = "l";
            }; };
          }; };
        }; };
        "ipv6-unicast" = { c = {
          "network" = { t = {
          }; };
          "redistribute" = { c = {
            "connected" = { c = {
              "metric" = "l";
            }; };
            "static" = { c = {
              "metric" = "l";
            }; };
          }; };
        }; };
      }; };
      "backend" = "l";
      "neighbor" = { t = {
        "address-family" = { c = {
          "ipv4-unicast" = { c = {
            "allowas-in" = { c = {
              "number" = "l";
            }; };
            "as-override" = "f";
            "disable-send-community" = { c = {
              "extended" = "f";
              "standard" = "f";
            }; };
            "maximum-prefix" = "l";
            "nexthop-self" = { c = {
              "force" = "f";
            }; };
            "remove-private-as" = { c = {
              "all" = "f";
            }; };
            "soft-reconfiguration" = { c = {
              "inbound" = "f";
            }; };
          }; };
          "ipv6-unicast" = { c = {
            "allowas-in" = { c = {
              "number" = "l";
            }; };
            "as-override" = "f";
            "disable-send-community" = { c = {
              "extended" = "f";
              "standard" = "f";
            }; };
            "maximum-prefix" = "l";
            "nexthop-self" = { c = {
              "force" = "f";
            }; };
            "remove-private-as" = { c = {
              "all" = "f";
            }; };
            "soft-reconfiguration" = { c = {
              "inbound" = "f";
            }; };
          }; };
        }; };
        "description" = "l";
        "ebgp-multihop" = "l";
        "local-as" = { t = {
          "no-prepend" = { c = {
            "replace-as" = "f";
          }; };
        }; };
        "password" = "l";
        "peer-group" = "l";
        "port" = "l";
        "remote-as" = "l";
        "shutdown" = "f";
        "timers" = { c = {
          "connect" = "l";
          "holdtime" = "l";
          "keepalive" = "l";
        }; };
        "update-source" = "l";
      }; };
      "parameters" = { c = {
        "distance" = { c = {
          "global" = { c = {
            "external" = "l";
            "internal" = "l";
            "local" = "l";
          }; };
        }; };
        "graceful-restart" = { c = {
          "stalepath-time" = "l";
        }; };
        "log-neighbor-changes" = "f";
        "router-id" = "l";
      }; };
      "peer-group" = { t = {
        "address-family" = { c = {
          "ipv4-unicast" = { c = {
            "allowas-in" = { c = {
              "number" = "l";
            }; };
            "as-override" = "f";
            "disable-send-community" = { c = {
              "extended" = "f";
              "standard" = "f";
            }; };
            "maximum-prefix" = "l";
            "nexthop-self" = { c = {
              "force" = "f";
            }; };
            "remove-private-as" = { c = {
              "all" = "f";
            }; };
            "soft-reconfiguration" = { c = {
              "inbound" = "f";
            }; };
          }; };
          "ipv6-unicast" = { c = {
            "allowas-in" = { c = {
              "number" = "l";
            }; };
            "as-override" = "f";
            "disable-send-community" = { c = {
              "extended" = "f";
              "standard" = "f";
            }; };
            "maximum-prefix" = "l";
            "nexthop-self" = { c = {
              "force" = "f";
            }; };
            "remove-private-as" = { c = {
              "all" = "f";
            }; };
            "soft-reconfiguration" = { c = {
              "inbound" = "f";
            }; };
          }; };
        }; };
        "description" = "l";
        "ebgp-multihop" = "l";
        "local-as" = { t = {
          "no-prepend" = { c = {
            "replace-as" = "f";
          }; };
        }; };
        "password" = "l";
        "port" = "l";
        "remote-as" = "l";
        "shutdown" = "f";
        "timers" = { c = {
          "connect" = "l";
          "holdtime" = "l";
          "keepalive" = "l";
        }; };
        "update-source" = "l";
      }; };
      "system-as" = "l";
    }; };
    "static" = { c = {
      "route" = { t = {
        "blackhole" = { c = {
          "distance" = "l";
        }; };
        "description" = "l";
        "interface" = { t = {
          "disable" = "f";
          "distance" = "l";
        }; };
        "next-hop" = { t = {
          "disable" = "f";
          "distance" = "l";
          "interface" = "l";
        }; };
      }; };
      "route6" = { t = {
        "blackhole" = { c = {
          "distance" = "l";
        }; };
        "description" = "l";
        "interface" = { t = {
          "disable" = "f";
          "distance" = "l";
        }; };
        "next-hop" = { t = {
          "disable" = "f";
          "distance" = "l";
          "interface" = "l";
        }; };
      }; };
    }; };
  }; };
  "service" = { c = {
    "dhcp-server" = { c = {
      "shared-network-name" = { t = {
        "authoritative" = "f";
        "description" = "l";
        "disable" = "f";
        "subnet" = { t = {
          "description" = "l";
          "exclude" = "m";
          "lease" = "l";
          "option" = { c = {
            "default-router" = "l";
            "domain-name" = "l";
            "domain-search" = "m";
            "name-server" = "m";
          }; };
          "range" = { t = {
            "start" = "l";
            "stop" = "l";
          }; };
          "static-mapping" = { t = {
            "disable" = "f";
            "ip-address" = "l";
            "mac" = "l";
          }; };
          "subnet-id" = "l";
        }; };
      }; };
    }; };
    "dns" = { c = {
      "forwarding" = { c = {
        "allow-from" = "m";
        "cache-size" = "l";
        "dnssec" = "l";
        "domain" = { t = {
          "name-server" = { t = {
            "port" = "l";
          }; };
          "recursion-desired" = "f";
        }; };
        "ignore-hosts-file" = "f";
        "listen-address" = "m";
        "name-server" = { t = {
          "port" = "l";
        }; };
        "negative-ttl" = "l";
        "system" = "f";
        "timeout" = "l";
      }; };
    }; };
    "ntp" = { c = {
      "allow-client" = { c = {
        "address" = "m";
      }; };
      "server" = { t = {
        "pool" = "f";
        "prefer" = "f";
      }; };
    }; };
    "ssh" = { c = {
      "disable-password-authentication" = "f";
      "listen-address" = "m";
      "port" = "m";
    }; };
  }; };
  "system" = { c = {
    "config-management" = { c = {
      "commit-revisions" = "l";
    }; };
    "domain-name" = "l";
    "host-name" = "l";
    "login" = { c = {
      "user" = { t = {
        "authentication" = { c = {
          "encrypted-password" = "l";
          "plaintext-password" = "l";
          "public-keys" = { t = {
            "key" = "l";
            "type" = "l";
          }; };
        }; };
        "full-name" = "l";
        "level" = "l";
      }; };
    }; };
    "name-server" = "m";
    "option" = { c = {
      "ctrl-alt-delete" = "l";
      "kernel" = { c = {
        "disable-mitigations" = "f";
        "disable-power-saving" = "f";
      }; };
      "keyboard-layout" = "l";
      "performance" = "l";
      "reboot-on-panic" = "f";
      "root-partition-auto-resize" = "f";
      "startup-beep" = "f";
      "time-format" = "l";
    }; };
    "sysctl" = { c = {
      "parameter" = { t = {
        "value" = "l";
      }; };
    }; };
    "syslog" = { c = {
      "console" = { c = {
        "facility" = { t = {
          "level" = "l";
        }; };
      }; };
      "global" = { c = {
        "facility" = { t = {
          "level" = "l";
        }; };
        "marker" = { c = {
          "interval" = "l";
        }; };
        "preserve-fqdn" = "f";
      }; };
      "host" = { t = {
        "facility" = { t = {
          "level" = "l";
        }; };
        "format" = { c = {
          "octet-counted" = "f";
        }; };
        "port" = "l";
        "protocol" = "l";
      }; };
    }; };
    "time-zone" = "l";
  }; };
}; }
