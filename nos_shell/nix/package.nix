# nos-shell built from pyproject.toml, with the daemons and tools it drives on its PATH.
# (Unbuilt in nos-shell's own test environment, which has no nixpkgs: see docs/nixos.md.)
{ lib, python3Packages, bird2, gobgp, nftables, iproute2 }:
python3Packages.buildPythonApplication {
  pname = "nos-shell";
  version = (lib.importTOML ../../pyproject.toml).project.version;
  pyproject = true;
  src = lib.cleanSource ../..;
  build-system = [ python3Packages.setuptools ];
  dependencies = with python3Packages; [ lark prompt-toolkit rich pyroute2 asyncssh tomli-w google-re2 ];
  makeWrapperArgs = [ "--prefix" "PATH" ":" (lib.makeBinPath [ bird2 gobgp nftables iproute2 ]) ];
  doCheck = false;   # the tests need root, network namespaces and the daemons
  meta = {
    description = "A VyOS-style router shell for Linux with systemd-networkd, BIRD/GoBGP and nftables";
    license = lib.licenses.asl20;
    mainProgram = "nos-shell";
  };
}
