"""Nix for the tests: one `nix` evaluation of many cases, offline, in a throwaway store.

Requirements: Debian's nix-bin (2.8; ./run-tests installs it) and nixpkgs' lib as a flake
at ../shared/nixpkgs-lib (NIXPKGS_LIB overrides the place). Under CI=true a missing one
fails the test (tests/lab.py `missing`), elsewhere it skips with the reason.

What works with nix 2.8 here, without root and without touching /nix or ~/.cache:
``--store local?root=DIR`` (a chroot store: evaluation copies sources into DIR/nix/store
and reads them back from there), ``NIX_CONF_DIR`` pointing at an empty directory (no
/etc/nix/nix.conf, whose build-users-group names a group that need not exist),
``XDG_CACHE_HOME``/``HOME`` in the session directory (fetcher and evaluation caches), and
the experimental features ``nix-command flakes`` on the command line.
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

from lab import missing, require_tool

REPO = pathlib.Path(__file__).resolve().parent.parent
NIXDIR = REPO / "nos_shell" / "nix"
FEATURES = ("--extra-experimental-features", "nix-command flakes")


def nixpkgs_lib() -> pathlib.Path:
    """nixpkgs' lib flake (with lib/ inside), or a skip/fail naming where it was looked for."""
    place = pathlib.Path(os.environ.get("NIXPKGS_LIB") or REPO.parent / "shared" / "nixpkgs-lib")
    if not (place / "lib" / "default.nix").is_file():
        missing(f"nixpkgs' lib is not at {place} (set NIXPKGS_LIB to a nixpkgs.lib checkout)")
    return place


@functools.lru_cache(maxsize=1)
def _session() -> pathlib.Path:
    place = pathlib.Path(tempfile.mkdtemp(prefix="nos-nx-"))
    atexit.register(_remove, place)
    return place


def _remove(place: pathlib.Path) -> None:
    """Remove a session directory (the store's paths and directories are read-only)."""
    for path in place.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(place, ignore_errors=True)


def scratch(name: str) -> pathlib.Path:
    """A new directory in this session's directory (removed with it)."""
    place = _session() / name
    place.mkdir()
    return place


def _env() -> dict[str, str]:
    home = _session()
    (home / "conf").mkdir(exist_ok=True)
    (home / "conf" / "nix.conf").write_text("build-users-group =\n")
    return {**os.environ, "NIX_CONF_DIR": str(home / "conf"), "XDG_CACHE_HOME": str(home / "cache"),
            "HOME": str(home), "NIX_REMOTE": ""}


def nix(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``nix ARGS`` with the throwaway store; raise with nix's own message on failure."""
    binary = require_tool("nix")
    argv = [binary, *FEATURES, "--store", f"local?root={_session() / 'store'}", *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=_env(), cwd=REPO)
    if done.returncode:
        raise AssertionError(f"nix {' '.join(args[:3])} failed:\n{done.stderr}")
    return done


def nix_string(text: str) -> str:
    """A Python string as a Nix string literal."""
    return json.dumps(text).replace("${", "\\${")


def eval_json(expr: str):
    """The value of Nix expression ``expr`` (impure: it may read files by absolute path)."""
    return json.loads(nix("eval", "--json", "--impure", "--expr", expr).stdout)


def module_eval(cases: dict[str, str]) -> dict:
    """Evaluate nixosModules.default (nos_shell/nix/module.nix) once per case, all in one
    nix run. A case is the Nix text of a NixOS module (a function or an attribute set);
    the NixOS options the module sets (assertions, environment, systemd) are free-form
    stubs. Each result: ``failed`` (messages of the failing assertions), and when none
    fails ``commands`` and ``boot`` (the generated text)."""
    lib = nixpkgs_lib()
    body = "".join(f"  {nix_string(name)} = run ({text});\n" for name, text in cases.items())
    expr = f"""
let
  lib = import {lib}/lib;
  stubs = {{
    options.assertions = lib.mkOption {{ type = lib.types.listOf lib.types.raw; default = [ ]; }};
    options.environment = lib.mkOption {{ type = lib.types.lazyAttrsOf lib.types.raw; default = {{ }}; }};
    options.systemd = lib.mkOption {{ type = lib.types.lazyAttrsOf lib.types.raw; default = {{ }}; }};
    config._module.args.pkgs = {{ }};
  }};
  run = case:
    let
      config = (lib.evalModules {{ modules = [ {NIXDIR}/module.nix stubs case ]; }}).config;
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
    in {{ inherit failed; }} // lib.optionalAttrs (failed == [ ]) {{
      inherit (config.nix-nos.generated) commands boot;
    }};
in {{
{body}}}
"""
    return eval_json(expr)


# -- docs/nixos.md: the option reference between two markers, generated from the module --
DOC = REPO / "docs" / "nixos.md"
BEGIN, END = "<!-- options: generated from nos_shell/nix/options.nix -->\n", "<!-- end of options -->\n"


def option_reference() -> str:
    """The Markdown option reference (nos_shell/nix/optdoc.nix, the flake's lib.optionsMarkdown)."""
    expr = f"import {NIXDIR}/optdoc.nix {{ lib = import {nixpkgs_lib()}/lib; }}"
    return nix("eval", "--raw", "--impure", "--expr", expr).stdout


def with_reference(doc: str, reference: str) -> str:
    """``doc`` with the text between the markers replaced by ``reference``."""
    head, rest = doc.split(BEGIN, 1)
    return head + BEGIN + "\n" + reference + END + rest.split(END, 1)[1]


if __name__ == "__main__":      # .venv/bin/python tests/nixlab.py: rewrite the reference
    DOC.write_text(with_reference(DOC.read_text(), option_reference()))
    print(f"wrote {DOC}")
