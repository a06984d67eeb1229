# The nix-nos option reference as Markdown (docs/nixos.md embeds it; tests keep it current).
{ lib }:
let
  options = (lib.evalModules {
    modules = [ ./options.nix { _module.args.pkgs = { }; } ];
  }).options;
  docs = builtins.filter (o: o.visible && !o.internal && lib.hasPrefix "nix-nos." o.name) (lib.optionAttrSetToDocList options);
  text = v: if v ? _type && v ? text then v.text else builtins.toJSON v;
  flat = s: lib.concatStringsSep " " (builtins.filter (w: builtins.isString w && w != "")
    (builtins.split "[ \n]+" s));
  entry = o: lib.concatStringsSep "\n" ([
    "### `${o.name}`" ""
    (flat (if builtins.isString o.description then o.description else o.description.text or ""))
    "" "- type: ${o.type}"
  ] ++ lib.optional (o ? default) "- default: `${text o.default}`"
    ++ lib.optional (o ? example) "- example: `${flat (text o.example)}`"
    ++ lib.optional (o.readOnly or false) "- read-only") + "\n";
in lib.concatMapStrings (o: entry o + "\n") docs
