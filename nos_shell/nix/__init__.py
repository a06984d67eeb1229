"""nos-shell and NixOS: the Nix sources of the flake's module and generators (``*.nix``,
package data) and the Python that serves them: the schema summary the generators read
(:mod:`.schemagen`) and `show configuration nix` (:mod:`.export`)."""
