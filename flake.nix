{
  description = "nos-shell: a VyOS-style router shell for Linux, and nix-nos, its NixOS module";

  # nixpkgs builds the package; the module and the generators need only nixpkgs' lib
  # (the evaluation tests override `nixpkgs-lib` with a local copy: see docs/nixos.md).
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    nixpkgs-lib.url = "github:nix-community/nixpkgs.lib";
  };

  outputs = { self, nixpkgs, nixpkgs-lib }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forSystems = f: builtins.listToAttrs (map (system: { name = system; value = f system; }) systems);
    in {
      packages = forSystems (system: rec {
        nos-shell = nixpkgs.legacyPackages.${system}.callPackage ./nos_shell/nix/package.nix { };
        default = nos-shell;
      });

      nixosModules.default = { pkgs, lib, ... }: {
        imports = [ ./nos_shell/nix/module.nix ];
        nix-nos.package = lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.default;
      };

      # Pure Nix: options -> `set` lines and config.boot text (nos_shell/nix/generators.nix).
      lib.generators = import ./nos_shell/nix/generators.nix;
      # The option reference (Markdown) of docs/nixos.md, generated from the declarations.
      lib.optionsMarkdown = import ./nos_shell/nix/optdoc.nix { lib = nixpkgs-lib.lib; };
    };
}
