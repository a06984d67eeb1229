"""The flake offline: `nix flake show` and `nix eval` of every output with the inputs
overridden by local paths (nixpkgs-lib: ../shared/nixpkgs-lib; nixpkgs: a stub flake whose
callPackage evaluates nos_shell/nix/package.nix with stand-ins for the Python builder and
the tools, since building the package needs the real nixpkgs, which is not here)."""
from __future__ import annotations

import functools
import json

import nixlab

STUB = """{
  inputs.lib.url = "path:%(lib)s";
  outputs = { self, lib }: {
    legacyPackages = builtins.listToAttrs (map (system: { name = system; value = {
      callPackage = fn: args: import fn ({
        lib = lib.lib;
        python3Packages = {
          setuptools = "setuptools";
          buildPythonApplication = a: { type = "derivation"; name = "${a.pname}-${a.version}"; attrs = a; };
        } // builtins.listToAttrs (map (n: { name = n; value = n; })
          [ "lark" "prompt-toolkit" "rich" "pyroute2" "asyncssh" "tomli-w" "google-re2" ]);
        bird2 = "bird2"; gobgp = "gobgp"; nftables = "nftables"; iproute2 = "iproute2";
      } // args);
    }; }) [ "x86_64-linux" "aarch64-linux" ]);
  };
}
"""


@functools.lru_cache(maxsize=1)
def overrides() -> tuple[str, ...]:
    lib = nixlab.nixpkgs_lib()
    stub = nixlab.scratch("nixpkgs-stub")
    (stub / "flake.nix").write_text(STUB % {"lib": lib})
    return ("--override-input", "nixpkgs-lib", f"path:{lib}", "--override-input", "nixpkgs", f"path:{stub}",
            "--no-write-lock-file")


def test_flake_show_lists_every_output():
    shown = json.loads(nixlab.nix("flake", "show", "--json", *overrides(), ".").stdout)
    assert shown["nixosModules"]["default"]["type"] == "nixos-module"
    for system in ("x86_64-linux", "aarch64-linux"):
        assert shown["packages"][system]["default"]["name"].startswith("nos-shell-")
    assert "lib" in shown


def evaluate(output: str, apply: str):
    return json.loads(nixlab.nix("eval", "--json", *overrides(), f".#{output}", "--apply", apply).stdout)


def test_flake_outputs_evaluate():
    assert evaluate("nixosModules", "m: builtins.isFunction m.default") is True
    got = evaluate("lib", """lib: {
      commands = lib.generators.toCommands { interfaces.eth0.dhcp = true; bgp = { enable = true; asn = 65000; }; };
      boot = lib.generators.toBoot { interfaces.eth0.dhcp = true; };
      docs = builtins.substring 0 13 lib.optionsMarkdown;
    }""")
    assert got["commands"] == "set interfaces ethernet eth0 address 'dhcp'\nset protocols bgp system-as '65000'\n"
    assert got["boot"] == 'interfaces {\n    ethernet eth0 {\n        address "dhcp"\n    }\n}\n'
    assert got["docs"] == "### `nix-nos."
    wrapper = evaluate("packages", "p: p.x86_64-linux.default.attrs.makeWrapperArgs")
    assert wrapper == ["--prefix", "PATH", ":", "bird2/bin:gobgp/bin:nftables/bin:iproute2/bin"]
