"""The commit engine (nos_shell/engine/) works without a Session: boot, the commit-confirm
revert and a plain commit call it with a store and a target, and never import Session."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from nos_shell.apply.target import load_target
from nos_shell.engine.commit import Change, Engine
from nos_shell.errors import CommitError
from nos_shell.problems import Problem
from nos_shell.store import Store

ENGINE = Path(__file__).resolve().parents[1] / "nos_shell" / "engine"


def _with_host_name(store: Store, name: str):
    serial, running = store.head()
    candidate = running.copy()
    candidate.set(["system", "host-name", name])
    return Change(candidate, running, serial, "robot", "api")


def test_an_engine_commit_without_a_session_applies_and_archives(tmp_path):
    store = Store(tmp_path)
    done = Engine(store, load_target(tmp_path)).commit(_with_host_name(store, "engine"), "no session")
    assert "not applied (sandbox)" in done.output            # applied: the files were written
    assert (tmp_path / "etc/hostname").read_text().splitlines()[-1] == "engine"
    newest = Store(tmp_path).revisions()[0]                   # archived, as a new process sees it
    assert (newest.serial, newest.user, newest.via, newest.comment) == (done.serial, "robot", "api", "no session")
    assert Store(tmp_path).running().value("system", "host-name") == "engine"
    assert done.running == done.candidate == store.running()


def test_an_engine_commit_refuses_what_its_verifiers_refuse_and_changes_nothing(tmp_path):
    store = Store(tmp_path)
    refuse = [lambda tree: [Problem(("system", "host-name"), "not this name")]]
    with pytest.raises(CommitError, match="not this name"):
        Engine(store, load_target(tmp_path), refuse).commit(_with_host_name(store, "refused"))
    assert len(Store(tmp_path).revisions()) == 1 and not (tmp_path / "etc/hostname").exists()


def test_an_engine_commit_on_a_moved_running_configuration_carries_the_changes(tmp_path):
    store = Store(tmp_path)
    stale = _with_host_name(store, "mine")                    # started from revision 0
    other = store.running().copy()
    other.set(["interfaces", "loopback", "lo", "description", "theirs"])
    engine = Engine(store, None)                              # archive only
    with store.locked():
        engine.transact(store.running(), other, "other", "api")
    done = engine.commit(stale)
    running = Store(tmp_path).running()
    assert running.value("system", "host-name") == "mine"
    assert running.value("interfaces", "loopback", "lo", "description") == "theirs"
    assert done.serial == Store(tmp_path).revisions()[0].serial


def test_boot_and_the_commit_confirm_revert_never_import_session(tmp_path):
    """In a fresh interpreter: arm a commit-confirm through the engine, let it fall due,
    revert it, boot from the saved configuration; nos_shell.session is never imported."""
    script = f"""
import sys, time
from pathlib import Path
from nos_shell.apply.target import load_target
from nos_shell.engine import boot, confirm
from nos_shell.engine.commit import Change, Engine
from nos_shell.store import Store

root = Path({str(tmp_path)!r})
store = Store(root)
store.save(store.running())                                  # the saved configuration: revision 0
serial, running = store.head()
candidate = running.copy()
candidate.set(["system", "host-name", "unconfirmed"])
confirm.ensure_timer = lambda root: None                     # no timer process: revert here
engine = Engine(store, load_target(root))
done = engine.commit(Change(candidate, running, serial, "robot", "api"), confirm_minutes=1)
assert "Initialized commit-confirm" in done.output, done.output
record = confirm.pending(root)
confirm.write(root, type(record)(time.time() - 1, record.revert_to, record.serial, record.user, record.digest))
notes = confirm.revert_if_due(root)
assert notes and "not confirmed" in notes[0], notes
assert Store(root).running().value("system", "host-name") == "vyos"
out = boot.boot(root)
assert out.endswith("Applied revision 0 (files only)\\n"), out
assert "nos_shell.session" not in sys.modules, "the engine imported Session"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (also inside functions; not under TYPE_CHECKING)."""
    found: set[str] = set()

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    walk(other)
                continue
            if isinstance(child, ast.ImportFrom):
                base = "nos_shell" if child.level == 2 else "nos_shell.engine" if child.level == 1 else ""
                module = ".".join(p for p in (base, child.module or "") if p)
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in child.names)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            walk(child)

    walk(ast.parse(path.read_text()))
    return found


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_no_engine_module_imports_session_or_the_shell(path):
    imports = _imports(path)
    assert not {m for m in imports if m == "nos_shell.session" or m.startswith("nos_shell.shell")}
