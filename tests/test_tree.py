"""The configuration tree and the schema's value checks."""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.config.render import to_commands, to_curly, to_json
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import PathError
from nos_shell.secrets import check_password


def tree(*lines: str) -> ConfigTree:
    return tree_from_commands("\n".join(lines))


def words(line: str) -> list[str]:
    return line.split()


def test_leaf_replaces_and_multi_appends():
    t = tree("set system host-name a", "set system host-name b",
             "set system name-server 192.0.2.1", "set system name-server 192.0.2.2")
    assert t.value("system", "host-name") == "b"
    assert t.values("system", "name-server") == ["192.0.2.1", "192.0.2.2"]
    assert t.set(words("set system name-server 192.0.2.1")[1:]) == [
        "Configuration path: [system name-server 192.0.2.1] already exists"]


def test_defaults_come_from_the_schema():
    t = ConfigTree()
    assert t.value("system", "host-name") == "vyos"
    assert t.value("system", "host-name", default=False) is None


@pytest.mark.parametrize("line, message", [
    ("interfaces foo eth0", "Configuration path: [interfaces foo] is not valid"),
    ("interfaces ethernet eth0 mtu 99999", "MTU must be between 68 and 16000"),
    ("interfaces ethernet eth0 mtu 1500 extra", "Configuration path: [interfaces ethernet eth0 mtu 1500 extra] is not valid"),
    ("interfaces ethernet eth0 address 192.0.2.300/24", "Invalid IP address/prefix: 192.0.2.300/24"),
    ("interfaces ethernet eth0 address 192.0.2.0/24", "network or broadcast address"),
    ("interfaces ethernet eth0 vif 4095", "VLAN ID must be between 0 and 4094"),
    ("interfaces ethernet br0", "Invalid Ethernet interface name"),           # VyOS's words
    ("interfaces ethernet eth0 hw-id 01:00:5e:00:00:01", "multicast MAC"),
    ("protocols bgp system-as 0", "AS number must be between 1 and 4294967294"),
    ("protocols static route 192.0.2.1/24 blackhole", "Invalid prefix"),
    ("system host-name -bad", "Host name may contain"),
    ("interfaces ethernet eth0 mtu", "requires a value"),
    ("interfaces ethernet", "requires a value"),
])
def test_bad_paths_and_values_name_the_path(line, message):
    with pytest.raises(PathError) as exc:
        ConfigTree().set(words(line))
    text = "\n".join(exc.value.lines)
    assert message in text
    assert "[" in exc.value.lines[0] and exc.value.lines[-1] == "Set failed"


@pytest.mark.parametrize("hostile", ["a\nb", "a\rb", "tab\there", "nul\x00", "esc\x1b[0m"])
def test_control_characters_never_enter_the_tree(hostile):
    with pytest.raises(PathError, match="control characters"):
        ConfigTree().set(["interfaces", "ethernet", "eth0", "description", hostile])


def test_schema_words_accept_unique_prefixes():
    t = ConfigTree()
    t.set(words("int eth eth0 addr 192.0.2.1/24"))
    assert t.values("interfaces", "ethernet", "eth0", "address") == ["192.0.2.1/24"]
    with pytest.raises(PathError, match="Ambiguous"):
        t.set(words("interfaces ethernet eth0 d"))


def test_delete_value_leaf_subtree_and_missing():
    t = tree("set interfaces ethernet eth0 address 192.0.2.1/24",
             "set interfaces ethernet eth0 address 192.0.2.2/24",
             "set interfaces ethernet eth1 disable")
    t.delete(words("interfaces ethernet eth0 address 192.0.2.1/24"))
    assert t.values("interfaces", "ethernet", "eth0", "address") == ["192.0.2.2/24"]
    t.delete(words("interfaces ethernet eth0 address"))
    assert t.exists("interfaces", "ethernet", "eth0")  # a tag entry stays
    t.delete(words("interfaces ethernet eth0"))
    t.delete(words("interfaces ethernet eth1"))
    assert not t.exists("interfaces")  # empty tag node and container go away
    with pytest.raises(PathError, match="Nothing to delete"):
        t.delete(words("interfaces ethernet eth0"))


def test_presence_containers_survive_deletes_below_them():
    t = tree("set service ssh port 2222")
    t.delete(words("service ssh port"))
    assert t.exists("service", "ssh")
    assert to_commands(t) == "set service ssh\n"


def test_copy_and_rename_tag_values():
    t = tree("set interfaces ethernet eth0 vif 100 address 192.0.2.1/24")
    t.copy_tag(words("interfaces ethernet eth0 vif 100"), ["vif", "200"], move=False)
    t.copy_tag(words("interfaces ethernet eth0 vif 100"), ["vif", "300"], move=True)
    assert t.keys("interfaces", "ethernet", "eth0", "vif") == ["200", "300"]
    with pytest.raises(PathError, match="already exists"):
        t.copy_tag(words("interfaces ethernet eth0 vif 200"), ["vif", "300"], move=False)
    with pytest.raises(PathError, match="VLAN ID"):
        t.copy_tag(words("interfaces ethernet eth0 vif 200"), ["vif", "5000"], move=False)


def test_plaintext_password_is_stored_hashed():
    t = tree("set system login user alice authentication plaintext-password 's3cret'")
    auth = ("system", "login", "user", "alice", "authentication")
    assert t.value(*auth, "plaintext-password") == ""
    hashed = t.value(*auth, "encrypted-password")
    assert hashed.startswith("$6$") and check_password("s3cret", hashed)
    assert "s3cret" not in to_curly(t) + to_commands(t) + to_json(t)


def test_renderers():
    t = tree("set interfaces ethernet eth0 address 192.0.2.1/24",
             "set interfaces ethernet eth10 disable",
             "set interfaces ethernet eth2 description 'say \"hi\"'",
             "set interfaces loopback lo",
             "set nat source rule 100 translation address masquerade",
             "set nat source rule 20 translation address masquerade")
    assert to_commands(t).splitlines() == [
        "set interfaces ethernet eth0 address '192.0.2.1/24'",
        "set interfaces ethernet eth2 description 'say \"hi\"'",
        "set interfaces ethernet eth10 disable",
        "set interfaces loopback lo",
        "set nat source rule 20 translation address 'masquerade'",
        "set nat source rule 100 translation address 'masquerade'",
    ]
    curly = to_curly(t)
    assert '        description "say \\"hi\\""\n' in curly
    assert "    loopback lo {\n    }\n" in curly
    assert '"eth10": {\n' in to_json(t) and '"disable": {}' in to_json(t)


def test_comments_attach_to_nodes_and_tag_values_only():
    t = tree("set interfaces ethernet eth0 mtu 1500")
    t.comment(words("interfaces ethernet eth0"), "uplink")
    assert t.node("interfaces", "ethernet", "eth0").comment == "uplink"
    with pytest.raises(PathError, match="needs a tag value"):
        t.comment(words("interfaces ethernet"), "all of them")
    with pytest.raises(PathError, match="is not valid"):
        t.comment(words("interfaces ethernet eth1"), "absent")


def test_an_emptied_container_below_a_tag_value_goes_away():
    t = tree("set interfaces ethernet eth0 dhcp-options no-default-route")
    t.delete(words("interfaces ethernet eth0 dhcp-options no-default-route"))
    assert to_commands(t) == "set interfaces ethernet eth0\n"
    # a presence container stays (it means something), as does the tag value itself
    t = tree("set protocols static route 192.0.2.0/24 blackhole distance 5")
    t.delete(words("protocols static route 192.0.2.0/24 blackhole distance"))
    assert to_commands(t) == "set protocols static route 192.0.2.0/24 blackhole\n"


def test_copy_needs_a_tag_value():
    t = tree("set interfaces ethernet eth0 dhcp-options no-default-route")
    for path in ("interfaces ethernet eth0 dhcp-options", "interfaces ethernet", "interfaces"):
        with pytest.raises(PathError, match="is not a tag node value"):
            t.copy_tag(words(path), ["eth1", "x"], move=False)


def test_tag_keys_in_a_total_order_whatever_the_build_order():
    """eth1 and eth01 hold the same number: without a tie-break their order was the order
    they were set in, so two equal trees could render different text."""
    from hypothesis import given
    from hypothesis import strategies as st

    from nos_shell.config.tree import natural_key
    from propsettings import examples

    assert natural_key("eth1") != natural_key("eth01")
    assert sorted(["eth10", "eth01", "eth2", "eth1"], key=natural_key) == ["eth01", "eth1", "eth2", "eth10"]
    assert to_curly(tree("set system login user u01 full-name first",
                         "set system login user u1 full-name second")) == \
        to_curly(tree("set system login user u1 full-name second",
                      "set system login user u01 full-name first"))

    @examples(200)
    @given(st.lists(st.from_regex(r"[a-c]{0,2}[0-9]{0,3}", fullmatch=True), min_size=2, max_size=6, unique=True))
    def distinct_keys_sort_the_same_from_any_order(keys):
        assert sorted(keys, key=natural_key) == sorted(reversed(keys), key=natural_key)

    distinct_keys_sort_the_same_from_any_order()


from hypothesis import given, strategies as st  # noqa: E402

from nos_shell.config.tree import natural_key, natural_sorted  # noqa: E402
from propsettings import examples  # noqa: E402

_KEY_TEXT = st.one_of(st.integers(0, 5000).map(str), st.from_regex(r"0[0-9]{1,3}", fullmatch=True),
                      st.text("0123456789abc.-²٣", min_size=1, max_size=6))


@examples(300)
@given(st.lists(_KEY_TEXT, max_size=30, unique=True))
def test_natural_sorted_orders_keys_as_natural_key_does(keys):
    assert natural_sorted(keys) == sorted(keys, key=natural_key)
    numbers = [key for key in keys if key.isdigit() and key.isascii()]
    assert natural_sorted(numbers) == sorted(numbers, key=natural_key)      # (the two-sort way)


def test_a_key_with_a_digit_that_is_no_number_sorts_as_text():
    """'²' is a digit to str.isdigit but no number to int(): it must not break the sort."""
    assert natural_sorted(["a²", "a1", "a10", "a2"]) == ["a1", "a2", "a10", "a²"]
