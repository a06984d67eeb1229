"""Schema of `system`: identity, resolvers, time zone, login users and commit settings."""
from __future__ import annotations

from .nodes import container, leaf, multi, tag
from .sysopts import OPTION, SYSCTL, SYSLOG
from .types import (CRYPT_HASH, DOMAIN_NAME, HOSTNAME, IP, SSH_KEY, USER_NAME, Enum, Number, Pattern, Text)
from .zones import TIME_ZONE

LOGIN = container(
    "login", "System user accounts",
    tag("user", USER_NAME, "User account",
        leaf("full-name", Text(max_len=100), "Full name of the user"),
        leaf("level", Enum(values=("admin", "operator"), helps=(
            "May configure the system", "Operational commands only")), "User privilege level",
            default="admin"),
        container("authentication", "Authentication settings",
                  leaf("plaintext-password", Text(max_len=511, max_bytes=511), "Plaintext password (stored hashed)",
                       hash_into="encrypted-password"),
                  leaf("encrypted-password", CRYPT_HASH, "Encrypted password"),
                  tag("public-keys", Pattern(regex=r"[A-Za-z0-9_.@\-]{1,64}", placeholder="<identifier>",
                                             help="Key identifier, e.g. user@host",
                                             message="Key identifier must be 1-64 letters, digits, _ . @ -"),
                      "Remote access public keys",
                      leaf("type", Enum(values=("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256",
                                                "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                                                "ssh-dss")), "Public key type"),
                      leaf("key", SSH_KEY, "Public key value (base64)")))),
)

SYSTEM = container(
    "system", "System parameters",
    leaf("host-name", HOSTNAME, "System host name", default="vyos"),
    leaf("domain-name", DOMAIN_NAME, "System domain name"),
    multi("name-server", IP, "Domain Name Server (DNS)"),
    leaf("time-zone", TIME_ZONE, "Local time zone (unset: the host's own)"),
    LOGIN,
    container("config-management", "Configuration management settings",
              leaf("commit-revisions", Number(low=1, high=65535, what="Revisions", placeholder="<1-65535>",
                                              help="Number of revisions"), "Commit revisions to keep",
                   default="100")),
    OPTION,
    SYSCTL,
    SYSLOG,
)
