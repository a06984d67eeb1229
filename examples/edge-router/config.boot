firewall {
    global-options {
        state-policy {
            established {
                action "accept"
            }
            invalid {
                action "drop"
            }
            related {
                action "accept"
            }
        }
    }
    ipv4 {
        name LAN-LOCAL {
            default-action "accept"
        }
        name LAN-WAN {
            default-action "accept"
        }
        name LOCAL-OUT {
            default-action "accept"
        }
        name WAN-LAN {
            default-action "drop"
            rule 10 {
                action "accept"
                protocol "icmp"
            }
            rule 20 {
                action "accept"
                description "web servers"
                destination {
                    port "80,443"
                }
                protocol "tcp"
            }
        }
        name WAN-LOCAL {
            default-action "drop"
            rule 10 {
                action "accept"
                description "BGP from transit A"
                destination {
                    port "179"
                }
                protocol "tcp"
                source {
                    address "192.0.2.1"
                }
            }
            rule 20 {
                action "accept"
                protocol "icmp"
            }
        }
    }
    zone LAN {
        description "customers and servers (between them traffic passes)"
        from LOCAL {
            firewall {
                name "LOCAL-OUT"
            }
        }
        from WAN {
            firewall {
                name "WAN-LAN"
            }
        }
        interface "eth1.10"
        interface "eth2.20"
    }
    zone LOCAL {
        from LAN {
            firewall {
                name "LAN-LOCAL"
            }
        }
        from WAN {
            firewall {
                name "WAN-LOCAL"
            }
        }
        local-zone
    }
    zone WAN {
        description "transit"
        from LAN {
            firewall {
                name "LAN-WAN"
            }
        }
        from LOCAL {
            firewall {
                name "LOCAL-OUT"
            }
        }
        interface "eth0"
    }
}
interfaces {
    ethernet eth0 {
        address "192.0.2.2/30"
        description "transit"
    }
    ethernet eth1 {
        description "customer trunk"
        vif 10 {
            address "203.0.113.1/26"
            description "customers"
        }
    }
    ethernet eth2 {
        description "server trunk"
    }
    loopback lo {
    }
    vlan 20 {
        address "203.0.113.65/26"
        description "servers"
        source-interface "eth2"
    }
}
protocols {
    bgp {
        address-family {
            ipv4-unicast {
                network 203.0.113.0/24 {
                }
            }
        }
        backend "gobgp"
        neighbor 192.0.2.1 {
            description "transit A"
            remote-as "64496"
        }
        system-as "64500"
    }
    static {
        route 0.0.0.0/0 {
            next-hop 192.0.2.1 {
                distance "200"
            }
        }
        route 203.0.113.0/24 {
            blackhole {
            }
        }
        route 203.0.113.128/27 {
            description "customer network behind cust"
            next-hop 203.0.113.10 {
            }
        }
        route 203.0.113.160/27 {
            description "container network behind web"
            next-hop 203.0.113.70 {
            }
        }
    }
}
system {
    host-name "edge1"
    login {
        user vyos {
            authentication {
                encrypted-password "$6$eUxTEz7k7QjlZVmz$qtSOG/hQhEKN2pPxMUd/zFhN7AvqlcbC.WW11mBXYoFJAnawztGJUh1Usqx9PV/urqE9lxmSAQPJ/Kdk2Hiu21"
                plaintext-password ""
            }
            level "admin"
        }
    }
}
