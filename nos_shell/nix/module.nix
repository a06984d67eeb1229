# nixosModules.default: nix-nos.* options -> one nos-shell configuration, committed at
# boot (and on every `nixos-rebuild switch`) through nos-shell's own commit path, so the
# networkd units, bird.conf or gobgpd.toml and the nftables table come from its compiler.
{ config, lib, pkgs, ... }:
let
  cfg = config.nix-nos;
  generators = import ./generators.nix;
  bootFile = "nos-shell/nix-nos.boot";
in {
  imports = [ ./options.nix ];

  config = lib.mkMerge [ {
    # (lazy: computed when read, also with the module disabled)
    nix-nos.generated = {
      commands = generators.toCommands cfg;
      boot = generators.toBoot cfg;
    };
  } (lib.mkIf cfg.enable {
    assertions = import ./assertions.nix cfg;

    environment.systemPackages = lib.optional cfg.shell.enable cfg.package;
    # The generated configuration; the service below makes it the saved one and commits it.
    environment.etc.${bootFile}.text = cfg.generated.boot;

    # What `nixos-rebuild switch` installs wins: the unit restarts when the generated file
    # changes, replaces the saved configuration and commits it (interactive changes to the
    # running configuration are replaced; they are still in the commit history).
    systemd.services.nos-shell-boot = {
      description = "nos-shell: commit the configuration generated from nix-nos";
      wantedBy = [ "multi-user.target" ];
      after = [ "systemd-networkd.service" ];
      wants = [ "systemd-networkd.service" ];
      restartTriggers = [ config.environment.etc.${bootFile}.source ];
      path = [ cfg.package ];
      serviceConfig = { Type = "oneshot"; RemainAfterExit = true; };
      script = ''
        install -D -m 0640 /etc/${bootFile} /etc/nos-shell/config.boot
        exec nos-shell --live boot
      '';
    };

    systemd.services.nos-shell-ssh = lib.mkIf cfg.shell.enable {
      description = "nos-shell SSH server for VyOS automation clients";
      wantedBy = [ "multi-user.target" ];
      after = [ "nos-shell-boot.service" ];
      serviceConfig.ExecStart = "${cfg.package}/bin/nos-shell --live ssh-server";
      serviceConfig.Restart = "on-failure";
    };
    systemd.network.enable = lib.mkDefault true;
  }) ];
}
