"""docs/nixos.md's option reference is the one generated from the module's declarations."""
from __future__ import annotations

import nixlab


def test_option_reference_is_up_to_date():
    doc = nixlab.DOC.read_text()
    assert doc == nixlab.with_reference(doc, nixlab.option_reference()), "run: .venv/bin/python tests/nixlab.py"


def test_option_reference_covers_the_design():
    reference = nixlab.option_reference()
    for option in ("nix-nos.bgp.backend", "nix-nos.bgp.peers.<name>.asn", "nix-nos.interfaces.<name>.dhcp",
                   "nix-nos.vlans.<name>.id", "nix-nos.routing.static", "nix-nos.nat.externalInterface",
                   "nix-nos.extraCommands", "nix-nos.shell.enable"):
        assert f"### `{option}`" in reference
