"""Passwords crypt(3) cannot hash (docs/guarantees.md, "Values"): libxcrypt takes at most
511 bytes and answers a longer passphrase with a failure token (``*0``) instead of a hash."""
from __future__ import annotations

import pytest

from nos_shell import Session
from nos_shell.secrets import check_password, hash_password

PATH = "system login user bob authentication plaintext-password"


@pytest.mark.parametrize("password", ["a" * 512, "é" * 300])
def test_a_password_too_long_for_crypt_is_refused_at_set_and_changes_nothing(tmp_path, password):
    """Was: 512 characters (the type's own limit) or 300 two-byte characters failed with
    `encrypted-password *0 is not valid` and left `user bob` with an empty
    plaintext-password in the candidate: a failed set that changed the configuration."""
    s = Session(tmp_path, apply=False)
    assert s.run("configure").ok
    before = s.candidate.copy()
    result = s.run(f"set {PATH} '{password}'")
    assert not result.ok and "plaintext-password" in result.output and "*0" not in result.output
    assert s.candidate == before


def test_the_longest_password_crypt_takes_is_accepted_and_checks(tmp_path):
    s = Session(tmp_path, apply=False)
    assert s.run("configure").ok
    assert s.run(f"set {PATH} '{'é' * 255}a'").ok         # 511 bytes
    hashed = s.candidate.value(*PATH.split()[:-1], "encrypted-password")
    assert check_password("é" * 255 + "a", hashed)


def test_a_loaded_password_too_long_for_crypt_is_refused_at_load(tmp_path):
    """Was: `load` of a config.boot holding such a plaintext-password stored
    `encrypted-password "*0"`, a value its type refuses, which only the archive check
    caught at commit ("cannot be archived")."""
    boot = tmp_path / "long.boot"
    boot.write_text('system {\n    login {\n        user carol {\n            authentication {\n'
                    f'                plaintext-password "{"b" * 512}"\n'
                    '            }\n        }\n    }\n}\n')
    s = Session(tmp_path / "root", apply=False)
    assert s.run("configure").ok
    before = s.candidate.copy()
    result = s.run(f"load {boot}")
    assert not result.ok and f"{boot}:5: Configuration path: [system login user carol" in result.output
    assert s.candidate == before


def test_hash_password_never_returns_a_failure_token():
    with pytest.raises(ValueError, match="cannot be hashed"):
        hash_password("x" * 512)
    assert hash_password("x" * 511).startswith("$6$")


def test_the_crash_log_never_holds_a_password_typed_at_an_edit_level(tmp_path):
    """Was: the crash log kept the first three words of the line, and at an edit level
    `set plaintext-password SECRET` has the password as its third: an unexpected error on
    that line wrote it to errors.log. (The stand-in for the unexpected error: a folder
    where the session registry writes its temporary file.) Now only keywords are logged."""
    s = Session(tmp_path, apply=False)
    assert s.run("configure").ok and s.run("edit system login user bob authentication").ok
    sessions = tmp_path / "var/lib/nos-shell/sessions"
    (entry,) = sessions.glob("*.json")
    (sessions / f".{entry.stem}.tmp").mkdir()
    result = s.run("set plaintext-password 'hunter2secret'")
    assert not result.ok and "Internal error" in result.output
    log = (tmp_path / "var/log/nos-shell/errors.log").read_text()
    assert "vyos via cli: set plaintext-password ? ..." in log
    assert "hunter2secret" not in log and "hunter2secret" not in result.output
