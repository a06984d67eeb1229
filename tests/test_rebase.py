"""nos_shell/config/rebase.py: one session's changes carried onto a newer running
configuration; conflicts found at leaf/value granularity (unit and property tests)."""
from __future__ import annotations

from hypothesis import given

from nos_shell.api import tree_from_commands
from nos_shell.config import render
from nos_shell.config.rebase import COMMENT, NODE, VALUE, Fact, changes, facts, facts_apart, rebase
from nos_shell.config.tree import ConfigTree
from propsettings import examples
from strategies import edited_trees

SETTINGS = examples(150)

BASE = """\
set interfaces ethernet eth0 description 'uplink'
set interfaces ethernet eth0 mtu '1500'
set interfaces loopback lo
set service ntp server 192.0.2.9
set system host-name 'vyos'
set system name-server '192.0.2.1'
"""


def edited(tree: ConfigTree, *lines: str) -> ConfigTree:
    out = tree.copy()
    for line in lines:
        verb, *words = line.split()
        getattr(out, verb)(words)
    return out


def commands(tree: ConfigTree) -> list[str]:
    return render.to_commands(tree).splitlines()


def test_changes_at_other_paths_are_merged():
    base = tree_from_commands(BASE)
    theirs = edited(base, "set system host-name bee", "set system name-server 192.0.2.3")
    mine = edited(base, "set system domain-name example.com", "set system name-server 192.0.2.2",
                  "delete service ntp server 192.0.2.9")
    result = rebase(base, mine, theirs)
    assert result.conflicts == []
    assert commands(result.tree) == [
        "set interfaces ethernet eth0 description 'uplink'",
        "set interfaces ethernet eth0 mtu '1500'",
        "set interfaces loopback lo",
        "set system domain-name 'example.com'",
        "set system host-name 'bee'",
        "set system name-server '192.0.2.1'",
        "set system name-server '192.0.2.3'",
        "set system name-server '192.0.2.2'",
    ]
    # nothing given was modified
    assert base == tree_from_commands(BASE) and theirs.value("system", "domain-name") is None


def test_the_same_leaf_changed_twice_is_a_conflict():
    base = tree_from_commands(BASE)
    result = rebase(base, edited(base, "set system host-name mine"), edited(base, "set system host-name bee"))
    assert result.conflicts == [("system", "host-name")]
    assert result.tree.value("system", "host-name") == "bee"


def test_the_same_change_on_both_sides_is_no_conflict():
    base = tree_from_commands(BASE)
    both = edited(base, "set system host-name bee", "set interfaces ethernet eth1 mtu 9000")
    result = rebase(base, both, both.copy())
    assert result.conflicts == [] and result.tree == both


def test_a_change_inside_a_deleted_node_is_a_conflict_both_ways():
    base = tree_from_commands(BASE)
    deleted = edited(base, "delete interfaces ethernet eth0")
    changed = edited(base, "set interfaces ethernet eth0 mtu 9000")
    assert rebase(base, changed, deleted).conflicts == [("interfaces", "ethernet", "eth0", "mtu")]
    assert rebase(base, deleted, changed).conflicts == [("interfaces", "ethernet", "eth0"),
                                                        ("interfaces", "ethernet", "eth0", "mtu")]


def test_a_delete_inside_a_deleted_node_agrees_with_it():
    base = tree_from_commands(BASE)
    result = rebase(base, edited(base, "delete interfaces ethernet eth0 mtu"),
                    edited(base, "delete interfaces ethernet eth0"))
    assert result.conflicts == [] and not result.tree.exists("interfaces", "ethernet", "eth0")


def test_emptying_a_container_does_not_clash_with_a_setting_next_to_it():
    base = tree_from_commands(BASE)
    mine = edited(base, "delete service ntp server 192.0.2.9")
    assert not mine.exists("service")             # the delete pruned `service ntp` and `service`
    theirs = edited(base, "set service ntp server 192.0.2.10 prefer")
    result = rebase(base, mine, theirs)
    assert result.conflicts == []
    assert result.tree.keys("service", "ntp", "server") == ["192.0.2.10"]


def test_values_of_a_multi_value_leaf_merge_one_by_one():
    base = tree_from_commands(BASE + "set system name-server '192.0.2.2'\n")
    mine = edited(base, "delete system name-server 192.0.2.1")
    theirs = edited(base, "delete system name-server 192.0.2.2")
    # each side removed one value: both removals hold, the emptied leaf goes away
    result = rebase(base, mine, theirs)
    assert result.conflicts == [] and not result.tree.exists("system", "name-server")
    # deleting the whole leaf while the other side adds a value to it is a conflict
    whole = edited(base, "delete system name-server")
    added = edited(base, "set system name-server 192.0.2.7")
    assert rebase(base, whole, added).conflicts == [("system", "name-server")]


def test_comments_are_changes_of_their_own():
    base = tree_from_commands(BASE)
    mine = base.copy()
    mine.comment(["system", "host-name"], "set by the NOC")
    theirs = edited(base, "set system host-name bee")
    result = rebase(base, mine, theirs)
    assert result.conflicts == []
    node = result.tree.node("system", "host-name")
    assert node.values == ["bee"] and node.comment == "set by the NOC"
    other = base.copy()
    other.comment(["system", "host-name"], "no, by ops")
    assert rebase(base, mine, other).conflicts == [("system", "host-name")]


# -- properties --------------------------------------------------------------------------
def scenario():
    """A base tree and two trees edited from it by set/delete/comment/reorder (no copies
    or renames: tests/test_rebase_attacks.py adds those)."""
    return edited_trees(("set", "set", "delete", "comment", "reorder", "reorder"), sides=2)


def _expected(base: ConfigTree, mine: ConfigTree, theirs: ConfigTree) -> dict:
    """Both sides' fact changes applied to the base's facts (the no-lost-update oracle);
    a multi-value leaf left without values by the two sides together is gone, and so is
    the emptiness of a container that one side filled; a container's comment keeps it."""
    out = dict(facts(base))
    for side in (theirs, mine):
        for key, (_, new) in changes(facts(base), facts(side)).items():
            if isinstance(new, type(out.get(key, new))) and key in facts(side):
                out[key] = facts(side)[key]
            else:
                out.pop(key, None)
    with_values = {key[0] for key in out if key[1] == VALUE}
    # an empty container (a fact that is not real) is empty no more once anything is in
    # it, and a comment that stays on it keeps it
    filled = {key[0][:n] for key in out for n in range(1, len(key[0]))}
    out.update({(key[0], NODE, ""): Fact(None, real=False) for key in list(out)    # (containers
                if key[1] == COMMENT and (key[0], NODE, "") not in out})            # have no real fact)
    return {k: v for k, v in out.items()
            if not (k[1] == NODE and v.multi and k[0] not in with_values)
            and not (k[1] == NODE and not v.real and k[0] in filled)}


@SETTINGS
@given(scenario())
def test_rebase_onto_an_unchanged_running_config_is_the_candidate(case):
    base, mine, _ = case
    result = rebase(base, mine, base)
    assert result.conflicts == [] and facts(result.tree) == facts(mine)
    assert _orders(result.tree) == _orders(mine)


@SETTINGS
@given(scenario())
def test_no_own_changes_leave_theirs_exactly(case):
    base, _, theirs = case
    result = rebase(base, base.copy(), theirs)
    assert result.conflicts == [] and result.tree == theirs


@SETTINGS
@given(scenario())
def test_without_conflicts_no_change_of_either_side_is_lost(case):
    base, mine, theirs = case
    before = (base.copy(), mine.copy(), theirs.copy())
    result = rebase(base, mine, theirs)
    assert (base, mine, theirs) == before                       # inputs untouched
    reverse = rebase(base, theirs, mine)
    assert bool(result.conflicts) == bool(reverse.conflicts)    # a conflict is mutual
    if not result.conflicts:
        assert facts(result.tree) == _expected(base, mine, theirs)
        assert facts(result.tree) == facts(reverse.tree)        # the order does not matter
    else:
        # a conflicting change of mine is left out: theirs holds there
        theirs_facts, result_facts = facts(theirs), facts(result.tree)
        for key in theirs_facts:
            if key[0] in result.conflicts:
                assert result_facts.get(key) == theirs_facts[key]


def _orders(tree: ConfigTree) -> dict[tuple[str, ...], list[str]]:
    """The values of every multi-value leaf, in their order."""
    return {path: list(node.values) for path, spec, node in tree.walk()
            if spec.kind.name == "MULTI" and node.values}


@SETTINGS
@given(scenario())
def test_a_leaf_only_one_side_changed_keeps_that_sides_order(case):
    """Name servers are asked in order: where one side alone changed a multi-value leaf
    (values or their order) and nothing clashes there, the result has its exact list."""
    base, mine, theirs = case
    result = rebase(base, mine, theirs)
    got, was = _orders(result.tree), _orders(base)
    for changed, other in ((_orders(mine), _orders(theirs)), (_orders(theirs), _orders(mine))):
        for path in changed.keys() | other.keys() | was.keys():
            if other.get(path) != was.get(path) or changed.get(path) == was.get(path):
                continue
            if any(path[:len(c)] == c for c in result.conflicts):
                continue
            assert got.get(path) == changed.get(path), path


@SETTINGS
@given(scenario())
def test_changes_from_the_differing_subtrees_are_all_the_changes(case):
    """rebase compares only where two trees differ (facts_apart): the same changes as
    comparing every fact of both."""
    base, mine, theirs = case
    for a, b in ((base, mine), (mine, theirs), (theirs, base)):
        assert changes(*facts_apart(a, b)) == changes(facts(a), facts(b))
