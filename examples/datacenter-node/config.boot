interfaces {
    ethernet eth0 {
        description "uplink to tor1"
        vif 101 {
            address "198.51.100.1/31"
            description "BGP to tor1"
        }
    }
    ethernet eth1 {
        description "uplink to tor2"
        vif 102 {
            address "198.51.100.3/31"
            description "BGP to tor2"
        }
    }
    ethernet eth2 {
        description "server trunk"
    }
    loopback lo {
        address "192.0.2.11/32"
    }
    vlan 10 {
        address "203.0.113.1/26"
        description "storage"
        source-interface "eth2"
    }
    vlan 20 {
        address "203.0.113.65/26"
        description "management"
        source-interface "eth2"
    }
}
protocols {
    bgp {
        address-family {
            ipv4-unicast {
                network 192.0.2.11/32 {
                }
                network 203.0.113.0/26 {
                }
                network 203.0.113.64/26 {
                }
            }
        }
        neighbor 198.51.100.0 {
            description "tor1"
            remote-as "65001"
        }
        neighbor 198.51.100.2 {
            description "tor2"
            remote-as "65002"
        }
        parameters {
            router-id "192.0.2.11"
        }
        system-as "65011"
    }
}
system {
    host-name "node1"
    login {
        user vyos {
            authentication {
                encrypted-password "$6$XUrYLYa.QDD.8p9k$8GdJXBfKG71Aj5EJTCLYN3CZgOno/ZXZtlUodNRgSJayQxaSfnIdisDvwjXeuP//Xufc6thKK6KxBKHnyoobc0"
                plaintext-password ""
            }
            level "admin"
        }
    }
}
