# nos-shell `set` lines in pure Nix (builtins only): quoting exactly as
# `show configuration commands` prints, parsing lines against the schema summary
# (schema.nix, generated from nos-shell's schema), and config.boot text.
let
  schema = import ./schema.nix;
  inherit (builtins) concatLists concatMap concatStringsSep elemAt filter head isAttrs isList
    isString length map match replaceStrings split substring tail attrNames zipAttrsWith foldl' elem;

  # A tag key both grammars read bare (nos_shell/config/quoting.py); others are quoted.
  bareKey = "[A-Za-z0-9_.:@+-][A-Za-z0-9_.:/@+,!-]*";
  escape = q: replaceStrings [ "\\" q "\n" "\t" ] [ "\\\\" "\\${q}" "\\n" "\\t" ];
  unescape = replaceStrings [ "\\\\" "\\'" "\\\"" "\\n" "\\t" ] [ "\\" "'" "\"" "\n" "\t" ];

  # A value as a `set` line writes it (always single-quoted).
  value = v: "'${escape "'" (toString v)}'";
  # A tag key as a `set` line writes it: bare when safe.
  key = k: if match bareKey k != null then k else value k;
  bootValue = v: "\"${escape "\"" v}\"";
  bootKey = k: if match bareKey k != null then k else bootValue k;

  unquote = t:
    let n = builtins.stringLength t; first = substring 0 1 t; in
    if n >= 2 && (first == "'" || first == "\"") && substring (n - 1) 1 t == first
    then unescape (substring 1 (n - 2) t) else t;

  # The words of a line: bare words, 'single' or "double" quoted strings.
  words = line: map (m: unquote (head m))
    (filter isList (split "('([^'\\\\]|\\\\.)*'|\"([^\"\\\\]|\\\\.)*\"|[^ \t]+)" line));

  fail = line: why: throw "nix-nos: cannot read the nos-shell line `${line}`: ${why}";

  # One line's words below a container's children, as a one-path tree:
  # containers and tag entries are attribute sets, leaves lists of values, flags true.
  walk = line: children: ws:
    if ws == [ ] then { } else
    let
      name = head ws;
      rest = tail ws;
      spec = children.${name} or (fail line "no `${name}` here");
    in {
      ${name} =
        if spec == "f" then (if rest == [ ] then true else fail line "`${name}` takes no value")
        else if spec == "l" || spec == "m" then
          (if length rest == 1 then rest else fail line "`${name}` takes one value")
        else if spec ? c then walk line spec.c rest
        else if rest == [ ] then { }
        else { ${head rest} = walk line spec.t (tail rest); };
    };

  parse = line:
    let ws = words line; in
    if ws == [ ] || head ws != "set" then fail line "it is not a `set` line"
    else walk line schema.c (tail ws);

  merge = vs:
    if isList (head vs) then concatLists vs
    else if isAttrs (head vs) then zipAttrsWith (_: merge) vs
    else head vs;

  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];
  last = l: elemAt l (length l - 1);

  # `set` lines (text lines; blank lines and # comments skipped) -> one tree.
  tree = lines:
    let kept = filter (l: match "[ \t]*(#.*)?" l == null) lines; in
    if kept == [ ] then { } else merge (map parse kept);

  indent = "    ";
  render = children: t: pad: concatMap (name:
    let spec = children.${name}; v = t.${name}; in
    if spec == "f" then [ "${pad}${name}" ]
    else if spec == "l" then [ "${pad}${name} ${bootValue (last v)}" ]
    else if spec == "m" then map (x: "${pad}${name} ${bootValue x}") (unique v)
    else if spec ? c then [ "${pad}${name} {" ] ++ render spec.c v (pad + indent) ++ [ "${pad}}" ]
    else concatMap (k: [ "${pad}${name} ${bootKey k} {" ] ++ render spec.t v.${k} (pad + indent) ++ [ "${pad}}" ])
      (attrNames v)) (attrNames t);

  # Split text blocks into lines.
  lines = blocks: concatMap (b: filter isString (split "\n" b)) blocks;
in {
  inherit value key words parse tree lines;
  # config.boot text of `set` lines (the tree nos-shell would hold after them).
  boot = setLines: concatStringsSep "" (map (l: l + "\n") (render schema.c (tree setLines) ""));
}
