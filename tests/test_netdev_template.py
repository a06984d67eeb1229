"""A VLAN with nothing but its id gets its .netdev from one template (backends/networkd/
netdev.py): the same bytes as the unit writer gives, and values checked as in every unit."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from propsettings import examples

from backends.common.unitfile import Unit
from backends.networkd import netdev
from nos_shell.models.interfaces import Interface


def written(name: str, vlan_id: int) -> bytes:
    unit = Unit()
    unit.add("NetDev", "Name", name)
    unit.add("NetDev", "Kind", "vlan")
    unit.add("VLAN", "Id", vlan_id)
    return unit.render()


def vlan(name: str, vlan_id: int) -> Interface:
    parent = name.rpartition(".")[0]
    return Interface(name, "vlan", ("interfaces", "ethernet", parent, "vif", str(vlan_id)), parent, vlan_id, None)


@examples(200)
@given(st.sampled_from(["eth0", "eth12", "bond0", "br0.50"]), st.integers(1, 4094))
def test_the_template_writes_what_the_unit_writer_writes(parent, vlan_id):
    name = f"{parent}.{vlan_id}"
    assert netdev._plain_vlan(vlan(name, vlan_id)) == written(name, vlan_id)


def test_a_value_that_cannot_be_written_is_refused_as_in_any_unit():
    with pytest.raises(ValueError, match="cannot be written safely"):
        netdev._plain_vlan(vlan("eth0.5\nDHCP=yes", 5))
