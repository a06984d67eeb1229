"""`nos-shell lab`: whole networks of nos-shell routers and plain hosts on one machine, each
node in its own namespaces (docs/lab.md). topology.py reads the topology file (pure);
kernel.py tells which link kinds this kernel can create."""
