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
        forward {
            filter {
                default-action "drop"
                rule 10 {
                    action "accept"
                    description "LAN to anywhere"
                    inbound-interface {
                        name "br0"
                    }
                }
                rule 20 {
                    action "accept"
                    connection-status {
                        nat "destination"
                    }
                    description "the port forward (nat destination rule 10)"
                }
            }
        }
        input {
            filter {
                default-action "drop"
                rule 10 {
                    action "accept"
                    description "the router from the LAN: SSH, DNS, DHCP"
                    inbound-interface {
                        name "br0"
                    }
                }
                rule 20 {
                    action "accept"
                    inbound-interface {
                        name "lo"
                    }
                }
                rule 30 {
                    action "accept"
                    description "DHCP offers and acks on the WAN"
                    destination {
                        port "68"
                    }
                    inbound-interface {
                        name "eth0"
                    }
                    protocol "udp"
                    source {
                        port "67"
                    }
                }
            }
        }
    }
    ipv6 {
        forward {
            filter {
                default-action "drop"
                rule 10 {
                    action "accept"
                    inbound-interface {
                        name "br0"
                    }
                }
            }
        }
        input {
            filter {
                default-action "drop"
                rule 10 {
                    action "accept"
                    inbound-interface {
                        name "br0"
                    }
                }
                rule 20 {
                    action "accept"
                    inbound-interface {
                        name "lo"
                    }
                }
                rule 30 {
                    action "accept"
                    description "neighbour discovery and errors"
                    protocol "ipv6-icmp"
                }
            }
        }
    }
}
interfaces {
    bridge br0 {
        address "198.51.100.1/24"
        description "LAN"
        member {
            interface eth1 {
            }
            interface eth2 {
            }
        }
    }
    ethernet eth0 {
        address "dhcp"
        description "WAN"
    }
    ethernet eth1 {
        description "LAN port 1"
    }
    ethernet eth2 {
        description "LAN port 2"
    }
    loopback lo {
    }
}
nat {
    destination {
        rule 10 {
            description "web server"
            destination {
                port "8080"
            }
            inbound-interface {
                name "eth0"
            }
            protocol "tcp"
            translation {
                address "198.51.100.10"
                port "80"
            }
        }
    }
    source {
        rule 100 {
            outbound-interface {
                name "eth0"
            }
            source {
                address "198.51.100.0/24"
            }
            translation {
                address "masquerade"
            }
        }
    }
}
service {
    dhcp-server {
        shared-network-name LAN {
            subnet 198.51.100.0/24 {
                option {
                    default-router "198.51.100.1"
                    name-server "198.51.100.1"
                }
                range 0 {
                    start "198.51.100.100"
                    stop "198.51.100.199"
                }
            }
        }
    }
    ssh {
        port "22"
    }
}
system {
    host-name "home-gw"
    login {
        user vyos {
            authentication {
                encrypted-password "$6$83TfVUXRSGcLJWhO$rgY.42IIB8TyDinKoWmTXtvZOVbx4aORArib7/8ZZOJ3lYGVNxfTqvexawr27zuheu/kKnacv1xQCqonjAQyx0"
                plaintext-password ""
            }
            level "admin"
        }
    }
    name-server "192.0.2.53"
}
